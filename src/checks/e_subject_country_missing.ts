import { ATTRIBUTE } from '../decode/oids.js';
import { BR_EFFECTIVE, EVG_EFFECTIVE, defineCheck, PASS, type CheckInput } from './types.js';
import { countries, has } from './subject.js';

/** One reason countryName is required, and the date from which it was a rule. */
interface Trigger {
  /** Why C is required, as the finding says it. */
  reason: string;
  /** notBefore on or after this date (YYYY-MM-DD). */
  since: string;
  applies(input: CheckInput): boolean;
}

/**
 * Each reason has its own date in the BR / EVG history (the dates as zlint's lints give them):
 * - CA certificate: BR 1.0 (2012-07-01; BR 1.0–1.2.4 9.1.4, today 7.1.2.10.2).
 * - OV: BR 1.0 (2012-07-01; then "Subject Identity Validated", BR 1.0–1.2.5 9.3.1, today 7.1.2.7.4).
 * - IV: BR 1.3.1 (2015-09-28), which split the Individual Validated profile out (7.1.6.1, today
 *   7.1.2.7.3); zlint's CABV131Date.
 * - EV: EVG 1.0 (2007-06-07; the Place of Business countryName, today EVG 9.2.6).
 * - organizationName present: BR 1.0 9.2.5 (2012-07-01; later 7.1.4.2.2(h)).
 * - givenName or surname present: added to BR 7.1.4.2.2(h) in September 2016 (2016-09-07,
 *   zlint's CABGivenNameDate).
 * The rule for a certificate is in force from the earliest date among its triggers; a finding
 * names only the triggers in force at its notBefore.
 */
const TRIGGERS: readonly Trigger[] = [
  { reason: 'CA certificate', since: BR_EFFECTIVE, applies: ({ certificate }) => certificate.isCA },
  { reason: 'OV certificate', since: BR_EFFECTIVE, applies: ({ certificate }) => !certificate.isCA && certificate.validationType === 'OV' },
  { reason: 'IV certificate', since: '2015-09-28', applies: ({ certificate }) => !certificate.isCA && certificate.validationType === 'IV' },
  { reason: 'EV certificate', since: EVG_EFFECTIVE, applies: ({ certificate }) => !certificate.isCA && certificate.validationType === 'EV' },
  { reason: 'subject names an organization', since: BR_EFFECTIVE, applies: ({ byType }) => has(byType, ATTRIBUTE.organizationName) },
  {
    reason: 'subject names a person (givenName / surname)',
    since: '2016-09-07',
    applies: ({ byType }) => has(byType, ATTRIBUTE.givenName) || has(byType, ATTRIBUTE.surname),
  },
];

const EARLIEST = TRIGGERS.reduce((earliest, trigger) => (trigger.since < earliest ? trigger.since : earliest), TRIGGERS[0]!.since);

/** The triggers by date, earliest first (stable): the first that applies has the earliest date. */
const TRIGGERS_BY_DATE: readonly Trigger[] = [...TRIGGERS].sort((a, b) => (a.since < b.since ? -1 : a.since > b.since ? 1 : 0));

/**
 * countryName is required in the subject of OV, IV and EV certificates, of any certificate naming
 * an organization or a natural person (O, givenName, surname), and of CA certificates, each from
 * its own date. An empty value counts as missing (as in zlint).
 */
export default defineCheck({
  name: 'e_subject_country_missing',
  description: 'Subject countryName is missing (or empty) where it is required',
  citation:
    'CA certificates: BR 7.1.2.10.2 (BR 1.0–1.2.4 9.1.4), from 2012-07-01; OV: BR 7.1.2.7.4 (BR 1.0 9.3.1, 1.x 7.1.6.1/7.1.6.4), from 2012-07-01; ' +
    'IV: BR 7.1.2.7.3 (BR 1.3.1 7.1.6.1, the Individual Validated profile), from 2015-09-28; EV: EVG 9.2.6 (EVG 1.0), from 2007-06-07; ' +
    'organizationName present: BR 1.0 9.2.5 (1.x 7.1.4.2.2(h)), from 2012-07-01; givenName/surname present: BR 7.1.4.2.2(h) as amended in September 2016, from 2016-09-07',
  source: 'CABF BR',
  effectiveDate: EARLIEST,
  appliesTo: (input) => TRIGGERS.some((trigger) => trigger.applies(input)),
  effectiveDateFor: (input) => {
    // Asked for every certificate: no date comparisons, and most stop at the third trigger.
    for (const trigger of TRIGGERS_BY_DATE) if (trigger.applies(input)) return trigger.since;
    return EARLIEST;
  },
  execute: (input) => {
    if (countries(input.byType).some((attribute) => attribute.value.trim() !== '')) return PASS;
    const issued = input.certificate.notBefore.slice(0, 10);
    const reasons = TRIGGERS.filter((trigger) => trigger.since <= issued && trigger.applies(input)).map((trigger) => trigger.reason);
    return { status: 'error', detail: `no countryName in the subject (${reasons.join('; ')})` };
  },
});
