// The swap readers (src/checks/swapped_fields.ts) work from masks that the subject index keeps
// per certificate and read the vetted values by name; here they are held to the straightforward
// reading (every attribute, every pair, the order's field by its name) on subjects and orders
// that hold each pair in place, swapped, differing, absent, twice, unkept (undefined) and empty.
import { describe, expect, it } from 'vitest';
import { SWAP_PAIRS, isSwapped, mayHoldSwap, swappedPairs, type SwapSide } from '../../src/checks/swapped_fields.js';
import { attributesOf, compareText } from '../../src/checks/subject.js';
import type { CheckInput } from '../../src/checks/types.js';
import { ATTRIBUTE } from '../../src/decode/oids.js';
import type { NameAttributeSpec } from '../../src/demo/der.js';
import type { OrderRecord } from '../../src/sources/types.js';
import { inputWithSubject } from './subject_certificate.js';

const SIDES: readonly SwapSide[] = [...new Set(SWAP_PAIRS.flat())];

/** swappedPairs as first written: each pair straight from the subject and the order's fields. */
function referencePairs(input: CheckInput): ReadonlyArray<readonly [SwapSide, SwapSide]> {
  const order = input.row.order;
  const vetted = (side: SwapSide) => {
    const value = order?.[side.field];
    return value === undefined || value === null || value.trim() === '' ? null : value;
  };
  const differs = (side: SwapSide) => input.certificate.subject.some((attribute) => attribute.oid === side.oid && attribute.value !== order?.[side.field]);
  const carries = (issued: SwapSide, value: string) => {
    const attributes = attributesOf(input.byType, issued.oid);
    return attributes.length > 0 && attributes.every((attribute) => compareText(attribute.value, value) !== 'different');
  };
  return SWAP_PAIRS.filter(([a, b]) => {
    if (!differs(a) || !differs(b)) return false;
    const vettedA = vetted(a);
    const vettedB = vetted(b);
    if (vettedA === null || vettedB === null || compareText(vettedA, vettedB) !== 'different') return false;
    return carries(a, vettedB) && carries(b, vettedA);
  });
}

function referenceMayHold(input: CheckInput): boolean {
  const order = input.row.order;
  if (order === null) return false;
  const issued = (side: SwapSide) => input.certificate.subject.some((attribute) => attribute.oid === side.oid);
  return SWAP_PAIRS.some(([a, b]) => issued(a) && issued(b) && order[a.field] !== undefined && order[b.field] !== undefined);
}

/** A deterministic pseudo-random sequence, so that a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const VALUES = ['Utrecht', 'Amsterdam', 'NL', 'DE', '1012 LG', 'Damrak 1', 'utrecht', ' Utrecht', ''];

describe('swappedPairs, mayHoldSwap and isSwapped', () => {
  it('equal the straightforward reading on 300 generated subjects, each with several orders', () => {
    const next = random(15);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)]!;
    let swaps = 0;
    for (let round = 0; round < 300; round++) {
      const subject: NameAttributeSpec[] = [{ oid: ATTRIBUTE.organizationName, value: 'Voorbeeld B.V.' }];
      for (const side of SIDES) {
        const copies = next() < 0.3 ? 0 : next() < 0.85 ? 1 : 2;
        for (let copy = 0; copy < copies; copy++) {
          const value = pick(VALUES.slice(0, side.oid === ATTRIBUTE.countryName || side.oid === ATTRIBUTE.jurisdictionCountryName ? 4 : 7));
          subject.push({ oid: side.oid, value, type: 'UTF8String' });
        }
      }
      subject.push({ oid: ATTRIBUTE.commonName, value: 'voorbeeld.example' });
      const certificateInput = inputWithSubject(subject);
      for (let variant = 0; variant < 6; variant++) {
        let order: OrderRecord | null = null;
        if (variant > 0) {
          order = { id: `ORD-${round}-${variant}` };
          for (const side of SIDES) {
            const roll = next();
            // Mostly the subject's own value or another side's (a swap), else null, unkept or other.
            const issued = certificateInput.certificate.subject.filter((attribute) => attribute.oid === side.oid);
            if (roll < 0.4 && issued.length) order[side.field] = issued[0]!.value;
            else if (roll < 0.7) order[side.field] = pick(VALUES);
            else if (roll < 0.8) order[side.field] = null;
            else if (roll < 0.9) order[side.field] = undefined;
            else {
              const other = pick(SIDES);
              order[side.field] = certificateInput.certificate.subject.find((attribute) => attribute.oid === other.oid)?.value ?? null;
            }
          }
        }
        if (order !== null && variant >= 4) {
          // A deliberate swap of one pair: each field vetted as the other side is issued.
          const [a, b] = pick(SWAP_PAIRS);
          const issuedValue = (side: SwapSide) => certificateInput.certificate.subject.find((attribute) => attribute.oid === side.oid)?.value ?? null;
          order[a.field] = issuedValue(b);
          order[b.field] = issuedValue(a);
        }
        const input: CheckInput = { ...certificateInput, row: { ...certificateInput.row, order } };
        const expected = referencePairs(input);
        swaps += expected.length;
        expect(swappedPairs(input)).toEqual(expected);
        expect(mayHoldSwap(input)).toBe(referenceMayHold(input));
        for (const side of SIDES) expect(isSwapped(input, side.oid), side.label).toBe(order !== null && expected.some(([a, b]) => a === side || b === side));
      }
    }
    // The generator must reach swaps, or the comparison proves little.
    expect(swaps).toBeGreaterThan(100);
  });

  it('the subject index keeps one mask per map of bits, the OR over the types present', () => {
    const { byType } = inputWithSubject([
      { oid: ATTRIBUTE.countryName, value: 'NL', type: 'PrintableString' },
      { oid: ATTRIBUTE.localityName, value: 'Utrecht' },
      { oid: ATTRIBUTE.localityName, value: 'Amsterdam' },
      { oid: ATTRIBUTE.commonName, value: 'voorbeeld.example' },
    ]);
    const bits = new Map([[ATTRIBUTE.countryName, 1], [ATTRIBUTE.localityName, 4], [ATTRIBUTE.stateOrProvinceName, 8]]);
    expect(byType.maskOf(bits)).toBe(5);
    expect(byType.maskOf(bits)).toBe(5);
    expect(byType.maskOf(new Map([[ATTRIBUTE.commonName, 2]]))).toBe(2);
    expect(byType.maskOf(new Map())).toBe(0);
    expect(byType.maskOf(bits)).toBe(5);
  });
});
