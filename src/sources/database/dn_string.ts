// Distinguished names stored as text (EJBCA's UserData.subjectDN, CertReqHistoryData, a CRM export):
// RFC 4514 strings, read leniently the way EJBCA writes and accepts them. A CA that keeps the
// vetted subject only as such a string can still have each attribute compared with the certificate.
import { ATTRIBUTE } from '../../decode/oids.js';

/** One attribute of a DN: its canonical type (a short name such as "C", or a dotted OID) and value. */
export interface DnAttribute {
  type: string;
  value: string;
}

/** A DN as written: RDNs left to right, each with one or more attributes ("+" joins them). */
export type ParsedDn = DnAttribute[][];

export class DnSyntaxError extends Error {}

/**
 * Attribute type names as EJBCA, OpenSSL and RFC 4514 write them (upper case) -> one canonical name.
 * The OIDs (plain or "OID." prefixed) map to the same names, so `2.5.4.6=MM` is `C=MM`.
 */
const NAME_OIDS: Record<string, string> = {
  C: ATTRIBUTE.countryName,
  ST: ATTRIBUTE.stateOrProvinceName,
  L: ATTRIBUTE.localityName,
  O: ATTRIBUTE.organizationName,
  OU: ATTRIBUTE.organizationalUnitName,
  CN: ATTRIBUTE.commonName,
  SERIALNUMBER: ATTRIBUTE.serialNumber,
  STREET: ATTRIBUTE.streetAddress,
  POSTALCODE: ATTRIBUTE.postalCode,
  GIVENNAME: ATTRIBUTE.givenName,
  SURNAME: ATTRIBUTE.surname,
  BUSINESSCATEGORY: ATTRIBUTE.businessCategory,
  ORGANIZATIONIDENTIFIER: ATTRIBUTE.organizationIdentifier,
  JURISDICTIONLOCALITY: ATTRIBUTE.jurisdictionLocalityName,
  JURISDICTIONSTATE: ATTRIBUTE.jurisdictionStateOrProvinceName,
  JURISDICTIONCOUNTRY: ATTRIBUTE.jurisdictionCountryName,
  DC: ATTRIBUTE.domainComponent,
  UID: '0.9.2342.19200300.100.1.1',
  E: ATTRIBUTE.emailAddress,
};

/** Other spellings seen in DN strings (EJBCA writes S and STATE for ST, EMAIL for E...). */
const ALIASES: Record<string, string> = {
  S: 'ST',
  STATE: 'ST',
  STATEORPROVINCENAME: 'ST',
  COUNTRYNAME: 'C',
  LOCALITYNAME: 'L',
  ORGANIZATIONNAME: 'O',
  ORGANIZATIONALUNITNAME: 'OU',
  COMMONNAME: 'CN',
  SN: 'SERIALNUMBER',
  STREETADDRESS: 'STREET',
  GN: 'GIVENNAME',
  EMAIL: 'E',
  EMAILADDRESS: 'E',
  JURISDICTIONSTATEORPROVINCE: 'JURISDICTIONSTATE',
  JURISDICTIONSTATEORPROVINCENAME: 'JURISDICTIONSTATE',
  JURISDICTIONLOCALITYNAME: 'JURISDICTIONLOCALITY',
  JURISDICTIONCOUNTRYNAME: 'JURISDICTIONCOUNTRY',
  USERID: 'UID',
  DOMAINCOMPONENT: 'DC',
};

const NAME_BY_OID = new Map(Object.entries(NAME_OIDS).map(([name, oid]) => [oid, name]));
const DOTTED_OID = /^(?:OID\.)?([0-2](?:\.\d+)+)$/i;

/**
 * The canonical form of an attribute type: its short name when certscan knows it, else the dotted
 * OID, else the name upper-cased. Throws on an empty type.
 */
export function canonicalAttributeType(type: string): string {
  const trimmed = type.trim();
  if (trimmed === '') throw new DnSyntaxError('an attribute has no type (nothing before "=")');
  const oid = DOTTED_OID.exec(trimmed);
  if (oid) return NAME_BY_OID.get(oid[1]!) ?? oid[1]!;
  const upper = trimmed.toUpperCase();
  return ALIASES[upper] ?? upper;
}

const HEX_PAIR = /^[0-9A-Fa-f]{2}$/;

/**
 * Parses a DN string. Accepted, as RFC 4514 and EJBCA write them: `\,` `\+` `\\` `\"` and any other
 * escaped character; `\XX` hex pairs (UTF-8 bytes); values in double quotes; `#` + hex (the BER
 * encoding of a string); multi-valued RDNs joined by `+`; spaces around separators and values;
 * attribute types by name in any case, by OID, or `OID.`-prefixed. As EJBCA does, `;` and `=` inside
 * a value are taken literally (only `,` separates RDNs). Throws DnSyntaxError on a part that is not
 * `type=value` (e.g. an unescaped comma inside a value), or an unterminated quote or escape.
 */
