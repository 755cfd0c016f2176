import { ATTRIBUTE } from '../decode/oids.js';
import { countries, has, valuesOfType } from './subject.js';
import { normalizeCountry } from './country_codes.js';
import { isSwapped } from './swapped_fields.js';
import { BR_EFFECTIVE, defineCheck, PASS } from './types.js';

/**
 * The heart of certscan: the issued country must be the vetted one. Bugzilla 1559376 (2019): an
 * order vetted MM issued with C=AD, and one vetted LR issued with C=GH; both codes are well formed,
 * so only a comparison with the order record catches them. Case is ignored here (a lowercase code
 * is its own finding); a certificate without C is left to the "C missing" rules.
 */
export default defineCheck({
  name: 'e_subject_country_order_mismatch',
  description: 'Subject countryName differs from the country vetted for the order',
  citation:
    'BR 3.2.2.3 (verification of country) and 7.1.2.7.4 (BR 1.x: 7.1.4.2.2(h)): subject:countryName is the verified country of the Subject',
  source: 'CABF BR',
  effectiveDate: BR_EFFECTIVE,
  appliesTo: ({ row, byType }) => row.order !== null && row.order.country !== undefined && has(byType, ATTRIBUTE.countryName),
  execute: (input) => {
    const { row, byType } = input;
    const vetted = normalizeCountry(row.order?.country);
    let allVetted = vetted !== '';
    for (const attribute of countries(byType)) if (normalizeCountry(attribute.value) !== vetted) allVetted = false;
    if (allVetted) return PASS;
    const issued = valuesOfType(byType, ATTRIBUTE.countryName);
    if (vetted === '') {
      return { status: 'error', detail: `subject C=${issued.join(',')} but order ${row.order?.id} has no vetted country` };
    }
    const wrong = issued.filter((value) => normalizeCountry(value) !== vetted);
    if (wrong.length === 0 || isSwapped(input, ATTRIBUTE.countryName)) return PASS; // a swap is e_subject_fields_swapped_order's finding
    return { status: 'error', detail: `subject C=${wrong.join(',')} but order ${row.order?.id} was vetted for ${vetted}` };
  },
});
