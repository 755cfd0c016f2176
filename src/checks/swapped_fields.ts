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

const NO_SWAPS: ReadonlyArray<readonly [SwapSide, SwapSide]> = Object.freeze([]);

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

/** Each side's bit in a mask of sides; a pair's mask has both of its sides' bits. */
const SIDES: readonly SwapSide[] = [...new Set(SWAP_PAIRS.flat())];
const BIT_OF_OID = new Map(SIDES.map((swapSide, index) => [swapSide.oid, 1 << index]));
const FIELD_OF_OID = new Map(SIDES.map((swapSide) => [swapSide.oid, swapSide.field]));
const bitOf = (swapSide: SwapSide): number => BIT_OF_OID.get(swapSide.oid)!;
const PAIR_MASKS: readonly number[] = SWAP_PAIRS.map(([a, b]) => bitOf(a) | bitOf(b));

/**
 * One pass over the subject (this runs for every certificate): the sides whose attribute the
 * certificate carries and, with `onlyDiffering`, only those where some value is not, byte for
 * byte, the order's vetted value. The common case, a subject issued exactly as vetted, then
 * gives 0 without a single text comparison.
 */
function sidesIssued(input: CheckInput, onlyDiffering: boolean): number {
  const order = input.row.order;
  let mask = 0;
  for (const attribute of input.certificate.subject) {
    const bit = BIT_OF_OID.get(attribute.oid);
    if (bit === undefined) continue;
    if (!onlyDiffering || attribute.value !== order?.[FIELD_OF_OID.get(attribute.oid)!]) mask |= bit;
  }
  return mask;
}

const vettedValue = (input: CheckInput, field: OrderFieldName): string | null => {
  const value = input.row.order?.[field];
  return value === undefined || value === null || value.trim() === '' ? null : value;
};

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
  const differing = sidesIssued(input, true);
  if (differing === 0) return NO_SWAPS;
  let found: Array<readonly [SwapSide, SwapSide]> | null = null;
  for (let index = 0; index < SWAP_PAIRS.length; index++) {
    // Both sides must differ from their own vetted values to hold each other's.
    if ((differing & PAIR_MASKS[index]!) !== PAIR_MASKS[index]) continue;
    const pair = SWAP_PAIRS[index]!;
    const [a, b] = pair;
    const vettedA = vettedValue(input, a.field);
    const vettedB = vettedValue(input, b.field);
    if (vettedA === null || vettedB === null || compareText(vettedA, vettedB) !== 'different') continue;
    if (carries(input, a, vettedB) && carries(input, b, vettedA)) (found ??= []).push(pair);
  }
  return found ?? NO_SWAPS;
}

/** Whether `oid` is issued swapped with another field: its mismatch is the swap check's finding. */
export function isSwapped(input: CheckInput, oid: string): boolean {
  if (!BIT_OF_OID.has(oid) || input.row.order === null) return false;
  for (const [a, b] of swappedPairs(input)) if (a.oid === oid || b.oid === oid) return true;
  return false;
}

/** Whether the certificate carries attributes of some pair whose fields the order keeps. */
export function mayHoldSwap(input: CheckInput): boolean {
  const order = input.row.order;
  if (order === null) return false;
  const issued = sidesIssued(input, false);
  for (let index = 0; index < SWAP_PAIRS.length; index++) {
    const [a, b] = SWAP_PAIRS[index]!;
    if ((issued & PAIR_MASKS[index]!) === PAIR_MASKS[index] && order[a.field] !== undefined && order[b.field] !== undefined) return true;
  }
  return false;
}
