import { ATTRIBUTE } from '../decode/oids.js';
import { defineCheck, PASS } from './types.js';
import { EVG_9_2_8_EFFECTIVE } from './org_identifier.js';
import { identifierCountry, orgIdentifiers } from './org_identifier.js';
import { has } from './subject.js';

export default defineCheck({
  name: 'e_subject_org_identifier_country_invalid',
  description: 'The country code inside organizationIdentifier is not a valid code for its registration scheme',
  citation:
    'EVG 9.2.8 (EVG 1.7 and 2.0): 2-character ISO 3166 country code (VAT may use EL for Greece; LEI/INT use XG); in force from 2020-01-31 (EVG 1.7.0, zlint CABFEV_Sec9_2_8_Date)',
  source: 'CABF EVG',
  effectiveDate: EVG_9_2_8_EFFECTIVE,
  appliesTo: ({ certificate, byType }) => has(byType, ATTRIBUTE.organizationIdentifier),
  execute: ({ certificate, byType }) => {
    const bad = orgIdentifiers(byType).filter((id) => identifierCountry(id) === null);
    if (bad.length === 0) return PASS;
    return { status: 'error', detail: bad.map((id) => `organizationIdentifier ${JSON.stringify(id.raw)}: ${id.country} is not valid for scheme ${id.scheme}`).join('; ') };
  },
});
