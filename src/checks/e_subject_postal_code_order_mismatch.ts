import { ATTRIBUTE } from '../decode/oids.js';
import { BR_EFFECTIVE, defineCheck } from './types.js';
import { appliesToOrderField, compareWithOrder } from './order_fields.js';

/**
 * Subject postalCode must be the vetted postal code (Bugzilla 1802845: 2153 issued for 21532).
 * Compared after Unicode NFC and white-space folding; a difference in case alone is a notice. A
 * value issued where the order vetted none is an error too; a swap with another field is
 * e_subject_fields_swapped_order's finding.
 */
export default defineCheck({
  name: 'e_subject_postal_code_order_mismatch',
  description: 'postalCode differs from the postal code vetted for the order',
  citation: 'BR 3.2.2.1 (address verification) and 7.1.2.7.4 (BR 1.x 7.1.4.2.2(g)): subject:postalCode as verified; EVG 9.2.5 (EVG 2.0 7.1.4.2.4) Place of Business',
  source: 'CABF BR',
  effectiveDate: BR_EFFECTIVE,
  appliesTo: (input) => appliesToOrderField(input, ATTRIBUTE.postalCode, input.row.order?.postalCode),
  execute: (input) => compareWithOrder(input, ATTRIBUTE.postalCode, 'postalCode', input.row.order?.postalCode, 'postal code'),
});
