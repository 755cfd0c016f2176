import { ATTRIBUTE } from '../decode/oids.js';
import { defineCheck } from './types.js';
import { EVG_9_2_8_EFFECTIVE } from './org_identifier.js';
import { appliesToOrderField, compareWithOrder } from './order_fields.js';

/**
 * Subject organizationIdentifier must be the identifier vetted for the order (Bugzilla 2062100, 2062202, 1590723).
 * Compared after Unicode NFC and white-space folding; a difference in case alone is a notice. A
 * value issued where the order vetted none is an error too; a swap with another field is
 * e_subject_fields_swapped_order's finding.
 */
export default defineCheck({
  name: 'e_subject_org_identifier_order_mismatch',
  description: 'organizationIdentifier differs from the organization identifier vetted for the order',
  citation: 'EVG 9.2.8 (EVG 2.0 7.1.4.2.8) Subject Organization Identifier Field (from EVG 1.7.0, 2020-01-31): the Registration Reference as verified',
  source: 'CABF EVG',
  effectiveDate: EVG_9_2_8_EFFECTIVE,
  appliesTo: (input) => appliesToOrderField(input, ATTRIBUTE.organizationIdentifier, input.row.order?.organizationIdentifier),
  execute: (input) => compareWithOrder(input, ATTRIBUTE.organizationIdentifier, 'organizationIdentifier', input.row.order?.organizationIdentifier, 'organization identifier'),
});
