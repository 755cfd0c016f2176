import { ATTRIBUTE } from '../decode/oids.js';
import { EVG_EFFECTIVE, defineCheck } from './types.js';
import { appliesToOrderField, compareWithOrder } from './order_fields.js';

/**
 * EV jurisdictionStateOrProvinceName must be the vetted state or province of incorporation or registration (Bugzilla 1576013: misspelled; January 2020: Dutch provinces where the registry is national).
 * Compared after Unicode NFC and white-space folding; a difference in case alone is a notice. A
 * value issued where the order vetted none is an error too; a swap with another field is
 * e_subject_fields_swapped_order's finding.
 */
export default defineCheck({
  name: 'e_ev_jurisdiction_state_order_mismatch',
  description: 'jurisdictionST differs from the jurisdiction state or province vetted for the order',
  citation: 'EVG 9.2.4 (EVG 2.0 7.1.4.2.3) Subject Jurisdiction of Incorporation or Registration Field, verified per EVG 11.2',
  source: 'CABF EVG',
  effectiveDate: EVG_EFFECTIVE,
  appliesTo: (input) => appliesToOrderField(input, ATTRIBUTE.jurisdictionStateOrProvinceName, input.row.order?.jurisdictionState),
  execute: (input) => compareWithOrder(input, ATTRIBUTE.jurisdictionStateOrProvinceName, 'jurisdictionST', input.row.order?.jurisdictionState, 'jurisdiction state or province'),
});
