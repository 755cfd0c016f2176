import { ATTRIBUTE } from '../decode/oids.js';
import { BR_EFFECTIVE, defineCheck, PASS } from './types.js';
import { countries, has } from './subject.js';

/**
 * countryName is required in the subject of OV, IV and EV certificates, of any subscriber
 * certificate naming an organization or a natural person (O, givenName, surname), and of CA
 * certificates. An empty value counts as missing (as in zlint).
 */
export default defineCheck({
  name: 'e_subject_country_missing',
  description: 'Subject countryName is missing (or empty) where it is required',
  citation:
    'BR 7.1.2.7.4 / 7.1.2.7.5 (BR 1.x 7.1.4.2.2(h), 7.1.6.4): OV/IV require C; BR 1.x 7.1.4.2.2(h): C required when O, givenName or surname is present; EVG 9.2.6 (EV: the Place of Business address, countryName per BR 7.1.4.2.2); BR 7.1.2.10.2 (CA certificates)',
  source: 'CABF BR',
  effectiveDate: BR_EFFECTIVE,
  appliesTo: ({ certificate, byType }) =>
    certificate.isCA ||
    certificate.validationType === 'OV' ||
    certificate.validationType === 'IV' ||
    certificate.validationType === 'EV' ||
    has(byType, ATTRIBUTE.organizationName) ||
    has(byType, ATTRIBUTE.givenName) ||
    has(byType, ATTRIBUTE.surname),
  execute: ({ certificate, byType }) => {
    if (countries(byType).some((attribute) => attribute.value.trim() !== '')) return PASS;
    const why = certificate.isCA
      ? 'CA certificate'
      : certificate.validationType && certificate.validationType !== 'DV'
        ? `${certificate.validationType} certificate`
        : 'subject names an organization or a person';
    return { status: 'error', detail: `no countryName in the subject (${why})` };
  },
});
