import { defineCheck, PASS } from './types.js';
import { isPrintableStringText } from './subject.js';
import type { NameAttribute } from '../decode/types.js';

const badCharacter = (attribute: NameAttribute) => attribute.stringType === 'PrintableString' && !isPrintableStringText(attribute.value);

/** The common pass in a plain loop (filter allocated an array for every certificate). */
function anyBadCharacter(subject: readonly NameAttribute[]): boolean {
  for (const attribute of subject) if (badCharacter(attribute)) return true;
  return false;
}

/** A PrintableString may hold only A-Z a-z 0-9 space ' ( ) + , - . / : = ?; a '"' or '&' makes it invalid DER. */
export default defineCheck({
  name: 'e_subject_printable_string_bad_character',
  description: 'A subject PrintableString holds a character outside the PrintableString alphabet',
  citation: 'RFC 5280 4.1.2.6 and X.680 41.4 (PrintableString character set)',
  source: 'RFC 5280',
  effectiveDate: '2008-05-01',
  appliesTo: ({ certificate, byType }) => certificate.subject.some((attribute) => attribute.stringType === 'PrintableString'),
  execute: ({ certificate, byType }) => {
    if (!anyBadCharacter(certificate.subject)) return PASS;
    const bad = certificate.subject.filter(badCharacter);
    if (bad.length === 0) return PASS;
    return { status: 'error', detail: bad.map((attribute) => `${attribute.label}=${JSON.stringify(attribute.value)}`).join('; ') };
  },
});
