import { ATTRIBUTE } from '../decode/oids.js';
import type { OrderFieldName } from '../sources/order_fields.js';
import { EVG_EFFECTIVE, PASS, defineCheck } from './types.js';

/**
 * The EV subject fields that must be present once the order vetted a value for them (EVG 9.2.3,
 * 9.2.4, 9.2.6; EVG 2.0 7.1.4.2.2, .3, .5). jurisdictionC has its own check
 * (e_ev_jurisdiction_country_missing); street and postal code are optional in EV certificates.
 */
const REQUIRED_WHEN_VETTED: ReadonlyArray<{ oid: string; label: string; field: OrderFieldName }> = [
  { oid: ATTRIBUTE.businessCategory, label: 'businessCategory', field: 'businessCategory' },
  { oid: ATTRIBUTE.serialNumber, label: 'serialNumber', field: 'registrationNumber' },
  { oid: ATTRIBUTE.jurisdictionStateOrProvinceName, label: 'jurisdictionST', field: 'jurisdictionState' },
  { oid: ATTRIBUTE.jurisdictionLocalityName, label: 'jurisdictionL', field: 'jurisdictionLocality' },
];

const vetted = (value: string | null | undefined): value is string => typeof value === 'string' && value.trim() !== '';

export default defineCheck({
  name: 'e_ev_vetted_attribute_missing',
  description: 'EV certificate lacks a subject field whose value the order vetted',
  citation:
    'EVG 9.2.3 Business Category, 9.2.4 Jurisdiction of Incorporation or Registration (state or province, locality where the registration is at that level), 9.2.6 Registration Number (EVG 2.0 7.1.4.2.2, 7.1.4.2.3, 7.1.4.2.5)',
  source: 'CABF EVG',
  effectiveDate: EVG_EFFECTIVE,
  appliesTo: ({ certificate, row }) => {
    if (certificate.validationType !== 'EV' || row.order === null) return false;
    for (const { field } of REQUIRED_WHEN_VETTED) if (vetted(row.order[field])) return true;
    return false;
  },
  execute: ({ row, byType }) => {
    let missing: string[] | null = null;
    for (const { oid, label, field } of REQUIRED_WHEN_VETTED) {
      const value = row.order?.[field];
      if (vetted(value) && !byType.has(oid)) (missing ??= []).push(`${label} (vetted ${JSON.stringify(value)})`);
    }
    return missing ? { status: 'error', detail: `EV certificate without ${missing.join(', ')} of order ${row.order?.id}` } : PASS;
  },
});
