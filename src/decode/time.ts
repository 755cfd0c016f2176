// Reading ASN.1 UTCTime and GeneralizedTime values (X.680 46 and 47): the one reader both decode
// paths use for the validity times, so the fast path and the full pkijs decode cannot disagree.
// pkijs/asn1js misread the forms other than YYMMDDHHMMSSZ (an offset or a missing seconds field
// gave a date in 1899), so certscan reads the characters itself.

export const UTC_TIME = 0x17;
export const GENERALIZED_TIME = 0x18;

export type TimeType = 'UTCTime' | 'GeneralizedTime';

/** A validity time as it is encoded, for the check that reports non-DER forms. */
export interface EncodedTime {
  type: TimeType;
  /** The characters of the value, e.g. `2401010000Z` or `20240101000000-0500`. */
  text: string;
}

/** Both validity times as encoded; carried only when one of them is not in RFC 5280's DER form. */
export interface ValidityEncoding {
  notBefore: EncodedTime;
  notAfter: EncodedTime;
}

/** The fields of one time value, filled by parseTime (a scratch object: no allocation per call). */
interface TimeParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Milliseconds the fraction adds (of the hour, minute or second it follows). */
  fractionMs: number;
  hasSeconds: boolean;
  hasFraction: boolean;
  /** 'Z', an offset from UTC (offsetMinutes), or GeneralizedTime local time (no zone). */
  zone: 'Z' | 'offset' | 'local';
  /** Local time = UTC + offset, so UTC = local time - offset. */
  offsetMinutes: number;
}

const parts: TimeParts = {
  year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, fractionMs: 0,
  hasSeconds: false, hasFraction: false, zone: 'Z', offsetMinutes: 0,
};

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const PLUS = 0x2b;
const MINUS = 0x2d;
const ZULU = 0x5a;
const FULL_STOP = 0x2e;

