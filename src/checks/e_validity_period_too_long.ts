import { PASS, defineCheck } from './types.js';
import { MAX_VALIDITY, describePeriod, endOfPeriod, periodAt } from './rule_periods.js';

const DAY_MS = 86_400_000;

/**
 * A subscriber certificate's validity period (notBefore to notAfter inclusive, so one second more
 * than their difference: BR 1.6.1 "Validity Period", RFC 5280 4.1.2.5) may not exceed the
 * maximum in force at its notBefore. A retroactive audit judges each certificate by its own date.
 */
export default defineCheck({
  name: 'e_validity_period_too_long',
  description: 'Validity period longer than the BRs allowed at the certificate\'s notBefore',
  citation:
    'BR 6.3.2 (BR 1.0 9.4.1): 60 months, 39 months from 2015-04-01, 825 days from 2018-03-01 (Ballot 193), 398 days from 2020-09-01 (Ballot SC31), 200 days from 2026-03-15, 100 from 2027-03-15, 47 from 2029-03-15 (Ballot SC-081)',
  source: 'CABF BR',
  effectiveDate: MAX_VALIDITY[0]!.from,
  appliesTo: ({ certificate }) => !certificate.isCA,
  execute: ({ certificate }) => {
    const period = periodAt(MAX_VALIDITY, certificate.notBeforeMs);
    const notBefore = certificate.notBeforeMs;
    const lastSecondEnd = certificate.notAfterMs + 1000;
    if (period === null || lastSecondEnd <= endOfPeriod(notBefore, period)) return PASS;
    const days = (lastSecondEnd - notBefore) / DAY_MS;
    return {
      status: 'error',
      detail: `valid ${Number.isInteger(days) ? days : days.toFixed(2)} days (${certificate.notBefore} to ${certificate.notAfter}); ${period.rule} allows ${describePeriod(period)}`,
    };
  },
});
