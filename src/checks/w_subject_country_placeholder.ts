import { ATTRIBUTE } from '../decode/oids.js';
import { countries, has, valuesOfType } from './subject.js';
import { normalizeCountry } from './country_codes.js';
import { BR_EFFECTIVE, defineCheck, PASS } from './types.js';

/**
 * A country code the CA's own workflows use as a placeholder (scan.config.json
 * checks.placeholderCountries; the 2019 embargo workflow used AD) is suspect wherever the order
 * did not vet that very country: also on orphan certificates and orders without a vetted country.
 */
export default defineCheck({
  name: 'w_subject_country_placeholder',
  description: "Subject countryName is one of the CA's configured placeholder codes and was not vetted for the order",
  citation: 'BR 3.2.2.3 and 7.1.2.7.4: countryName must be the verified country, not a workflow placeholder (Bugzilla 1559376)',
  source: 'CABF BR',
  effectiveDate: BR_EFFECTIVE,
  appliesTo: ({ byType }, context) => context.placeholderCountries.size > 0 && has(byType, ATTRIBUTE.countryName),
  execute: ({ row, byType }, context) => {
    let anyPlaceholder = false;
    for (const attribute of countries(byType)) if (context.placeholderCountries.has(normalizeCountry(attribute.value))) anyPlaceholder = true;
    if (!anyPlaceholder) return PASS;
    const vetted = normalizeCountry(row.order?.country);
    const placeholders = valuesOfType(byType, ATTRIBUTE.countryName).filter(
      (value) => context.placeholderCountries.has(normalizeCountry(value)) && normalizeCountry(value) !== vetted,
    );
    if (placeholders.length === 0) return PASS;
    return { status: 'warn', detail: `subject C=${placeholders.join(',')} is a configured placeholder code; vetted country: ${vetted || 'none'}` };
  },
});
