import type { EncodedTime } from '../decode/time.js';
import { defineCheck, PASS } from './types.js';

/**
 * What is wrong with one validity time's form, in words (empty when nothing is). Works on the
 * characters the decoder carried (CertificateFacts.validityEncoding), not on DER; the decoder has
 * already read them, so they are digits with an optional fraction and zone.
 */
function formProblems(field: string, { type, text }: EncodedTime): string[] {
  const problems: string[] = [];
  const zone = /(Z|[+-]\d{2}(?:\d{2})?)$/.exec(text)?.[1];
  const body = zone === undefined ? text : text.slice(0, -zone.length);
  const [wholeFields = ''] = body.split('.');
  const fullLength = type === 'UTCTime' ? 12 : 14;
  if (zone === undefined) problems.push('no time zone (local time; read as UTC)');
  else if (zone !== 'Z') problems.push(`offset ${zone} instead of Z`);
  if (wholeFields.length < fullLength) problems.push(wholeFields.length === fullLength - 4 ? 'no minutes and seconds' : 'no seconds');
  if (body.includes('.')) problems.push('fractional time');
  if (type === 'GeneralizedTime') {
    const year = Number(text.slice(0, 4));
    if (year >= 1950 && year < 2050) problems.push(`a date in ${year} must be a UTCTime`);
  }
  return problems.map((problem) => `${field} ${type} ${JSON.stringify(text)}: ${problem}`);
}

/**
 * RFC 5280 allows one form per time: DER's, with seconds and Z, and UTCTime for the years through
 * 2049. Other forms are read to their true instant (src/decode/time.ts) so every other check still
 * runs with the real notBefore; this check reports the form. zlint splits it into
 * e_utc_time_does_not_include_seconds, e_utc_time_not_in_zulu, e_generalized_time_not_in_zulu,
 * e_generalized_time_does_not_include_seconds, e_generalized_time_includes_fraction_seconds and
 * e_wrong_time_format_pre2050.
 */
export default defineCheck({
  name: 'e_validity_time_not_der',
  description: 'A validity time (notBefore / notAfter) is not in the DER form RFC 5280 demands',
  citation:
    'RFC 5280 4.1.2.5 (validity dates through 2049 as UTCTime, from 2050 as GeneralizedTime), 4.1.2.5.1 (UTCTime: YYMMDDHHMMSSZ, seconds present, Zulu), 4.1.2.5.2 (GeneralizedTime: YYYYMMDDHHMMSSZ, seconds present, Zulu, no fractional seconds); the same rules since RFC 2459 4.1.2.5 (January 1999), hence the effective date (as zlint\'s RFC2459Date)',
  source: 'RFC 5280',
  effectiveDate: '1999-01-01',
  appliesTo: () => true,
  execute: ({ certificate }) => {
    const encoding = certificate.validityEncoding;
    if (encoding === null) return PASS;
    const problems = [...formProblems('notBefore', encoding.notBefore), ...formProblems('notAfter', encoding.notAfter)];
    // The decoder judged the form non-DER; should the words find nothing, the finding still stands.
    if (problems.length === 0) problems.push(`notBefore ${JSON.stringify(encoding.notBefore.text)}, notAfter ${JSON.stringify(encoding.notAfter.text)}: not in the RFC 5280 form`);
    return { status: 'error', detail: problems.join('; ') };
  },
});
