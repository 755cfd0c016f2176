// The CA's values as read from its database rows, checked before they are used: a serial that is not
// a number in its encoding, a time that is not a time in its encoding, a revocation reason that is
// not an RFC 5280 5.3.1 CRLReason, order text that was not valid UTF-8. Each bad value becomes one
// input problem (table, row, column, value, why) and is then read as absent: it never reaches a
// report as if it were the CA's record, and it never makes a finding against the certificate.
import type { CertificateTableMapping, TimeEncoding } from '../../config.js';
import type { InputProblem } from '../ct/entries.js';
import { normalizeSerialHex } from '../ct/entries.js';
import { isNotRevokedDate, revocationOf } from '../revocation.js';
import type { RowDetails, RowKey, SourceRowMeta } from '../types.js';

/** RFC 5280 5.3.1 CRLReason: 0..10 without 7 (not assigned). */
const CRL_REASONS: ReadonlySet<number> = new Set([0, 1, 2, 3, 4, 5, 6, 8, 9, 10]);

/**
 * Lowercase hex (a stored serial as serial keys are, maybe with leading zeros: DER's 00, a fixed
 * width) without its leading zeros, or null when `text` is not that. A loop, not a regular
 * expression: it runs on every row, and the two passes of /^[0-9a-f]+$/ and the zeros cost more.
 */
function lowerHexSerial(text: string): string | null {
  let firstDigit = -1;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code > 0x66 || code < 0x30 || (code > 0x39 && code < 0x61)) return null;
    if (firstDigit < 0 && code !== 0x30) firstDigit = index;
  }
  if (text.length === 0) return null;
  return firstDigit === 0 ? text : firstDigit < 0 ? '0' : text.slice(firstDigit);
}

/** Longest value shown in input-errors.csv, in characters. */
const SHOWN_VALUE = 60;

/**
 * A stored value as input-errors.csv shows it: printable ASCII kept, anything else escaped
 * (\xNN for raw bytes, \uNNNN for characters, so U+FFFD shows as \ufffd), cut to SHOWN_VALUE.
 */
