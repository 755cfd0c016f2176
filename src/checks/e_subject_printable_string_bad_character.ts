import { defineCheck, PASS } from './types.js';
import { PRINTABLE_STRING } from './subject.js';

/** A PrintableString may hold only A-Z a-z 0-9 space ' ( ) + , - . / : = ?; a '"' or '&' makes it invalid DER. */
export default defineCheck({
  name: 'e_subject_printable_string_bad_character',
  description: 'A subject PrintableString holds a character outside the PrintableString alphabet',
  citation: 'RFC 5280 4.1.2.6 and X.680 41.4 (PrintableString character set)',
  source: 'RFC 5280',
  effectiveDate: '2008-05-01',
  appliesTo: ({ certificate, byType }) => certificate.subject.some((attribute) => attribute.stringType === 'PrintableString'),
  execute: ({ certificate, byType }) => {
    const bad = certificate.subject.filter((attribute) => attribute.stringType === 'PrintableString' && !PRINTABLE_STRING.test(attribute.value));
    if (bad.length === 0) return PASS;
    return { status: 'error', detail: bad.map((attribute) => `${attribute.label}=${JSON.stringify(attribute.value)}`).join('; ') };
  },
});
