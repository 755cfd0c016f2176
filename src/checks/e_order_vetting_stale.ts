import type { CheckInput } from './types.js';
import { BR_EFFECTIVE, PASS, defineCheck } from './types.js';
import { EV_DATA_AGE, IDENTITY_REUSE, describePeriod, endOfPeriod, periodAt, vettedAtMs } from './rule_periods.js';

/** The identity-data reuse rule for this certificate: the EVG's for EV, the BRs' otherwise. */
const scheduleFor = ({ certificate }: CheckInput) => (certificate.validationType === 'EV' ? EV_DATA_AGE : IDENTITY_REUSE);

/**
 * The subject identity must have been verified within the reuse period in force at the
 * certificate's notBefore: 39 months (BR 1.0), 825 days from 2018-03-01, 398 days from 2026-03-15;
 * EV: EVG 11.14.3, thirteen months, then 398 days from 2021-06-02 (SC42). Applies to orders that record when they were vetted (orders.vetted_at) and
 * certificates that carry an identity (not DV). A vetted_at that is not a time is reported.
 */
export default defineCheck({
  name: 'e_order_vetting_stale',
  description: 'Certificate issued on subject identity data older than the reuse period then in force',
  citation:
    'BR 4.2.1 (BR 1.0 11.3): reuse of subject identity validation, 39 months, then 825 days (Ballot 193, 2018-03-01), then 398 days (Ballot SC-081, 2026-03-15); for EV EVG 11.14.3 (EVG 2.0 3.2.2.14.3): thirteen months, then 398 days (Ballot SC42, 2021-06-02)',
  source: 'CABF BR',
  effectiveDate: BR_EFFECTIVE,
  appliesTo: ({ certificate, row }) => typeof row.order?.vettedAt === 'string' && row.order.vettedAt.trim() !== '' && certificate.validationType !== 'DV',
  effectiveDateFor: (input) => scheduleFor(input)[0]!.from,
  execute: (input) => {
    const { certificate, row } = input;
    const vettedAt = row.order!.vettedAt!;
    const vetted = vettedAtMs(vettedAt);
    if (Number.isNaN(vetted)) return { status: 'warn', detail: `order ${row.order!.id} vetted_at ${JSON.stringify(vettedAt)} is not an ISO 8601 time: the age of its vetting cannot be judged` };
    const period = periodAt(scheduleFor(input), certificate.notBeforeMs);
    const notBefore = certificate.notBeforeMs;
    if (period === null || notBefore <= endOfPeriod(vetted, period)) return PASS;
    const days = Math.floor((notBefore - vetted) / 86_400_000);
    return {
      status: 'error',
      detail: `notBefore ${certificate.notBefore} is ${days} days after order ${row.order!.id} was vetted (${vettedAt}); ${period.rule} allows ${describePeriod(period)}`,
    };
  },
});