export function printableValue(value: unknown): string {
  let text: string;
  if (value instanceof Uint8Array) text = Array.from(value, (byte) => (byte >= 0x20 && byte < 0x7f && byte !== 0x5c ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`)).join('');
  else if (value instanceof Date) text = Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  else text = Array.from(String(value), (char) => {
    const code = char.codePointAt(0)!;
    if (code >= 0x20 && code < 0x7f && char !== '\\') return char;
    if (char === '\\') return '\\\\';
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  }).join('');
  return text.length > SHOWN_VALUE ? `${text.slice(0, SHOWN_VALUE)}...` : text;
}

/** Where a value was read: the table (never the server's URL), the row and the column. */
export interface ValuePlace {
  table: string;
  /** The certificates row's id (or an order's key). */
  row: string;
  column: string;
}

/** One input-errors.csv row for a bad value. */
export function badValue(place: ValuePlace, value: unknown, why: string): InputProblem {
  return { file: place.table, at: place.row, column: place.column, value: printableValue(value), message: why };
}

/** A stored value as text (Buffers from binary columns as Latin-1, as the engines' text would be), or null for NULL / empty. */
function storedText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = (Buffer.isBuffer(value) ? value.toString('latin1') : String(value)).trim();
  return text === '' ? null : text;
}

/**
 * A stored serial as CT entries are looked up (lowercase hex without leading zeros), or null when
 * the row has none. A value that is not hex (or, for serialEncoding decimal, not a non-negative
 * decimal number) is a bad value: null, and one problem.
 */
export function readSerial(value: unknown, encoding: CertificateTableMapping['serialEncoding'], place: ValuePlace, problems: InputProblem[]): string | null {
  // A number in a decimal column needs no text. In a hex column its digits are read as hex text,
  // a bigint's as well (as normalizedStoredSerial shows them).
  if (typeof value === 'bigint' && encoding === 'decimal' && value >= 0n) return value.toString(16);
  if (typeof value === 'number' && encoding === 'decimal' && Number.isSafeInteger(value) && value >= 0) return value.toString(16);
  const text = storedText(value);
  if (text === null) return null;
  if (encoding === 'decimal') {
    if (/^\d+$/.test(text)) return BigInt(text).toString(16);
    problems.push(badValue(place, value, 'not a serial number: serialEncoding "decimal" needs the digits 0-9 only'));
    return null;
  }
  if (/^[0-9a-fA-F]+$/.test(text)) return normalizeSerialHex(text);
  problems.push(badValue(place, value, 'not a serial number: serialEncoding "hex" needs the hex digits 0-9 and a-f only'));
  return null;
}

const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Milliseconds of an ISO 8601 or SQL DATETIME text (UTC unless it names an offset), NaN when it is none. */
function parseDateText(text: string, pattern: RegExp): number {
  const match = pattern.exec(text);
  if (!match) return Number.NaN;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Date.parse rolls 2024-02-30 over to March 1: a day that does not exist is not a time.
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return Number.NaN;
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(text.slice(10));
  const time = text.length === 10 ? '' : text.slice(10).replace(' ', 'T');
  return Date.parse(`${text.slice(0, 10)}${time || 'T00:00:00'}${zoned ? '' : 'Z'}`);
}

/**
 * A stored time as ISO 8601 (UTC for converted encodings; ISO text is kept as stored), or null
 * when the row has none. A value that is not a time in the mapped timeEncoding (text in an epoch
 * column, `not-a-date`, 2024-13-45) is a bad value: null, and one problem.
 */
export function readTime(value: unknown, encoding: TimeEncoding, place: ValuePlace, problems: InputProblem[]): string | null {
  if (value instanceof Date) {
    if (!Number.isNaN(value.getTime())) return value.toISOString();
    problems.push(badValue(place, value, `not a time (timeEncoding "${encoding}")`));
    return null;
  }
  const text = storedText(value);
  if (text === null) return null;
  let time: number;
  // A server's DATETIME may arrive converted to ISO text already: sql-datetime takes both forms.
  if (encoding === 'iso8601' || encoding === 'sql-datetime') time = parseDateText(text, ISO_8601);
  else time = /^-?\d+(\.\d+)?$/.test(text) ? Number(text) * (encoding === 'epoch-s' ? 1000 : 1) : Number.NaN;
  if (Number.isFinite(time) && Math.abs(time) <= 8.64e15) return encoding === 'iso8601' ? text : new Date(time).toISOString();
  problems.push(badValue(place, value, `not a time in timeEncoding "${encoding}"`));
  return null;
}

/**
 * A stored revocation reason as an RFC 5280 5.3.1 CRLReason code, or null when there is none (NULL,
 * empty, or a negative number: EJBCA's -1 means no reason). Anything else (99, 7, 'key') is a bad
 * value: null, and one problem.
 */
export function readRevocationReason(value: unknown, place: ValuePlace, problems: InputProblem[]): number | null {
  const text = storedText(value);
  if (text === null) return null;
  const code = /^[+-]?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (Number.isSafeInteger(code) && code < 0) return null;
  if (CRL_REASONS.has(code)) return code;
  problems.push(badValue(place, value, 'not a CRLReason of RFC 5280 5.3.1 (0-6, 8-10)'));
  return null;
}

/** Whether text read from the database or an export holds U+FFFD: bytes that were not valid UTF-8. */
export const hasReplacementCharacter = (text: string): boolean => text.includes('\ufffd');

/** A row's report-only columns as the engine returned them. */
export interface StoredDetails {
  serial: unknown;
  issuedAt: unknown;
  revokedAt: unknown;
  reason: unknown;
  status: unknown;
}

/**
 * The report-only data of certificates row `ref`, every value checked (see readTime,
 * readRevocationReason); bad values are pushed to `problems` and read as absent. A revocation date
 * that is not a time: with a status column saying revoked, the row is revoked with the date
 * unknown; without one, the row is not taken as revoked (nothing shows that it is), so a report
 * never claims a revocation from a value it could not read. The serial is checked where each row
 * is read (readSerial): here a bad one is only left out. `toTime` is how the engine hands over
 * times (a server's DATETIME text, say).
 */
export function readRowDetails(mapping: CertificateTableMapping, ref: RowKey, stored: StoredDetails, problems: InputProblem[], toTime: (value: unknown) => unknown = (value) => value): RowDetails {
  const c = mapping.columns;
  const row = `id ${ref}`;
  const revocationTable = mapping.revocationTable?.table ?? mapping.table;
  const serial = readSerial(stored.serial, mapping.serialEncoding, { table: mapping.table, row, column: c.serial }, []);
  const issuedAt = c.issuedAt ? readTime(toTime(stored.issuedAt), mapping.timeEncoding, { table: mapping.table, row, column: c.issuedAt }, problems) : null;
  const reason = c.revocationReason ? readRevocationReason(stored.reason, { table: revocationTable, row, column: c.revocationReason }, problems) : null;
  let revokedAt: string | null = null;
  let revokedAtUnreadable = false;
  if (c.revokedAt && !isNotRevokedDate(stored.revokedAt)) {
    const dateProblems: InputProblem[] = [];
    revokedAt = readTime(toTime(stored.revokedAt), mapping.timeEncoding, { table: revocationTable, row, column: c.revokedAt }, dateProblems);
    revokedAtUnreadable = dateProblems.length > 0;
    const consequence = c.status ? 'the revocation date is taken as unknown' : 'the certificate is not taken as revoked (no status column says it is)';
    for (const problem of dateProblems) problems.push({ ...problem, message: `${problem.message}; ${consequence}` });
  }
  const revocation = revocationOf(mapping, { revokedAt: revokedAtUnreadable && !c.status ? null : stored.revokedAt, reason, status: stored.status }, () => revokedAt);
  return { serial: serial === null ? null : normalizedStoredSerial(stored.serial, mapping.serialEncoding), issuedAt, ...revocation };
}

/** A valid stored serial as the reports show it: lowercase hex, leading zeros as stored. */
function normalizedStoredSerial(value: unknown, encoding: CertificateTableMapping['serialEncoding']): string {
  // A number or bigint is its String(): storedText gives that unchanged.
  const text = storedText(value)!;
  return encoding === 'decimal' ? BigInt(text).toString(16) : text.toLowerCase();
}

/**
 * Sets the serial a page row records (see SourceRowMeta.recordedSerial), read with the row so that
 * every certificate, not only a reported one, is compared with it; a bad one becomes the row's
 * value problem.
 */
export function withRecordedSerial<Row extends SourceRowMeta>(row: Row, stored: unknown, mapping: CertificateTableMapping): Row {
  if (stored === null || stored === undefined) return row;
  // This runs for every row: most stored hex serials are lowercase already and need at most their
  // leading zeros taken off (readSerial's way cost about 0.3 µs a row more).
  const serial = typeof stored === 'string' && mapping.serialEncoding === 'hex' ? lowerHexSerial(stored) : null;
  if (serial !== null) {
    row.recordedSerial = serial;
    return row;
  }
  const problems: InputProblem[] = [];
  const read = readSerial(stored, mapping.serialEncoding, { table: mapping.table, row: `id ${row.ref}`, column: mapping.columns.serial }, problems);
  if (read !== null) row.recordedSerial = read;
  if (problems.length) (row.valueProblems ??= []).push(...problems);
  return row;
}

/** readRowDetails with its problems carried in the result (RowDetails.valueProblems). */
export function rowDetailsWithProblems(mapping: CertificateTableMapping, ref: RowKey, stored: StoredDetails, toTime?: (value: unknown) => unknown): RowDetails {
  const problems: InputProblem[] = [];
  const details = readRowDetails(mapping, ref, stored, problems, toTime);
  return problems.length ? { ...details, valueProblems: problems } : details;
}
