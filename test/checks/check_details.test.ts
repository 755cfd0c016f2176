// Each check's verdict and detail text on certificates built for it: the details are what an
// incident report quotes, so a wrong word or a missing value fails here, not in a reader's eyes.
import { describe, expect, it } from 'vitest';
import { buildCertificate, createDemoCa, generateKeyPair } from '../../src/demo/certificate_builder.js';
import type { NameAttributeSpec } from '../../src/demo/der.js';
import { decodeCertificate } from '../../src/decode/certificate.js';
import { ATTRIBUTE, POLICY, type ValidationType } from '../../src/decode/oids.js';
import { CHECKS } from '../../src/checks/index.js';
import { checkInput, runCheck, type CheckRun } from '../../src/checks/run.js';
import type { CheckContext } from '../../src/checks/types.js';
import type { OrderRecord, SourceRowMeta } from '../../src/sources/types.js';
import { SCAN_TIME } from '../helpers.js';

const ca = createDemoCa(new Date(SCAN_TIME), 'Detail Test');
const key = generateKeyPair();
let serial = 1;

const C = (value: string, type: NameAttributeSpec['type'] = 'PrintableString'): NameAttributeSpec => ({ oid: ATTRIBUTE.countryName, value, type });
const ST = (value: string): NameAttributeSpec => ({ oid: ATTRIBUTE.stateOrProvinceName, value });
const L = (value: string): NameAttributeSpec => ({ oid: ATTRIBUTE.localityName, value });
const O = (value: string, type?: NameAttributeSpec['type']): NameAttributeSpec => ({ oid: ATTRIBUTE.organizationName, value, ...(type ? { type } : {}) });
const CN = (value = 'www.example.com'): NameAttributeSpec => ({ oid: ATTRIBUTE.commonName, value });
const JC = (value: string): NameAttributeSpec => ({ oid: ATTRIBUTE.jurisdictionCountryName, value, type: 'PrintableString' });
const OI = (value: string): NameAttributeSpec => ({ oid: ATTRIBUTE.organizationIdentifier, value });
const BC = (value: string): NameAttributeSpec => ({ oid: ATTRIBUTE.businessCategory, value });
const STREET = (value: string): NameAttributeSpec => ({ oid: ATTRIBUTE.streetAddress, value });
const POSTAL = (value: string): NameAttributeSpec => ({ oid: ATTRIBUTE.postalCode, value });

interface Case {
  subject: ReadonlyArray<NameAttributeSpec | ReadonlyArray<NameAttributeSpec>>;
  type?: ValidationType | null;
  isCA?: boolean;
  order?: Omit<OrderRecord, 'id'> | null;
  row?: Partial<SourceRowMeta>;
  context?: Partial<Record<keyof CheckContext, string[]>>;
}

function verdict(check: string, { subject, type = 'OV', isCA = false, order = {}, row = {}, context = {} }: Case): Omit<CheckRun, 'check'> {
  const found = CHECKS.find((candidate) => candidate.name === check);
  if (!found) throw new Error(`no check ${check}`);
  const der = buildCertificate(
    {
      serial: Buffer.from([serial++]),
      subject,
      notBefore: new Date('2026-10-01T00:00:00Z'),
      notAfter: new Date('2026-12-30T00:00:00Z'),
      dnsNames: ['www.example.com'],
      policyOids: type ? [POLICY[type]] : [],
      isCA,
      subjectPublicKeyInfo: key.spki,
    },
    ca.issuing,
  );
  const meta: SourceRowMeta = { ref: 9, orderId: order ? 'ORD-1' : null, order: order && { id: 'ORD-1', ...order }, ...row };
  const settings: CheckContext = {
    placeholderCountries: new Set(context.placeholderCountries ?? []),
    placeholderValues: new Set(context.placeholderValues ?? []),
    embargoedCountries: new Set(context.embargoedCountries ?? []),
  };
  const { check: _name, ...rest } = runCheck(found, checkInput(decodeCertificate(der), meta), settings);
  return rest;
}

