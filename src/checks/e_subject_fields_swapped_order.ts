import { BR_EFFECTIVE, PASS, defineCheck } from './types.js';
import { mayHoldSwap, swappedPairs } from './swapped_fields.js';

/**
 * Two vetted fields issued in each other's place: street and postal code (Bugzilla 1771482,
 * 1802845), ST and L, jurisdictionST and jurisdictionL, or a jurisdiction field and the same
 * field of the place of business (C, ST, L). One finding names both fields; the per-field
 * mismatch checks leave them to it.
 */
export default defineCheck({
  name: 'e_subject_fields_swapped_order',
  description: 'Two subject fields each carry the value vetted for the other',
  citation:
    'BR 3.2.2.1 and 7.1.2.7.4 (BR 1.x 7.1.4.2.2): each subject field as verified for the Subject; EVG 9.2.4 and 9.2.5 (EVG 2.0 7.1.4.2.3/7.1.4.2.4): Jurisdiction of Incorporation or Registration and Place of Business fields',
  source: 'CABF BR',
  effectiveDate: BR_EFFECTIVE,
  appliesTo: (input) => mayHoldSwap(input),
  execute: (input) => {
    const swaps = swappedPairs(input);
    if (swaps.length === 0) return PASS;
    const order = input.row.order;
    const named = swaps.map(
      ([a, b]) => `${a.label}=${JSON.stringify(order?.[b.field])} and ${b.label}=${JSON.stringify(order?.[a.field])} are swapped (order ${order?.id} vetted ${a.label} ${JSON.stringify(order?.[a.field])}, ${b.label} ${JSON.stringify(order?.[b.field])})`,
    );
    return { status: 'error', detail: named.join('; ') };
  },
});
