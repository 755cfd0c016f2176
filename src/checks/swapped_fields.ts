// Two vetted subject fields issued in each other's place (Bugzilla 1771482, 1802845: street and
// postal code; ST and L; a jurisdiction field holding the place of business). A swap is one
// finding (e_subject_fields_swapped_order), so the per-field mismatch checks leave both alone.
import { ATTRIBUTE } from '../decode/oids.js';
import type { OrderFieldName } from '../sources/order_fields.js';
import type { OrderRecord } from '../sources/types.js';
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
const bitOf = (swapSide: SwapSide): number => BIT_OF_OID.get(swapSide.oid)!;
const PAIR_MASKS: readonly number[] = SWAP_PAIRS.map(([a, b]) => bitOf(a) | bitOf(b));
/** The sides that are part of some pair the subject carries both of, by the mask of sides issued (2^8 masks). */
const SIDES_IN_PAIRS: Uint8Array = Uint8Array.from({ length: 1 << SIDES.length }, (_, issued) =>
  PAIR_MASKS.reduce((sides, pair) => ((issued & pair) === pair ? sides | pair : sides), 0),
);

/** The sides whose attribute the subject carries: once per certificate (the subject index keeps it). */
const sidesIssued = (input: CheckInput): number => input.byType.maskOf(BIT_OF_OID);

const STREET_BIT = bitOf(STREET);
const POSTAL_CODE_BIT = bitOf(POSTAL_CODE);
const ST_BIT = bitOf(ST);
const L_BIT = bitOf(L);
const JURISDICTION_ST_BIT = bitOf(JURISDICTION_ST);
const JURISDICTION_L_BIT = bitOf(JURISDICTION_L);
const JURISDICTION_C_BIT = bitOf(JURISDICTION_C);

/**
 * The vetted value of the side with bit `bit`, read by its name (a shape the order record always
 * has): a keyed load with a varying field name cost more, and this runs for every certificate.
 */
function vettedOfSide(order: OrderRecord, bit: number): string | null | undefined {
  switch (bit) {
    case STREET_BIT:
      return order.streetAddress;
    case POSTAL_CODE_BIT:
      return order.postalCode;
    case ST_BIT:
      return order.state;
    case L_BIT:
      return order.locality;
    case JURISDICTION_ST_BIT:
      return order.jurisdictionState;
    case JURISDICTION_L_BIT:
      return order.jurisdictionLocality;
    case JURISDICTION_C_BIT:
      return order.jurisdictionCountry;
    default: // C, the one side left
      return order.country;
  }
}

/**
 * Of the sides in a pair the subject carries both of, those with some value that is not, byte
 * for byte, the order's vetted value (every such side when there is no order). The common case,
 * a subject issued exactly as vetted, gives 0 without a single text comparison.
 */
function sidesDiffering(input: CheckInput): number {
  const candidates = SIDES_IN_PAIRS[sidesIssued(input)]!;
  if (candidates === 0) return 0;
  const order = input.row.order;
  if (order === null) return candidates;
  let mask = 0;
  for (let at = 0; at < SIDES.length; at++) {
    const bit = 1 << at;
    if ((candidates & bit) === 0) continue;
    const vetted = vettedOfSide(order, bit);
    for (const attribute of input.byType.get(SIDES[at]!.oid)!) if (attribute.value !== vetted) mask |= bit;
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
  const differing = sidesDiffering(input);
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
  const issued = sidesIssued(input);
  if (SIDES_IN_PAIRS[issued] === 0) return false;
  for (let index = 0; index < SWAP_PAIRS.length; index++) {
    const [a, b] = SWAP_PAIRS[index]!;
    if ((issued & PAIR_MASKS[index]!) === PAIR_MASKS[index] && order[a.field] !== undefined && order[b.field] !== undefined) return true;
  }
  return false;
}
