// organizationIdentifier (2.5.4.97) values: "<scheme><country>[+<state>]-<reference>", EVG 9.2.8
// (EVG 1.7 and 2.0) and S/MIME BR Appendix A.1.
import { ATTRIBUTE } from '../decode/oids.js';
import { isAcceptedCountryCode } from './country_codes.js';
import { attributesOf, type AttributesByType } from './subject.js';

/** EVG 9.2.8 (organizationIdentifier) came with EVG 1.7.0, in force from 2020-01-31 (zlint's CABFEV_Sec9_2_8_Date). */
export const EVG_9_2_8_EFFECTIVE = '2020-01-31';
/** S/MIME BR 1.0.0 (Appendix A.1, the registration scheme's country), in force from 2023-09-01. */
export const SMIME_BR_EFFECTIVE = '2023-09-01';
/** The CA/B Forum S/MIME policy OIDs (2.23.140.1.5.x.y). */
export const SMIME_POLICY_PREFIX = '2.23.140.1.5.';

export interface OrgIdentifier {
  raw: string;
  scheme: string;
  country: string;
  state: string | null;
  reference: string;
}

const FORMAT = /^([A-Za-z]{3})([A-Za-z]{2})(?:\+([A-Za-z0-9]{1,3}))?-(.+)$/s;

/** Global schemes (LEI, INT) use the pseudo-country XG and are not tied to one country. */
export const GLOBAL_SCHEMES = new Set(['LEI', 'INT']);

export function parseOrgIdentifier(raw: string): OrgIdentifier | null {
  const match = FORMAT.exec(raw);
  if (!match) return null;
  return { raw, scheme: match[1]!.toUpperCase(), country: match[2]!, state: match[3] ?? null, reference: match[4]! };
}

export function orgIdentifiers(byType: AttributesByType): OrgIdentifier[] {
  return attributesOf(byType, ATTRIBUTE.organizationIdentifier)
    .map((attribute) => parseOrgIdentifier(attribute.value))
    .filter((parsed): parsed is OrgIdentifier => parsed !== null);
}

/**
 * The ISO 3166-1 country an identifier's country code stands for, or null when the code is not
 * valid for its scheme. VAT numbers use the EU VAT prefixes, so EL is Greece and XI is Northern
 * Ireland (GB); other schemes must use the ISO code itself.
 */
export function identifierCountry(id: OrgIdentifier): string | null {
  const code = id.country.toUpperCase();
  if (GLOBAL_SCHEMES.has(id.scheme)) return code === 'XG' ? 'XG' : null;
  if (id.scheme === 'VAT' && code === 'EL') return 'GR';
  if (id.scheme === 'VAT' && code === 'XI') return 'GB';
  return code !== 'XX' && isAcceptedCountryCode(code) ? code : null;
}
