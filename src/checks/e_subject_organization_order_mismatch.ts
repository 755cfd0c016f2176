import { ATTRIBUTE } from '../decode/oids.js';
import { BR_EFFECTIVE, defineCheck } from './types.js';
import { appliesToOrderField, compareWithOrder } from './order_fields.js';

/**
 * Subject organizationName must be the vetted organization, compared after Unicode NFC and white-space folding;
 * a difference in case alone is a notice.
 */
export default defineCheck({
  name: 'e_subject_organization_order_mismatch',
  description: 'Subject organizationName differs from the organization vetted for the order',
  citation: 'BR 3.2.2.2 (identity verification) and 7.1.2.7.4 (BR 1.x 7.1.4.2.2(b)): subject:organizationName as verified for the Subject',
  source: 'CABF BR',
  effectiveDate: BR_EFFECTIVE,
  appliesTo: (input) => appliesToOrderField(input, ATTRIBUTE.organizationName, input.row.order?.organization),
  execute: (input) => compareWithOrder(input, ATTRIBUTE.organizationName, 'O', input.row.order?.organization, 'organization'),
});
