import { ATTRIBUTE } from '../decode/oids.js';
import { EVG_EFFECTIVE, defineCheck } from './types.js';
import { appliesToOrderField, compareWithOrder } from './order_fields.js';

/**
 * The registration number in subject serialNumber must be the one vetted (Bugzilla 1576283: "N/A" in 32 certificates; 1575022: "00").
 * Compared after Unicode NFC and white-space folding; a difference in case alone is a notice. A
 * value issued where the order vetted none is an error too; a swap with another field is
 * e_subject_fields_swapped_order's finding.
 */
export default defineCheck({
  name: 'e_subject_registration_number_order_mismatch',
  description: 'serialNumber differs from the registration number vetted for the order',
  citation: 'EVG 9.2.6 (EVG 2.0 7.1.4.2.5) Registration Number Field, verified per EVG 11.2; BR 7.1.2.7.4 (OV: serialNumber as verified)',
  source: 'CABF EVG',
  effectiveDate: EVG_EFFECTIVE,
  appliesTo: (input) => appliesToOrderField(input, ATTRIBUTE.serialNumber, input.row.order?.registrationNumber),
  execute: (input) => compareWithOrder(input, ATTRIBUTE.serialNumber, 'serialNumber', input.row.order?.registrationNumber, 'registration number'),
});
