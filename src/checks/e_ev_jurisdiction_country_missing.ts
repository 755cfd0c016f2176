import { EVG_EFFECTIVE, defineCheck, PASS } from './types.js';
import { jurisdictionCountries } from './subject.js';

export default defineCheck({
  name: 'e_ev_jurisdiction_country_missing',
  description: 'EV certificate without jurisdictionCountryName',
  citation: 'EVG 9.2.4 (EVG 1.7 and 2.0): jurisdictionCountryName is required in EV certificates',
  source: 'CABF EVG',
  effectiveDate: EVG_EFFECTIVE,
  appliesTo: ({ certificate, byType }) => certificate.validationType === 'EV' && !certificate.isCA,
  execute: ({ certificate, byType }) =>
    jurisdictionCountries(byType).length > 0 ? PASS : { status: 'error', detail: 'EV certificate has no jurisdictionCountryName' },
});
