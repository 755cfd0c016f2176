import { ATTRIBUTE } from '../decode/oids.js';
import { BR_EFFECTIVE, defineCheck } from './types.js';
import { appliesToOrderField, compareWithOrder } from './order_fields.js';

/**
 * Subject localityName must be the vetted locality, compared after Unicode NFC and white-space folding;
 * a difference in case alone is a notice.
 */
export default defineCheck({
  name: 'e_subject_locality_order_mismatch',
  description: 'Subject localityName differs from the locality vetted for the order',
  citation: 'BR 3.2.2.1 (address verification) and 7.1.2.7.4 (BR 1.x 7.1.4.2.2(e)): subject:localityName as verified for the Subject',
  source: 'CABF BR',
  effectiveDate: BR_EFFECTIVE,
  appliesTo: (input) => appliesToOrderField(input, ATTRIBUTE.localityName, input.row.order?.locality),
  execute: (input) => compareWithOrder(input, ATTRIBUTE.localityName, 'L', input.row.order?.locality, 'locality'),
});
