import { BR_EFFECTIVE, PASS, defineCheck } from './types.js';
import { looksLikeIsoDate, vettedAtMs } from './rule_periods.js';

/**
 * A certificate whose notBefore precedes the vetting of its order was issued on identity data
 * that had not been verified yet. orders.vetted_at must be the vetting the certificate relied on:
 * a CA that overwrites it on revalidation makes older certificates look issued before it.
 */
export default defineCheck({
  name: 'e_certificate_issued_before_vetting',
  description: 'Certificate notBefore is earlier than the vetting of its order',
  citation: 'BR 3.2.2 and 4.2.1 (BR 1.0 11): the subject identity is verified before issuance; EVG 11.1.1 for EV',
  source: 'CABF BR',
  effectiveDate: BR_EFFECTIVE,
  appliesTo: ({ certificate, row }) => certificate.validationType !== 'DV' && typeof row.order?.vettedAt === 'string' && looksLikeIsoDate(row.order.vettedAt),
  execute: ({ certificate, row }) => {
    const vettedAt = row.order!.vettedAt!;
    // A vetted_at that is no time after all is e_order_vetting_stale's warning.
    const vetted = vettedAtMs(vettedAt);
    if (Number.isNaN(vetted) || certificate.notBeforeMs >= vetted) return PASS;
    return { status: 'error', detail: `notBefore ${certificate.notBefore} is before order ${row.order!.id} was vetted (${vettedAt})` };
  },
});