function digits(bytes: Uint8Array, at: number, count: number): number {
  let value = 0;
  for (let index = at; index < at + count; index++) {
    const digit = bytes[index]! - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * Parses bytes[start, end) as the content of a UTCTime (YYMMDDhhmm[ss] then Z or +-hhmm) or a
 * GeneralizedTime (YYYYMMDDhh[mm[ss]] with an optional fraction of the last field, then Z, +-hh,
 * +-hhmm or nothing: local time) into `parts`. False when it is no such time or no real date.
 * A fraction with a decimal comma, which X.680 allows, is refused: asn1js throws on it, so the
 * certificate cannot be decoded by pkijs at all, and both paths must call it undecodable.
 */
function parseTime(bytes: Uint8Array, tag: number, start: number, end: number): boolean {
  // The forms RFC 5280 demands (nearly every certificate, and each time is read twice: once by the
  // strict DER walk, once for the facts) are read straight, without the general path's branches.
  if (end - start === (tag === UTC_TIME ? 13 : tag === GENERALIZED_TIME ? 15 : -1) && bytes[end - 1] === ZULU) {
    const at = end - 13; // YYMMDDhhmmssZ, after a GeneralizedTime's century
    const century = tag === UTC_TIME ? 0 : twoDigits(bytes, start);
    const yearOfCentury = twoDigits(bytes, at);
    const month = twoDigits(bytes, at + 2);
    const day = twoDigits(bytes, at + 4);
    const hour = twoDigits(bytes, at + 6);
    const minute = twoDigits(bytes, at + 8);
    const second = twoDigits(bytes, at + 10);
    if ((century | yearOfCentury | month | day | hour | minute | second) >= 0) {
      parts.zone = 'Z';
      parts.offsetMinutes = 0;
      parts.hasSeconds = true;
      parts.hasFraction = false;
      parts.fractionMs = 0;
      // RFC 5280 4.1.2.5.1 for a UTCTime's century.
      const year = tag === UTC_TIME ? yearOfCentury + (yearOfCentury >= 50 ? 1900 : 2000) : century * 100 + yearOfCentury;
      return setDateIfReal(year, month, day, hour, minute, second);
    }
    // A character that is not a digit: the general path below refuses it.
  }
  const yearDigits = tag === UTC_TIME ? 2 : tag === GENERALIZED_TIME ? 4 : 0;
  if (yearDigits === 0 || end - start < yearDigits + 6) return false;
  // The zone, read from the end: digits are never '+', '-' or 'Z', so the forms cannot be confused.
  let bodyEnd = end;
  parts.offsetMinutes = 0;
  if (bytes[end - 1] === ZULU) {
    parts.zone = 'Z';
    bodyEnd = end - 1;
  } else if (end - 5 >= start && (bytes[end - 5] === PLUS || bytes[end - 5] === MINUS)) {
    const hours = digits(bytes, end - 4, 2);
    const minutes = digits(bytes, end - 2, 2);
    if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return false;
    parts.zone = 'offset';
    parts.offsetMinutes = (bytes[end - 5] === MINUS ? -1 : 1) * (hours * 60 + minutes);
    bodyEnd = end - 5;
  } else if (tag === GENERALIZED_TIME && end - 3 >= start && (bytes[end - 3] === PLUS || bytes[end - 3] === MINUS)) {
    const hours = digits(bytes, end - 2, 2);
    if (hours < 0 || hours > 23) return false;
    parts.zone = 'offset';
    parts.offsetMinutes = (bytes[end - 3] === MINUS ? -1 : 1) * hours * 60;
    bodyEnd = end - 3;
  } else if (tag === GENERALIZED_TIME) {
    parts.zone = 'local';
  } else {
    return false; // a UTCTime always names its zone
  }

  let at = start;
  let year = digits(bytes, at, yearDigits);
  if (year < 0) return false;
  if (yearDigits === 2) year += year >= 50 ? 1900 : 2000; // RFC 5280 4.1.2.5.1
  at += yearDigits;
  const month = digits(bytes, at, 2);
  const day = digits(bytes, at + 2, 2);
  const hour = digits(bytes, at + 4, 2);
  at += 6;
  let minute = 0;
  let second = 0;
  let fractionUnitMs = 3_600_000; // a fraction belongs to the last field present
  let hasMinutes = false;
  parts.hasSeconds = false;
  if (at + 2 <= bodyEnd && bytes[at] !== FULL_STOP) {
    minute = digits(bytes, at, 2);
    hasMinutes = true;
    fractionUnitMs = 60_000;
    at += 2;
    if (at + 2 <= bodyEnd && bytes[at] !== FULL_STOP) {
      second = digits(bytes, at, 2);
      parts.hasSeconds = true;
      fractionUnitMs = 1000;
      at += 2;
    }
  }
  if (tag === UTC_TIME && !hasMinutes) return false;
  parts.hasFraction = false;
  parts.fractionMs = 0;
  if (at < bodyEnd) {
    if (tag !== GENERALIZED_TIME || bytes[at] !== FULL_STOP || bodyEnd - at < 2) return false;
    // Up to nine digits count (finer ones change nothing at millisecond precision); integer
    // arithmetic, so .5 of a second is exactly 500 ms.
    const counted = Math.min(bodyEnd - at - 1, 9);
    const numerator = digits(bytes, at + 1, counted);
    if (numerator < 0 || digits(bytes, at + 1 + counted, bodyEnd - at - 1 - counted) < 0) return false;
    parts.fractionMs = Math.floor((numerator * fractionUnitMs) / 10 ** counted);
    parts.hasFraction = true;
  }
  return setDateIfReal(year, month, day, hour, minute, second);
}

/** The two digits at `at` as a number, or -1 when either is not a digit. */
function twoDigits(bytes: Uint8Array, at: number): number {
  const tens = bytes[at]! - 0x30;
  const units = bytes[at + 1]! - 0x30;
  return tens >= 0 && tens <= 9 && units >= 0 && units <= 9 ? tens * 10 + units : -1;
}

/** Puts the date and time into `parts` when they name a real instant (-1 in a field: no digits). */
function setDateIfReal(year: number, month: number, day: number, hour: number, minute: number, second: number): boolean {
  if (month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > DAYS_IN_MONTH[month - 1]! + (month === 2 && leap ? 1 : 0)) return false;
  parts.year = year;
  parts.month = month;
  parts.day = day;
  parts.hour = hour;
  parts.minute = minute;
  parts.second = second;
  return true;
}

/** Whether bytes[start, end) is a time X.680 allows (and pkijs can parse): see parseTime. */
export function isReadableTime(bytes: Uint8Array, tag: number, start: number, end: number): boolean {
  return parseTime(bytes, tag, start, end);
}

/**
 * The instant of a UTCTime (tag 0x17) or GeneralizedTime (0x18) content, as ISO 8601 UTC with
 * milliseconds (what Date.toISOString prints), or null when it is no readable time. An offset is
 * applied; a missing minutes or seconds field is 00; GeneralizedTime local time (no zone) is read
 * as UTC, since nothing in a certificate says which zone it meant.
 */
export function readTime(bytes: Uint8Array, tag: number, start: number, end: number): string | null {
  if (!parseTime(bytes, tag, start, end)) return null;
  const { year, month, day, hour, minute, second } = parts;
  if (parts.zone === 'Z' && !parts.hasFraction) {
    // The common case: one flat string from character codes, no Date (two per certificate).
    return String.fromCharCode(
      0x30 + ((year / 1000) | 0), 0x30 + (((year / 100) | 0) % 10), 0x30 + (((year / 10) | 0) % 10), 0x30 + (year % 10), 0x2d,
      0x30 + ((month / 10) | 0), 0x30 + (month % 10), 0x2d, 0x30 + ((day / 10) | 0), 0x30 + (day % 10), 0x54,
      0x30 + ((hour / 10) | 0), 0x30 + (hour % 10), 0x3a, 0x30 + ((minute / 10) | 0), 0x30 + (minute % 10), 0x3a,
      0x30 + ((second / 10) | 0), 0x30 + (second % 10), 0x2e, 0x30, 0x30, 0x30, 0x5a,
    );
  }
  return new Date(lastInstantMs()).toISOString();
}

/** The instant of the time parseTime read last, as epoch milliseconds (offset and fraction applied). */
function lastInstantMs(): number {
  const { year, month, day, hour, minute, second } = parts;
  return utcMillis(year, month, day, hour, minute, second) + parts.fractionMs - parts.offsetMinutes * 60_000;
}

/**
 * Epoch ms of a UTC date and time in the proleptic Gregorian calendar, by integer arithmetic (the
 * day count from the civil date, as in H. Hinnant's "chrono-compatible low-level date
 * algorithms"): Date.UTC's value for years 100 to 9999, and the years 0 to 99 as they are, where
 * Date.UTC would read them as 1900 to 1999. Up to three run per certificate; Date.UTC costs more.
 */
export function utcMillis(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  // Years start in March, so the leap day ends a year.
  const marchYear = month <= 2 ? year - 1 : year;
  const era = Math.floor(marchYear / 400);
  const yearOfEra = marchYear - era * 400;
  const dayOfYear = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  // 719,468 days from 0000-03-01 to 1970-01-01.
  const days = era * 146_097 + dayOfEra - 719_468;
  return ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000;
}

/**
 * Whether a validity time is in the one form RFC 5280 4.1.2.5 allows: UTCTime YYMMDDHHMMSSZ for
 * the years through 2049, GeneralizedTime YYYYMMDDHHMMSSZ (no fraction) from 2050. A date before
 * 1950 cannot be a UTCTime, so GeneralizedTime is its form too.
 */
export function isRfc5280ValidityTime(bytes: Uint8Array, tag: number, start: number, end: number): boolean {
  return parseTime(bytes, tag, start, end) && lastPartsInRfc5280Form(tag);
}

/** isRfc5280ValidityTime for the time parseTime read last. */
function lastPartsInRfc5280Form(tag: number): boolean {
  if (parts.zone !== 'Z' || !parts.hasSeconds || parts.hasFraction) return false;
  return tag === UTC_TIME || parts.year >= 2050 || parts.year < 1950;
}

export function encodedTime(bytes: Uint8Array, tag: number, start: number, end: number): EncodedTime {
  return { type: tag === UTC_TIME ? 'UTCTime' : 'GeneralizedTime', text: String.fromCharCode(...bytes.subarray(start, end)) };
}

/** Where one time value lies: its tag and content range in its byte array. */
export interface TimeField {
  bytes: Uint8Array;
  tag: number;
  start: number;
  end: number;
}

export interface Validity {
  notBefore: string;
  notAfter: string;
  /** The same instants as epoch milliseconds, read once here for the checks that do date arithmetic. */
  notBeforeMs: number;
  notAfterMs: number;
  /** Null when both times are in the RFC 5280 form (nearly always). */
  encoding: ValidityEncoding | null;
}

/**
 * The validity of a certificate, as both decode paths report it; a string saying which time
 * cannot be read when one cannot (the certificate is then undecodable, never dated 1899).
 */
export function readValidity(notBefore: TimeField, notAfter: TimeField): Validity | string {
  // Each form is judged right after its readTime, while `parts` still holds that time.
  const before = readTime(notBefore.bytes, notBefore.tag, notBefore.start, notBefore.end);
  if (before === null) return `notBefore is not a readable time: ${describeField(notBefore)}`;
  const beforeInForm = lastPartsInRfc5280Form(notBefore.tag);
  const notBeforeMs = lastInstantMs();
  const after = readTime(notAfter.bytes, notAfter.tag, notAfter.start, notAfter.end);
  if (after === null) return `notAfter is not a readable time: ${describeField(notAfter)}`;
  const derForm = beforeInForm && lastPartsInRfc5280Form(notAfter.tag);
  return {
    notBefore: before,
    notAfter: after,
    notBeforeMs,
    notAfterMs: lastInstantMs(),
    encoding: derForm
      ? null
      : {
          notBefore: encodedTime(notBefore.bytes, notBefore.tag, notBefore.start, notBefore.end),
          notAfter: encodedTime(notAfter.bytes, notAfter.tag, notAfter.start, notAfter.end),
        },
  };
}

function describeField(field: TimeField): string {
  if (field.tag !== UTC_TIME && field.tag !== GENERALIZED_TIME) return `tag 0x${field.tag.toString(16)} is neither UTCTime nor GeneralizedTime`;
  const { type, text } = encodedTime(field.bytes, field.tag, field.start, field.end);
  return `${type} ${JSON.stringify(text)}`;
}
