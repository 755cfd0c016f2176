import { defineCheck, PASS } from './types.js';
import { countries } from './subject.js';

/** One subject, one country: a second C (in its own RDN or as C=DE+C=IT) leaves it ambiguous. */
export default defineCheck({
  name: 'e_subject_country_multiple',
  description: 'Subject has more than one countryName',
  citation: 'BR 7.1.4.1 (SC62, BR 2.0.0): each subject attribute type at most once; BR 7.1.2.7.4 countryName is the one country of the Subject',
  source: 'CABF BR',
  effectiveDate: '2023-09-15',
  appliesTo: ({ certificate, byType }) => countries(byType).length > 0,
  execute: ({ certificate, byType }) => {
    const values = countries(byType);
    if (values.length <= 1) return PASS;
    const oneRdn = new Set(values.map((attribute) => attribute.rdnIndex)).size < values.length;
    return {
      status: 'error',
      detail: `${values.length} countryName attributes: ${values.map((attribute) => JSON.stringify(attribute.value)).join(', ')}${oneRdn ? ' (in one multi-valued RDN)' : ''}`,
    };
  },
});
