import { ATTRIBUTE } from '../decode/oids.js';
import { EVG_EFFECTIVE, PASS, defineCheck } from './types.js';
import { appliesToOrderField } from './order_fields.js';
import { attributesOf } from './subject.js';

/** The values EVG 9.2.3 (EVG 2.0 7.1.4.2.2) allows, spelled exactly so. */
export const EVG_BUSINESS_CATEGORIES: ReadonlySet<string> = new Set(['Private Organization', 'Government Entity', 'Business Entity', 'Non-Commercial Entity']);

/**
 * businessCategory must be the category vetted for the order, compared exactly: the EVG's values
 * are fixed strings, so case and spacing count (Bugzilla 1590810; 1715929: "Private
 * Organization" where "Government Entity" was right).
 */
export default defineCheck({
  name: 'e_ev_business_category_order_mismatch',
  description: 'Subject businessCategory differs from the business category vetted for the order',
  citation: 'EVG 9.2.3 (EVG 2.0 7.1.4.2.2) Subject Business Category Field: one of the EVG values, as verified per EVG 11.2',
  source: 'CABF EVG',
  effectiveDate: EVG_EFFECTIVE,
  appliesTo: (input) => appliesToOrderField(input, ATTRIBUTE.businessCategory, input.row.order?.businessCategory),
  execute: ({ row, byType }) => {
    const vetted = row.order?.businessCategory ?? null;
    const issued = attributesOf(byType, ATTRIBUTE.businessCategory);
    let allVetted = vetted !== null;
    for (const attribute of issued) if (attribute.value !== vetted) allVetted = false;
    if (allVetted) return PASS;
    const values = issued.map((attribute) => JSON.stringify(attribute.value)).join(',');
    if (vetted === null || vetted.trim() === '') return { status: 'error', detail: `businessCategory=${values} but order ${row.order?.id} has no vetted business category` };
    const unknown = EVG_BUSINESS_CATEGORIES.has(vetted) ? '' : ` (not one of the EVG's values: the order record needs correcting too)`;
    const wrong = issued.filter((attribute) => attribute.value !== vetted).map((attribute) => JSON.stringify(attribute.value));
    return { status: 'error', detail: `businessCategory=${wrong.join(',')} but order ${row.order?.id} was vetted as ${JSON.stringify(vetted)}${unknown}` };
  },
});
