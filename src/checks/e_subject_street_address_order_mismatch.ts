import { ATTRIBUTE } from '../decode/oids.js';
import { BR_EFFECTIVE, defineCheck } from './types.js';
import { appliesToOrderField, compareWithOrder } from './order_fields.js';

/**
 * Subject streetAddress must be the vetted street address (Bugzilla 1771482, 1802845).
 * Compared after Unicode NFC and white-space folding; a difference in case alone is a notice. A
 * value issued where the order vetted none is an error too; a swap with another field is
 * e_subject_fields_swapped_order's finding.
 */
export default defineCheck({
  name: 'e_subject_street_address_order_mismatch',
  description: 'street differs from the street address vetted for the order',
  citation: 'BR 3.2.2.1 (address verification) and 7.1.2.7.4 (BR 1.x 7.1.4.2.2(e)): subject:streetAddress as verified; EVG 9.2.5 (EVG 2.0 7.1.4.2.4) Place of Business',
  source: 'CABF BR',
  effectiveDate: BR_EFFECTIVE,
  appliesTo: (input) => appliesToOrderField(input, ATTRIBUTE.streetAddress, input.row.order?.streetAddress),
  execute: (input) => compareWithOrder(input, ATTRIBUTE.streetAddress, 'street', input.row.order?.streetAddress, 'street address'),
});