export function parseDn(text: string): ParsedDn {
  const rdns: ParsedDn = [];
  let rdn: DnAttribute[] = [];
  let position = 0;
  const length = text.length;
  const skipSpaces = () => {
    while (position < length && isSpace(text[position]!)) position++;
  };
  skipSpaces();
  if (position === length) return rdns;
  for (;;) {
    // The type: everything up to "=".
    const equals = text.indexOf('=', position);
    const separator = firstSeparator(text, position);
    if (equals === -1 || (separator !== -1 && separator < equals)) {
      throw new DnSyntaxError(`"${text.slice(position, separator === -1 ? length : separator).trim()}" is not type=value (an unescaped "," or "+" in a value?)`);
    }
    const type = canonicalAttributeType(text.slice(position, equals));
    position = equals + 1;
    skipSpaces();
    const value = readValue();
    rdn.push({ type, value });
    skipSpaces();
    if (position === length) break;
    const next = text[position]!;
    position++;
    if (next === ',') {
      rdns.push(rdn);
      rdn = [];
    }
    skipSpaces();
    if (position === length) throw new DnSyntaxError(`the DN ends with "${next}"`);
  }
  rdns.push(rdn);
  return rdns;

  function readValue(): string {
    if (text[position] === '"') return readQuoted();
    if (text[position] === '#') {
      const end = firstSeparator(text, position);
      const raw = text.slice(position, end === -1 ? length : end).trimEnd();
      const decoded = decodeBerString(raw.slice(1));
      if (decoded !== null) {
        position += raw.length;
        return decoded;
      }
    }
    // Unquoted: up to an unescaped "," or "+"; unescaped trailing spaces are not part of the value.
    const bytes: number[] = [];
    let keptLength = 0;
    while (position < length) {
      const char = text[position]!;
      if (char === ',' || char === '+') break;
      if (char === '\\') {
        if (position + 1 >= length) throw new DnSyntaxError('the DN ends with an unfinished escape "\\"');
        const pair = text.slice(position + 1, position + 3);
        if (HEX_PAIR.test(pair)) {
          bytes.push(parseInt(pair, 16));
          position += 3;
        } else {
          pushText(bytes, text[position + 1]!);
          position += 2;
        }
        keptLength = bytes.length;
        continue;
      }
      pushText(bytes, char);
      if (!isSpace(char)) keptLength = bytes.length;
      position++;
    }
    return Buffer.from(bytes.slice(0, keptLength)).toString('utf8');
  }

  function readQuoted(): string {
    position++;
    let value = '';
    while (position < length && text[position] !== '"') {
      if (text[position] === '\\' && position + 1 < length) position++;
      value += text[position];
      position++;
    }
    if (position >= length) throw new DnSyntaxError('a quoted value has no closing "');
    position++;
    return value;
  }
}

function isSpace(char: string): boolean {
  return char === ' ' || char === '\t';
}

function pushText(bytes: number[], char: string): void {
  for (const byte of Buffer.from(char, 'utf8')) bytes.push(byte);
}

/** The index of the next unescaped "," or "+" outside quotes, from `from`; -1 when none. */
function firstSeparator(text: string, from: number): number {
  let quoted = false;
  for (let index = from; index < text.length; index++) {
    const char = text[index];
    if (char === '\\') index++;
    else if (char === '"') quoted = !quoted;
    else if (!quoted && (char === ',' || char === '+')) return index;
  }
  return -1;
}

/** `#` values: the BER of a string type (UTF8String, PrintableString, IA5String, T61String, BMPString). */
function decodeBerString(hex: string): string | null {
  if (!/^(?:[0-9A-Fa-f]{2})+$/.test(hex)) return null;
  const bytes = Buffer.from(hex, 'hex');
  const tag = bytes[0]!;
  let contentStart = 2;
  let contentLength = bytes[1] ?? -1;
  if (contentLength & 0x80) {
    const lengthBytes = contentLength & 0x7f;
    if (lengthBytes < 1 || lengthBytes > 2) return null;
    contentLength = bytes.readUIntBE(2, lengthBytes);
    contentStart = 2 + lengthBytes;
  }
  if (contentStart + contentLength !== bytes.length) return null;
  const content = bytes.subarray(contentStart);
  if (tag === 0x0c) return content.toString('utf8');
  if (tag === 0x13 || tag === 0x16 || tag === 0x14) return content.toString('latin1');
  if (tag === 0x1e) return content.swap16().toString('utf16le');
  return null;
}

/**
 * The values of one attribute in a DN string, in the order written (`attribute` in any form
 * canonicalAttributeType takes: "C", "countryName", "2.5.4.6", "JurisdictionCountry"...).
 */
export function dnAttributeValues(text: string, attribute: string): string[] {
  const wanted = canonicalAttributeType(attribute);
  const values: string[] = [];
  for (const rdn of parseDn(text)) for (const item of rdn) if (item.type === wanted) values.push(item.value);
  return values;
}
