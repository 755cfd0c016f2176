import { ATTRIBUTE } from '../decode/oids.js';
import { BR_EFFECTIVE, defineCheck } from './types.js';
import { appliesToOrderField, compareWithOrder } from './order_fields.js';

/**
 * Subject stateOrProvinceName must be the vetted state or province, compared after Unicode NFC and white-space folding;
 * a difference in case alone is a notice.
 */
export default defineCheck({
  name: 'e_subject_state_order_mismatch',
  description: 'Subject stateOrProvinceName differs from the state or province vetted for the order',
  citation: 'BR 3.2.2.1 (address verification) and 7.1.2.7.4 (BR 1.x 7.1.4.2.2(f)): subject:stateOrProvinceName as verified for the Subject',
  source: 'CABF BR',
  effectiveDate: BR_EFFECTIVE,
  appliesTo: (input) => appliesToOrderField(input, ATTRIBUTE.stateOrProvinceName, input.row.order?.state),
  execute: (input) => compareWithOrder(input, ATTRIBUTE.stateOrProvinceName, 'ST', input.row.order?.state, 'state or province'),
});
