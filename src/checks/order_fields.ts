// The shared logic of the cross-checks of free-text subject fields (ST, L, O, street, ...) against the vetted order.
import { PASS } from './types.js';
import type { CheckInput, CheckOutcome } from './types.js';
import { attributesOf, compareText } from './subject.js';
import { isSwapped } from './swapped_fields.js';

/**
 * `vettedValue` is the order's field (undefined without an order), read by the check by its name:
 * in this helper, shared by eleven checks, a keyed load with the field's name varied per call and
 * missed V8's inline caches on every certificate.
 */
export function compareWithOrder(input: CheckInput, oid: string, label: string, vettedValue: string | null | undefined, what: string): CheckOutcome {
  const { row, byType } = input;
  const vetted = vettedValue ?? null;
  const issued = attributesOf(byType, oid);
  if (vetted === null || vetted.trim() === '') {
    return { status: 'error', detail: `subject ${label}=${issued.map((attribute) => JSON.stringify(attribute.value)).join(',')} but order ${row.order?.id} has no vetted ${what}` };
  }
  let allSame = true;
  for (const attribute of issued) if (compareText(attribute.value, vetted) !== 'same') allSame = false;
  if (allSame) return PASS;
  const results = issued.map((attribute) => ({ attribute, comparison: compareText(attribute.value, vetted) }));
  const different = results.filter((result) => result.comparison === 'different');
  // Issued in another vetted field's place and that field in this one's: one swap finding instead.
  if (different.length && isSwapped(input, oid)) return PASS;
  if (different.length) {
    return { status: 'error', detail: `subject ${label}=${different.map((result) => JSON.stringify(result.attribute.value)).join(',')} but order ${row.order?.id} was vetted for ${JSON.stringify(vetted)}` };
  }
  const caseOnly = results.filter((result) => result.comparison === 'case-only');
  if (caseOnly.length) {
    return { status: 'notice', detail: `subject ${label}=${caseOnly.map((result) => JSON.stringify(result.attribute.value)).join(',')} differs from the vetted ${JSON.stringify(vetted)} only in case` };
  }
  return PASS;
}

/**
 * The order exists, keeps this field (its column is mapped), and the certificate has the
 * attribute. `vettedValue` is the order's field, as for compareWithOrder.
 */
export const appliesToOrderField = (input: CheckInput, oid: string, vettedValue: string | null | undefined): boolean =>
  // The attribute first: most certificates carry few of the fields, and that test is the cheapest.
  input.byType.has(oid) && input.row.order !== null && vettedValue !== undefined;