const CASES: Array<[string, string, Case, Omit<CheckRun, 'check'>]> = [
  // embargo list
  ['w_order_country_embargoed', 'no list: does not apply', { subject: [C('IR'), CN()], order: { country: 'IR' } }, { status: 'NA' }],
  ['w_order_country_embargoed', 'order country on the list', { subject: [C('DE'), CN()], order: { country: 'ir' }, context: { embargoedCountries: ['IR', 'KP'] } }, { status: 'warn', detail: 'order country IR is on the embargo list: second review required' }],
  ['w_order_country_embargoed', 'subject C and jurisdiction on the list', { subject: [JC('KP'), C('IR'), CN()], order: { country: 'DE' }, context: { embargoedCountries: ['IR', 'KP'] } }, { status: 'warn', detail: 'subject jurisdictionC KP is on the embargo list; subject C IR is on the embargo list: second review required' }],
  ['w_order_country_embargoed', 'a subject jurisdiction alone on the list', { subject: [JC('KP'), C('DE'), CN()], order: { country: 'DE' }, context: { embargoedCountries: ['KP'] } }, { status: 'warn', detail: 'subject jurisdictionC KP is on the embargo list: second review required' }],
  ['w_order_country_embargoed', 'a listed code in O is no country attribute', { subject: [C('DE'), O('IR'), CN()], order: { country: 'KP' }, context: { embargoedCountries: ['IR', 'KP'] } }, { status: 'warn', detail: 'order country KP is on the embargo list: second review required' }],
  ['w_order_country_embargoed', 'order jurisdiction on the list', { subject: [C('DE'), CN()], order: { country: 'DE', jurisdictionCountry: 'KP' }, context: { embargoedCountries: ['IR', 'KP'] } }, { status: 'warn', detail: 'order jurisdiction KP is on the embargo list: second review required' }],
  ['w_order_country_embargoed', 'the same code twice is named once', { subject: [C('IR'), CN()], order: { country: 'IR' }, context: { embargoedCountries: ['IR'] } }, { status: 'warn', detail: 'order country IR is on the embargo list: second review required' }],
  ['w_order_country_embargoed', 'none on the list', { subject: [C('DE'), ST('IR'), CN()], order: { country: 'DE' }, context: { embargoedCountries: ['IR'] } }, { status: 'pass' }],
  ['w_order_country_embargoed', 'a certificate without an order, subject C on the list', { subject: [C('IR'), CN()], order: null, context: { embargoedCountries: ['IR'] } }, { status: 'warn', detail: 'subject C IR is on the embargo list: second review required' }],
  ['w_order_country_embargoed', 'a certificate without an order, nothing on the list', { subject: [C('DE'), CN()], order: null, context: { embargoedCountries: ['IR'] } }, { status: 'pass' }],
  // a country inside another attribute
  ['w_subject_attribute_contains_country', 'ST with a C= fragment', { subject: [C('JP'), ST('Tokyo, C=JP'), CN()] }, { status: 'warn', detail: 'ST="Tokyo, C=JP" contains a countryName fragment' }],
  ['w_subject_attribute_contains_country', 'O with a countryName= fragment', { subject: [C('JP'), O('Acme countryName=JP'), CN()] }, { status: 'warn', detail: 'O="Acme countryName=JP" contains a countryName fragment' }],
  ['w_subject_attribute_contains_country', 'an = without a fragment', { subject: [C('JP'), O('a=b'), CN()] }, { status: 'pass' }],
  ['w_subject_attribute_contains_country', 'L ending with a country code', { subject: [C('DE'), L('Berlin, DE'), CN()] }, { status: 'warn', detail: 'L="Berlin, DE" ends with the country code DE' }],
  ['w_subject_attribute_contains_country', 'L ending with two letters that are no code', { subject: [C('DE'), L('Berlin, QQ'), CN()] }, { status: 'pass' }],
  ['w_subject_attribute_contains_country', 'O ending with a country code is an organization', { subject: [C('DE'), O('Acme, DE'), CN()] }, { status: 'pass' }],
  ['w_subject_attribute_contains_country', 'ST naming another country', { subject: [C('DE'), ST('France'), CN()] }, { status: 'warn', detail: 'ST="France" names the country FR' }],
  ['w_subject_attribute_contains_country', 'L naming another country, not ASCII', { subject: [C('DE'), L('Türkiye'), CN()] }, { status: 'warn', detail: 'L="Türkiye" names the country TR' }],
  ['w_subject_attribute_contains_country', 'a non-ASCII name of no country', { subject: [C('DE'), L('München'), CN()] }, { status: 'pass' }],
  ['w_subject_attribute_contains_country', 'a city-state names its own country', { subject: [C('SG'), L('Singapore'), CN()] }, { status: 'pass' }],
  ['w_subject_attribute_contains_country', 'an ordinary city', { subject: [C('DE'), L('Berlin'), ST('Berlin'), CN()] }, { status: 'pass' }],
  ['w_subject_attribute_contains_country', 'only country attributes: does not apply', { subject: [C('DE'), JC('DE')] }, { status: 'NA' }],
  // ST / L / O against the order
  ['e_subject_state_order_mismatch', 'another state', { subject: [C('US'), ST('Nevada'), CN()], order: { state: 'California' } }, { status: 'error', detail: 'subject ST="Nevada" but order ORD-1 was vetted for "California"' }],
  ['e_subject_state_order_mismatch', 'case only', { subject: [C('US'), ST('CALIFORNIA'), CN()], order: { state: 'California' } }, { status: 'notice', detail: 'subject ST="CALIFORNIA" differs from the vetted "California" only in case' }],
  ['e_subject_state_order_mismatch', 'no vetted state', { subject: [C('US'), ST('Nevada'), CN()], order: { state: ' ' } }, { status: 'error', detail: 'subject ST="Nevada" but order ORD-1 has no vetted state or province' }],
  ['e_subject_state_order_mismatch', 'the same', { subject: [C('US'), ST('California'), CN()], order: { state: 'California' } }, { status: 'pass' }],
  ['e_subject_state_order_mismatch', 'no state column mapped: does not apply', { subject: [C('US'), ST('Nevada'), CN()], order: {} }, { status: 'NA' }],
  ['e_subject_locality_order_mismatch', 'no vetted locality', { subject: [C('US'), L('Reno'), CN()], order: { locality: null } }, { status: 'error', detail: 'subject L="Reno" but order ORD-1 has no vetted locality' }],
  ['e_subject_locality_order_mismatch', 'another locality', { subject: [C('US'), L('Reno'), CN()], order: { locality: 'Las Vegas' } }, { status: 'error', detail: 'subject L="Reno" but order ORD-1 was vetted for "Las Vegas"' }],
  ['e_subject_organization_order_mismatch', 'another organization', { subject: [C('US'), O('Other Inc'), CN()], order: { organization: 'Example Inc' } }, { status: 'error', detail: 'subject O="Other Inc" but order ORD-1 was vetted for "Example Inc"' }],
  ['e_subject_organization_order_mismatch', 'no vetted organization', { subject: [C('US'), O('Other Inc'), CN()], order: { organization: '' } }, { status: 'error', detail: 'subject O="Other Inc" but order ORD-1 has no vetted organization' }],
  // free text is compared in normal form: NFC, white space folded and trimmed (subject.ts normalizeText)
  ['e_subject_organization_order_mismatch', 'a leading space is folded', { subject: [C('US'), O(' Example Inc'), CN()], order: { organization: 'Example Inc' } }, { status: 'pass' }],
  ['e_subject_organization_order_mismatch', 'a trailing space is folded', { subject: [C('US'), O('Example Inc '), CN()], order: { organization: 'Example Inc' } }, { status: 'pass' }],
  ['e_subject_organization_order_mismatch', 'a doubled space is folded', { subject: [C('US'), O('Example  Inc'), CN()], order: { organization: 'Example Inc' } }, { status: 'pass' }],
  ['e_subject_organization_order_mismatch', 'a tab is white space', { subject: [C('US'), O('Example\tInc'), CN()], order: { organization: 'Example Inc' } }, { status: 'pass' }],
  ['e_subject_organization_order_mismatch', 'the order side is folded too', { subject: [C('US'), O('Example Inc'), CN()], order: { organization: ' Example  Inc ' } }, { status: 'pass' }],
  ['e_subject_organization_order_mismatch', 'a decomposed umlaut is the composed one (NFC)', { subject: [C('DE'), O('Mu\u0308ller GmbH'), CN()], order: { organization: 'M\u00fcller GmbH' } }, { status: 'pass' }],
  ['e_subject_organization_order_mismatch', 'folded and in another case: case only', { subject: [C('DE'), O(' MU\u0308LLER  GMBH'), CN()], order: { organization: 'M\u00fcller GmbH' } }, { status: 'notice', detail: 'subject O=" MU\u0308LLER  GMBH" differs from the vetted "M\u00fcller GmbH" only in case' }],
  ['e_subject_organization_order_mismatch', 'a tilde is text, not space', { subject: [C('US'), O('Example~Inc'), CN()], order: { organization: 'Example Inc' } }, { status: 'error', detail: 'subject O="Example~Inc" but order ORD-1 was vetted for "Example Inc"' }],
  ['e_subject_organization_order_mismatch', 'no order: does not apply', { subject: [C('US'), O('Other Inc'), CN()], order: null }, { status: 'NA' }],
  // C against the order
  ['e_subject_country_order_mismatch', 'two C, one wrong', { subject: [C('GH'), C('LR'), CN()], order: { country: 'LR' } }, { status: 'error', detail: 'subject C=GH but order ORD-1 was vetted for LR' }],
  ['e_subject_country_order_mismatch', 'no vetted country', { subject: [C('FR'), CN()], order: { country: '' } }, { status: 'error', detail: 'subject C=FR but order ORD-1 has no vetted country' }],
  ['e_subject_country_order_mismatch', 'no country column: does not apply', { subject: [C('FR'), CN()], order: {} }, { status: 'NA' }],
  ['e_subject_country_order_mismatch', 'no C: does not apply', { subject: [CN()], order: { country: 'FR' } }, { status: 'NA' }],
  ['e_ev_business_category_order_mismatch', 'a blank vetted category', { type: 'EV', subject: [C('DE'), BC('Private Organization'), CN()], order: { businessCategory: ' ' } }, { status: 'error', detail: 'businessCategory="Private Organization" but order ORD-1 has no vetted business category' }],
  ['e_ev_business_category_order_mismatch', 'a vetted category the EVG does not know', { type: 'EV', subject: [C('DE'), BC('Private Organization'), CN()], order: { businessCategory: 'Private Org' } }, { status: 'error', detail: 'businessCategory="Private Organization" but order ORD-1 was vetted as "Private Org" (not one of the EVG\'s values: the order record needs correcting too)' }],
  ['e_ev_business_category_order_mismatch', 'two categories, one as vetted', { type: 'EV', subject: [C('DE'), BC('Private Organization'), BC('Government Entity'), CN()], order: { businessCategory: 'Private Organization' } }, { status: 'error', detail: 'businessCategory="Government Entity" but order ORD-1 was vetted as "Private Organization"' }],
  ['e_ev_business_category_order_mismatch', 'exactly as vetted', { type: 'EV', subject: [C('DE'), BC('Government Entity'), CN()], order: { businessCategory: 'Government Entity' } }, { status: 'pass' }],
  ['e_ev_jurisdiction_country_order_mismatch', 'another jurisdiction', { type: 'EV', subject: [JC('AT'), C('DE'), CN()], order: { country: 'DE', jurisdictionCountry: 'DE' } }, { status: 'error', detail: 'jurisdictionC=AT but order ORD-1 was vetted for jurisdiction DE' }],
  ['e_ev_jurisdiction_country_order_mismatch', 'no vetted jurisdiction', { type: 'EV', subject: [JC('AT'), C('DE'), CN()], order: { country: 'DE', jurisdictionCountry: null } }, { status: 'error', detail: 'jurisdictionC=AT but order ORD-1 has no vetted jurisdiction' }],
  ['e_ev_jurisdiction_country_order_mismatch', 'vetted but not in the certificate', { type: 'EV', subject: [C('DE'), CN()], order: { country: 'DE', jurisdictionCountry: 'DE' } }, { status: 'pass' }],
  ['e_ev_jurisdiction_country_order_mismatch', 'neither vetted nor issued: does not apply', { type: 'EV', subject: [C('DE'), CN()], order: { country: 'DE', jurisdictionCountry: null } }, { status: 'NA' }],
  ['e_ev_jurisdiction_country_order_mismatch', 'no jurisdiction column: does not apply', { type: 'EV', subject: [JC('AT'), C('DE'), CN()], order: { country: 'DE' } }, { status: 'NA' }],
  ['e_ev_jurisdiction_country_order_mismatch', 'no order: does not apply', { type: 'EV', subject: [JC('AT'), C('DE'), CN()], order: null }, { status: 'NA' }],
  ['w_subject_country_placeholder', 'placeholder issued, other vetted', { subject: [C('AD'), CN()], order: { country: 'MM' }, context: { placeholderCountries: ['AD'] } }, { status: 'warn', detail: 'subject C=AD is a configured placeholder code; vetted country: MM' }],
  ['w_subject_country_placeholder', 'placeholder issued, none vetted', { subject: [C('AD'), CN()], order: { country: null }, context: { placeholderCountries: ['AD'] } }, { status: 'warn', detail: 'subject C=AD is a configured placeholder code; vetted country: none' }],
  ['w_subject_country_placeholder', 'placeholder vetted as such', { subject: [C('AD'), CN()], order: { country: 'AD' }, context: { placeholderCountries: ['AD'] } }, { status: 'pass' }],
  ['w_subject_country_placeholder', 'a certificate without an order', { subject: [C('AD'), CN()], order: null, context: { placeholderCountries: ['AD'] } }, { status: 'warn', detail: 'subject C=AD is a configured placeholder code; vetted country: none' }],
  ['w_subject_country_placeholder', 'no placeholder issued', { subject: [C('MM'), CN()], order: { country: 'MM' }, context: { placeholderCountries: ['AD'] } }, { status: 'pass' }],
  ['w_subject_country_placeholder', 'the placeholder in lower case, two C', { subject: [C('MM'), C('ad'), CN()], order: { country: 'MM' }, context: { placeholderCountries: ['AD'] } }, { status: 'warn', detail: 'subject C=ad is a configured placeholder code; vetted country: MM' }],
  ['w_subject_country_placeholder', 'no placeholder list: does not apply', { subject: [C('AD'), CN()], order: { country: 'MM' } }, { status: 'NA' }],
  ['w_subject_country_placeholder', 'no C: does not apply', { subject: [CN()], order: { country: 'MM' }, context: { placeholderCountries: ['AD'] } }, { status: 'NA' }],
  // swaps (swapped_fields.ts): a swap is each attribute carrying the other field's vetted value
  ['e_subject_fields_swapped_order', 'ST and L swapped', { subject: [C('DE'), ST('Berlin'), L('Brandenburg'), CN()], order: { state: 'Brandenburg', locality: 'Berlin' } }, { status: 'error', detail: 'ST="Berlin" and L="Brandenburg" are swapped (order ORD-1 vetted ST "Brandenburg", L "Berlin")' }],
  ['e_subject_fields_swapped_order', 'two swaps named together', { subject: [C('DE'), ST('Berlin'), L('Brandenburg'), STREET('10115'), POSTAL('Unter den Linden 1'), CN()], order: { state: 'Brandenburg', locality: 'Berlin', streetAddress: 'Unter den Linden 1', postalCode: '10115' } }, { status: 'error', detail: 'street="10115" and postalCode="Unter den Linden 1" are swapped (order ORD-1 vetted street "Unter den Linden 1", postalCode "10115"); ST="Berlin" and L="Brandenburg" are swapped (order ORD-1 vetted ST "Brandenburg", L "Berlin")' }],
  ['e_subject_fields_swapped_order', 'two plain mismatches are no swap', { subject: [C('DE'), ST('Bayern'), L('Munich'), CN()], order: { state: 'Brandenburg', locality: 'Berlin' } }, { status: 'pass' }],
  ['e_subject_fields_swapped_order', 'one side carrying the other value is no swap', { subject: [C('DE'), ST('Berlin'), L('Potsdam'), CN()], order: { state: 'Brandenburg', locality: 'Berlin' } }, { status: 'pass' }],
  ['e_subject_fields_swapped_order', 'vetted values equal but for case cannot be told apart', { subject: [C('DE'), ST('BERLIN'), L('Berlin'), CN()], order: { state: 'Berlin', locality: 'BERLIN' } }, { status: 'pass' }],
  ['e_subject_fields_swapped_order', 'one field of the pair not vetted', { subject: [C('DE'), ST('Berlin'), L('Brandenburg'), CN()], order: { state: null, locality: 'Berlin' } }, { status: 'pass' }],
  ['e_subject_fields_swapped_order', 'the other field of the pair not vetted', { subject: [C('DE'), ST('Berlin'), L('Brandenburg'), CN()], order: { state: 'Brandenburg', locality: null } }, { status: 'pass' }],
  ['e_subject_fields_swapped_order', 'one field of the pair vetted blank', { subject: [C('DE'), ST('Berlin'), L(''), CN()], order: { state: ' ', locality: 'Berlin' } }, { status: 'pass' }],
  ['e_subject_fields_swapped_order', 'a pair whose columns are not kept, beside a pair that is', { subject: [C('DE'), ST('Berlin'), L('Brandenburg'), STREET('Unter den Linden 1'), POSTAL('10115'), CN()], order: { streetAddress: 'Unter den Linden 1', postalCode: '10115' } }, { status: 'pass' }],
  ['e_subject_fields_swapped_order', 'no state column: does not apply', { subject: [C('DE'), ST('Berlin'), L('Berlin'), CN()], order: { locality: 'Berlin' } }, { status: 'NA' }],
  ['e_subject_fields_swapped_order', 'no locality column: does not apply', { subject: [C('DE'), ST('Berlin'), L('Berlin'), CN()], order: { state: 'Berlin' } }, { status: 'NA' }],
  ['e_subject_fields_swapped_order', 'no order: does not apply', { subject: [C('DE'), ST('Berlin'), L('Brandenburg'), CN()], order: null }, { status: 'NA' }],
  ['e_subject_country_order_mismatch', 'a swap of other fields does not hide a wrong C', { subject: [C('AT'), ST('Berlin'), L('Brandenburg'), CN()], order: { country: 'DE', state: 'Brandenburg', locality: 'Berlin' } }, { status: 'error', detail: 'subject C=AT but order ORD-1 was vetted for DE' }],
  ['e_subject_state_order_mismatch', 'a swapped ST is the swap check\'s finding', { subject: [C('DE'), ST('Berlin'), L('Brandenburg'), CN()], order: { state: 'Brandenburg', locality: 'Berlin' } }, { status: 'pass' }],
  ['e_ev_vetted_attribute_missing', 'no order: does not apply', { type: 'EV', subject: [JC('DE'), C('DE'), CN()], order: null }, { status: 'NA' }],
  ['e_ev_vetted_attribute_missing', 'a blank vetted value is not required', { type: 'EV', subject: [JC('DE'), C('DE'), CN()], order: { businessCategory: ' ', registrationNumber: 'HRB 1' } }, { status: 'error', detail: 'EV certificate without serialNumber (vetted "HRB 1") of order ORD-1' }],
  ['e_subject_placeholder_value', 'a word shaped like a placeholder is none (L=Nome, Alaska; "none")', { subject: [C('US'), L('Nome'), CN()] }, { status: 'pass' }],
  ['e_subject_placeholder_value', 'an underscore alone is metadata', { subject: [C('DE'), O('_'), CN()] }, { status: 'error', detail: 'O="_"' }],
  ['e_subject_locality_order_mismatch', 'two L, one the same, one differing in case only', { subject: [C('DE'), L('Berlin'), L('BERLIN'), CN()], order: { locality: 'Berlin' } }, { status: 'notice', detail: 'subject L="BERLIN" differs from the vetted "Berlin" only in case' }],
  ['e_subject_locality_order_mismatch', 'two L differing in case only', { subject: [C('DE'), L('BERLIN'), L('berlin'), CN()], order: { locality: 'Berlin' } }, { status: 'notice', detail: 'subject L="BERLIN","berlin" differs from the vetted "Berlin" only in case' }],
  ['e_subject_locality_order_mismatch', 'two wrong L', { subject: [C('DE'), L('Bonn'), L('Köln'), CN()], order: { locality: 'Berlin' } }, { status: 'error', detail: 'subject L="Bonn","Köln" but order ORD-1 was vetted for "Berlin"' }],
  ['e_subject_locality_order_mismatch', 'two L, none vetted', { subject: [C('DE'), L('Bonn'), L('Köln'), CN()], order: { locality: null } }, { status: 'error', detail: 'subject L="Bonn","Köln" but order ORD-1 has no vetted locality' }],
  ['e_ev_business_category_order_mismatch', 'two wrong categories', { type: 'EV', subject: [C('DE'), BC('Government Entity'), BC('Business Entity'), CN()], order: { businessCategory: 'Private Organization' } }, { status: 'error', detail: 'businessCategory="Government Entity","Business Entity" but order ORD-1 was vetted as "Private Organization"' }],
  ['e_ev_business_category_order_mismatch', 'two categories, none vetted', { type: 'EV', subject: [C('DE'), BC('Government Entity'), BC('Business Entity'), CN()], order: { businessCategory: null } }, { status: 'error', detail: 'businessCategory="Government Entity","Business Entity" but order ORD-1 has no vetted business category' }],
  ['e_ev_jurisdiction_country_order_mismatch', 'two jurisdictions, none vetted', { type: 'EV', subject: [JC('AT'), JC('CH'), C('DE'), CN()], order: { country: 'DE', jurisdictionCountry: null } }, { status: 'error', detail: 'jurisdictionC=AT,CH but order ORD-1 has no vetted jurisdiction' }],
  ['e_ev_jurisdiction_country_order_mismatch', 'two wrong jurisdictions', { type: 'EV', subject: [JC('AT'), JC('CH'), C('DE'), CN()], order: { country: 'DE', jurisdictionCountry: 'DE' } }, { status: 'error', detail: 'jurisdictionC=AT,CH but order ORD-1 was vetted for jurisdiction DE' }],
  ['e_subject_org_identifier_country_mismatch', 'two identifiers of other countries, two C', { subject: [C('DE'), C('AT'), OI('NTRFR-1'), OI('NTRIT-2'), CN()] }, { status: 'error', detail: 'organizationIdentifier "NTRFR-1" names FR but C=DE,AT; organizationIdentifier "NTRIT-2" names IT but C=DE,AT' }],
  ['e_subject_country_order_mismatch', 'two C, none vetted', { subject: [C('DE'), C('AT'), CN()], order: { country: null } }, { status: 'error', detail: 'subject C=DE,AT but order ORD-1 has no vetted country' }],
  ['e_subject_country_order_mismatch', 'two wrong C', { subject: [C('CH'), C('AT'), CN()], order: { country: 'DE' } }, { status: 'error', detail: 'subject C=CH,AT but order ORD-1 was vetted for DE' }],
  ['e_subject_country_not_printable_string', 'C and jurisdiction both UTF8String', { type: 'EV', subject: [{ ...JC('DE'), type: 'UTF8String' }, C('DE', 'UTF8String'), CN()] }, { status: 'error', detail: 'C is a UTF8String; jurisdictionC is a UTF8String' }],
  ['e_subject_org_identifier_country_mismatch', 'VAT XI (Northern Ireland) matches C=GB', { subject: [C('GB'), OI('VATXI-123456789'), CN()] }, { status: 'pass' }],
  ['w_subject_attribute_contains_country', 'L ending with two letters that are no code, no C', { subject: [L('Berlin, QQ'), O('Acme'), CN()] }, { status: 'pass' }],
  ['w_subject_attribute_contains_country', 'ST=Georgia with C=US and C=DE (the US state)', { subject: [C('US'), C('DE'), ST('Georgia'), CN()] }, { status: 'pass' }],
  // the order row itself
  ['e_order_record_missing', 'an order id without an order row', { subject: [C('DE'), CN()], order: null, row: { orderId: 'ORD-9' } }, { status: 'error', detail: 'order_id ORD-9 has no row in the orders table' }],
  ['e_order_record_missing', 'no order id', { subject: [C('DE'), CN()], order: null, row: { orderId: null } }, { status: 'error', detail: 'certificate row has no order_id' }],
  ['e_order_record_missing', 'an empty order id', { subject: [C('DE'), CN()], order: null, row: { orderId: '' } }, { status: 'error', detail: 'certificate row has no order_id' }],
  ['e_order_record_missing', 'an order row', { subject: [C('DE'), CN()] }, { status: 'pass' }],
  ['e_order_record_missing', 'unknown issuance: does not apply', { subject: [C('DE'), CN()], order: null, row: { unknownIssuance: true } }, { status: 'NA' }],
  // organizationIdentifier
  ['e_subject_org_identifier_country_invalid', 'VAT with EL (Greece) and XI (Northern Ireland)', { subject: [C('GR'), OI('VATEL-123'), OI('VATXI-456'), CN()] }, { status: 'pass' }],
  ['e_subject_org_identifier_country_invalid', 'EL and XI outside VAT, XX, a lower-case code and a global scheme without XG', { subject: [C('GR'), OI('NTREL-1'), OI('NTRXI-2'), OI('NTRXX-3'), OI('NTRde-4'), OI('LEIUS-5'), OI('LEIXG-6'), CN()] }, { status: 'error', detail: 'organizationIdentifier "NTREL-1": EL is not valid for scheme NTR; organizationIdentifier "NTRXI-2": XI is not valid for scheme NTR; organizationIdentifier "NTRXX-3": XX is not valid for scheme NTR; organizationIdentifier "LEIUS-5": US is not valid for scheme LEI' }],
  ['e_subject_org_identifier_country_invalid', 'a value not in the scheme format is not checked here', { subject: [C('DE'), OI('not an identifier'), CN()] }, { status: 'pass' }],
  ['e_subject_org_identifier_country_mismatch', 'VAT EL matches C=GR', { subject: [C('GR'), OI('VATEL-123'), CN()] }, { status: 'pass' }],
  ['e_subject_org_identifier_country_mismatch', 'the jurisdiction, not C, is compared', { type: 'EV', subject: [JC('AT'), C('DE'), OI('NTRDE-1'), CN()] }, { status: 'error', detail: 'organizationIdentifier "NTRDE-1" names DE but jurisdictionC=AT' }],
  ['e_subject_org_identifier_country_mismatch', 'C compared without a jurisdiction, case-insensitively', { subject: [C('DE'), OI('NTRde-1'), OI('NTRFR-2'), CN()] }, { status: 'error', detail: 'organizationIdentifier "NTRFR-2" names FR but C=DE' }],
  ['e_subject_org_identifier_country_mismatch', 'global schemes only: does not apply', { subject: [C('DE'), OI('LEIXG-1'), CN()] }, { status: 'NA' }],
  ['e_subject_org_identifier_country_mismatch', 'a global scheme beside a national one is not compared', { subject: [C('DE'), OI('LEIXG-1'), OI('NTRDE-2'), CN()] }, { status: 'pass' }],
  ['e_subject_org_identifier_country_mismatch', 'an invalid code is compared as written', { subject: [C('DE'), OI('NTRXX-1'), CN()] }, { status: 'error', detail: 'organizationIdentifier "NTRXX-1" names XX but C=DE' }],
  // placeholder values
  ['e_subject_placeholder_value', 'built-in placeholders and metadata-only values', { subject: [C('DE'), ST('Some-State'), L('.'), O('N/A'), { oid: ATTRIBUTE.organizationalUnitName, value: '- -' }, CN()] }, { status: 'error', detail: 'ST="Some-State"; L="."; O="N/A"; OU="- -"' }],
  ['e_subject_placeholder_value', 'a configured value, any case; a longer word is none', { subject: [C('DE'), L('Acme9'), O('ACME9'), { oid: ATTRIBUTE.organizationalUnitName, value: 'acme99' }, CN()], context: { placeholderValues: ['acme9'] } }, { status: 'error', detail: 'L="Acme9"; O="ACME9"' }],
  ['e_subject_placeholder_value', 'XX, NA (Namibia) and an empty C are no placeholders; "N/A" as C is', { subject: [C('XX'), JC('xx'), C(''), C('NA'), C('N/A'), CN()] }, { status: 'error', detail: 'C="N/A"' }],
  ['e_subject_placeholder_value', 'a placeholder after white space folding, not ASCII', { subject: [C('DE'), L('  Unknown  '), O('Müller GmbH'), CN()] }, { status: 'error', detail: 'L="  Unknown  "' }],
  ['e_subject_placeholder_value', 'ordinary values', { subject: [C('DE'), ST('Bayern'), L('München'), O('A1 Telekom'), CN()] }, { status: 'pass' }],
  // value checks
  ['e_subject_country_missing', 'OV without C', { subject: [O('Acme'), CN()], order: null }, { status: 'error', detail: 'no countryName in the subject (OV certificate; subject names an organization)' }],
  ['e_subject_country_missing', 'EV without C', { type: 'EV', subject: [O('Acme'), CN()], order: null }, { status: 'error', detail: 'no countryName in the subject (EV certificate; subject names an organization)' }],
  ['e_subject_country_missing', 'IV without C', { type: 'IV', subject: [{ oid: ATTRIBUTE.givenName, value: 'Ada' }, CN()], order: null }, { status: 'error', detail: 'no countryName in the subject (IV certificate; subject names a person (givenName / surname))' }],
  ['e_subject_country_missing', 'a CA without C', { type: null, isCA: true, subject: [O('Acme'), CN()], order: null }, { status: 'error', detail: 'no countryName in the subject (CA certificate; subject names an organization)' }],
  ['e_subject_country_missing', 'no policy, an organization', { type: null, subject: [O('Acme'), CN()], order: null }, { status: 'error', detail: 'no countryName in the subject (subject names an organization)' }],
  ['e_subject_country_missing', 'no policy, a surname alone', { type: null, subject: [{ oid: ATTRIBUTE.surname, value: 'Lovelace' }, CN()], order: null }, { status: 'error', detail: 'no countryName in the subject (subject names a person (givenName / surname))' }],
  ['e_subject_country_missing', 'no policy, a person and C', { type: null, subject: [C('GB'), { oid: ATTRIBUTE.givenName, value: 'Ada' }, CN()], order: null }, { status: 'pass' }],
  ['e_subject_country_missing', 'a blank C', { subject: [C(' '), O('Acme'), CN()], order: null }, { status: 'error', detail: 'no countryName in the subject (OV certificate; subject names an organization)' }],
  ['e_subject_country_missing', 'DV without C', { type: 'DV', subject: [CN()], order: null }, { status: 'NA' }],
  ['e_subject_country_multiple', 'two C in two RDNs', { subject: [C('DE'), C('AT'), CN()] }, { status: 'error', detail: '2 countryName attributes: "DE", "AT"' }],
  ['e_subject_country_multiple', 'two C in one RDN', { subject: [[C('DE'), C('AT')], CN()] }, { status: 'error', detail: '2 countryName attributes: "DE", "AT" (in one multi-valued RDN)' }],
  ['e_subject_country_multiple', 'one C', { subject: [C('DE'), CN()] }, { status: 'pass' }],
  ['e_subject_country_multiple', 'no C: does not apply', { subject: [O('Acme'), CN()] }, { status: 'NA' }],
  ['e_subject_country_not_iso3166', 'C and jurisdiction not ISO', { subject: [JC('EU'), C('UK'), CN()] }, { status: 'error', detail: 'C="UK" is not an ISO 3166-1 alpha-2 code; jurisdictionC="EU" is not an ISO 3166-1 alpha-2 code' }],
  ['e_subject_country_not_iso3166', 'lower case is for the upper-case check', { subject: [C('de'), CN()] }, { status: 'pass' }],
  ['e_subject_country_not_iso3166', 'a jurisdiction alone not ISO', { subject: [JC('XK'), C('DE'), CN()] }, { status: 'error', detail: 'jurisdictionC="XK" is not an ISO 3166-1 alpha-2 code' }],
  ['e_subject_country_not_uppercase', 'lower case C and jurisdiction', { subject: [JC('at'), C('de'), CN()] }, { status: 'error', detail: 'C="de" is not upper case; jurisdictionC="at" is not upper case' }],
  // A-Z exactly: Z is a letter; '@' (just below A) and '[' (just past Z) are not.
  ['e_subject_country_not_uppercase', 'C=ZA and jurisdiction ZW, Z included', { subject: [JC('ZW'), C('ZA'), CN()] }, { status: 'pass' }],
  ['e_subject_country_not_uppercase', 'the characters either side of A-Z', { subject: [JC('Z['), C('D@'), CN()] }, { status: 'error', detail: 'C="D@" is not upper case; jurisdictionC="Z[" is not upper case' }],
  ['e_subject_country_not_printable_string', 'C as UTF8String', { subject: [C('DE', 'UTF8String'), CN()] }, { status: 'error', detail: 'C is a UTF8String' }],
  ['e_subject_country_not_printable_string', 'jurisdiction as UTF8String, C as PrintableString', { type: 'EV', subject: [{ ...JC('DE'), type: 'UTF8String' }, C('DE'), CN()] }, { status: 'error', detail: 'jurisdictionC is a UTF8String' }],
  ['e_subject_country_not_printable_string', 'no country attribute: does not apply', { subject: [O('Acme'), CN()] }, { status: 'NA' }],
  ['e_subject_printable_string_bad_character', 'an & in a PrintableString', { subject: [C('DE'), O('Smith & Sons', 'PrintableString'), CN()] }, { status: 'error', detail: 'O="Smith & Sons"' }],
  ['e_subject_printable_string_bad_character', 'two attributes with characters PrintableString lacks', { subject: [C('DE'), O('Smith & Sons', 'PrintableString'), { oid: ATTRIBUTE.organizationalUnitName, value: 'R@D', type: 'PrintableString' }, CN()] }, { status: 'error', detail: 'O="Smith & Sons"; OU="R@D"' }],
  ['e_subject_printable_string_bad_character', 'an & in a UTF8String is allowed', { subject: [C('DE'), O('Smith & Sons'), CN()] }, { status: 'pass' }],
  ['e_subject_printable_string_bad_character', 'no PrintableString: does not apply', { subject: [C('DE', 'UTF8String'), O('Smith & Sons'), CN()] }, { status: 'NA' }],
  ['e_ev_jurisdiction_country_missing', 'EV without jurisdiction', { type: 'EV', subject: [C('DE'), CN()] }, { status: 'error', detail: 'EV certificate has no jurisdictionCountryName' }],
];

describe('check verdicts and details', () => {
  it.each(CASES)('%s: %s', (check, _label, input, expected) => {
    expect(verdict(check, input)).toEqual(expected);
  });
});
