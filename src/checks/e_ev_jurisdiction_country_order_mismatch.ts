import { ATTRIBUTE } from '../decode/oids.js';
import { valuesOfType } from './subject.js';
import { normalizeCountry } from './country_codes.js';
import { isSwapped } from './swapped_fields.js';
import { EVG_EFFECTIVE, defineCheck, PASS } from './types.js';

/**
 * EV jurisdictionCountryName must be the vetted jurisdiction of incorporation or registration.
 * It applies when the order records a jurisdiction, and also when the certificate carries one the
 * order never vetted.
 */
export default defineCheck({
  name: 'e_ev_jurisdiction_country_order_mismatch',
  description: 'Subject jurisdictionCountryName differs from the jurisdiction vetted for the order',
  citation:
    'EVG 9.2.4 Subject Jurisdiction of Incorporation or Registration Field (EVG 1.7 and 2.0), verified per EVG 11.2',
  source: 'CABF EVG',
  effectiveDate: EVG_EFFECTIVE,
  appliesTo: ({ certificate, row, byType }) =>
    row.order !== null &&
    row.order.jurisdictionCountry !== undefined &&
    (normalizeCountry(row.order.jurisdictionCountry) !== '' || byType.has(ATTRIBUTE.jurisdictionCountryName)),
  execute: (input) => {
    const { row, byType } = input;
    const vetted = normalizeCountry(row.order?.jurisdictionCountry);
    const issued = valuesOfType(byType, ATTRIBUTE.jurisdictionCountryName);
    if (issued.length === 0) return PASS; // absence is the EV profile checks' business
    if (vetted === '') {
      return { status: 'error', detail: `jurisdictionC=${issued.join(',')} but order ${row.order?.id} has no vetted jurisdiction` };
    }
    const wrong = issued.filter((value) => normalizeCountry(value) !== vetted);
    if (wrong.length === 0 || isSwapped(input, ATTRIBUTE.jurisdictionCountryName)) return PASS; // a swap is e_subject_fields_swapped_order's finding
    return { status: 'error', detail: `jurisdictionC=${wrong.join(',')} but order ${row.order?.id} was vetted for jurisdiction ${vetted}` };
  },
});
