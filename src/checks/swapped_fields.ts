// Two vetted subject fields issued in each other's place (Bugzilla 1771482, 1802845: street and
// postal code; ST and L; a jurisdiction field holding the place of business). A swap is one
// finding (e_subject_fields_swapped_order), so the per-field mismatch checks leave both alone.
import { ATTRIBUTE } from '../decode/oids.js';
import type { OrderFieldName } from '../sources/order_fields.js';
import { attributesOf, compareText } from './subject.js';
import type { CheckInput } from './types.js';

export interface SwapSide {
  oid: string;
  label: string;
  field: OrderFieldName;
}

const side = (oid: string, label: string, field: OrderFieldName): SwapSide => ({ oid, label, field });
const C = side(ATTRIBUTE.countryName, 'C', 'country');
const ST = side(ATTRIBUTE.stateOrProvinceName, 'ST', 'state');
const L = side(ATTRIBUTE.localityName, 'L', 'locality');
const JURISDICTION_C = side(ATTRIBUTE.jurisdictionCountryName, 'jurisdictionC', 'jurisdictionCountry');
const JURISDICTION_ST = side(ATTRIBUTE.jurisdictionStateOrProvinceName, 'jurisdictionST', 'jurisdictionState');
const JURISDICTION_L = side(ATTRIBUTE.jurisdictionLocalityName, 'jurisdictionL', 'jurisdictionLocality');
const STREET = side(ATTRIBUTE.streetAddress, 'street', 'streetAddress');
const POSTAL_CODE = side(ATTRIBUTE.postalCode, 'postalCode', 'postalCode');

/** The pairs of fields a CA's workflow can put in each other's place. */
export const SWAP_PAIRS: ReadonlyArray<readonly [SwapSide, SwapSide]> = [
  [STREET, POSTAL_CODE],
  [ST, L],
  [JURISDICTION_ST, JURISDICTION_L],
  [JURISDICTION_C, C],
  [JURISDICTION_ST, ST],
  [JURISDICTION_L, L],
];

/** Oids that take part in some pair: a certificate with none of them cannot hold a swap. */
const SWAPPABLE = new Set(SWAP_PAIRS.flatMap(([a, b]) => [a.oid, b.oid]));

const vettedValue = (input: CheckInput, field: OrderFieldName): string | null => {
  const value = input.row.order?.[field];
  return value === undefined || value === null || value.trim() === '' ? null : value;
};

/** Some value of the side's attribute is not, byte for byte, its vetted value. */
function differsFromVetted(input: CheckInput, side: SwapSide): boolean {
  const vetted = input.row.order?.[side.field];
  for (const attribute of attributesOf(input.byType, side.oid)) if (attribute.value !== vetted) return true;
  return false;
}

/** Every value of `issued`'s attribute equals `vetted` (case aside), and there is one. */
function carries(input: CheckInput, issued: SwapSide, vetted: string): boolean {
  const attributes = attributesOf(input.byType, issued.oid);
  if (attributes.length === 0) return false;
  for (const attribute of attributes) if (compareText(attribute.value, vetted) === 'different') return false;
  return true;
}

/**
 * The pairs issued swapped: each attribute carries the other field's vetted value, and the two
 * vetted values differ (equal values cannot be told apart). Allocates only for a swap.
 */
export function swappedPairs(input: CheckInput): ReadonlyArray<readonly [SwapSide, SwapSide]> {
  let found: Array<readonly [SwapSide, SwapSide]> | null = null;
  for (const pair of SWAP_PAIRS) {
    const [a, b] = pair;
    // The common case, both issued exactly as vetted, is settled without comparing text.
    if (!differsFromVetted(input, a) || !differsFromVetted(input, b)) continue;
    const vettedA = vettedValue(input, a.field);
    const vettedB = vettedValue(input, b.field);
    if (vettedA === null || vettedB === null || compareText(vettedA, vettedB) !== 'different') continue;
    if (carries(input, a, vettedB) && carries(input, b, vettedA)) (found ??= []).push(pair);
  }
  return found ?? [];
}

/** Whether `oid` is issued swapped with another field: its mismatch is the swap check's finding. */
export function isSwapped(input: CheckInput, oid: string): boolean {
  if (!SWAPPABLE.has(oid) || input.row.order === null) return false;
  for (const [a, b] of swappedPairs(input)) if (a.oid === oid || b.oid === oid) return true;
  return false;
}

/** Whether the certificate carries attributes of some pair whose fields the order keeps. */
export function mayHoldSwap(input: CheckInput): boolean {
  const order = input.row.order;
  if (order === null) return false;
  for (const [a, b] of SWAP_PAIRS) {
    if (input.byType.has(a.oid) && input.byType.has(b.oid) && order[a.field] !== undefined && order[b.field] !== undefined) return true;
  }
  return false;
}
