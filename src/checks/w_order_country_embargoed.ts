import { ATTRIBUTE } from '../decode/oids.js';
import type { NameAttribute } from '../decode/types.js';
import { normalizeCountry } from './country_codes.js';
import { BR_EFFECTIVE, defineCheck, PASS } from './types.js';

/** Whether a countryName or jurisdictionCountryName of the subject is one of `codes`. */
function subjectNamesOneOf(subject: readonly NameAttribute[], codes: ReadonlySet<string>): boolean {
  for (const attribute of subject) {
    if ((attribute.oid === ATTRIBUTE.countryName || attribute.oid === ATTRIBUTE.jurisdictionCountryName) && codes.has(normalizeCountry(attribute.value))) return true;
  }
  return false;
}

/**
 * Orders and certificates tied to a country on the CA's embargo / sanctions list
 * (checks.embargoedCountries) get a second review: this is where the 2019 workflow substituted a
 * placeholder country instead of escalating.
 */
export default defineCheck({
  name: 'w_order_country_embargoed',
  description: 'The vetted order or the certificate names a country on the configured embargo / sanctions list',
  citation: 'BR 4.1.1 and 4.2.1: the CA must not issue to persons on government denied or prohibited lists (e.g. OFAC, EU sanctions); flagged for second review',
  source: 'CABF BR',
  effectiveDate: BR_EFFECTIVE,
  appliesTo: (_input, context) => context.embargoedCountries.size > 0,
  execute: ({ certificate, row }, context) => {
    // Nearly every certificate names no embargoed country: decided before building the detail,
    // without closures (they were allocated for every certificate).
    const embargoed = context.embargoedCountries;
    if (!embargoed.has(normalizeCountry(row.order?.country)) && !embargoed.has(normalizeCountry(row.order?.jurisdictionCountry)) && !subjectNamesOneOf(certificate.subject, embargoed)) {
      return PASS;
    }
    const named = new Map<string, string>();
    const note = (code: string | null | undefined, where: string) => {
      const normalized = normalizeCountry(code);
      if (context.embargoedCountries.has(normalized) && !named.has(normalized)) named.set(normalized, where);
    };
    note(row.order?.country, 'order country');
    note(row.order?.jurisdictionCountry, 'order jurisdiction');
    for (const attribute of certificate.subject) {
      if (attribute.oid === ATTRIBUTE.countryName) note(attribute.value, 'subject C');
      if (attribute.oid === ATTRIBUTE.jurisdictionCountryName) note(attribute.value, 'subject jurisdictionC');
    }
    if (named.size === 0) return PASS;
    return { status: 'warn', detail: [...named].map(([code, where]) => `${where} ${code} is on the embargo list`).join('; ') + ': second review required' };
  },
});
