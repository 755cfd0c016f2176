// Periods the BRs and EVG set, each with the date from which it applies (to a certificate's
// notBefore): how long vetted identity data may be reused, and how long a certificate may be valid.
import { utcMillis } from '../decode/time.js';

const DAY_MS = 86_400_000;

export interface Period {
  /** YYYY-MM-DD: applies to certificates whose notBefore is on or after this day. */
  from: string;
  /** The first instant of that day (UTC), epoch ms: what a certificate's notBeforeMs is compared with. */
  fromMs: number;
  days?: number;
  months?: number;
  /** The rule, for the finding's detail. */
  rule: string;
}

/** The period in force for a certificate whose notBefore is `issuedMs` (epoch ms), or null before the first. */
export function periodAt(schedule: readonly Period[], issuedMs: number): Period | null {
  let found: Period | null = null;
  for (const period of schedule) if (issuedMs >= period.fromMs) found = period;
  return found;
}

/** A schedule's entry; `fromMs` is worked out here, once. */
const period = (from: string, length: { days: number } | { months: number }, rule: string): Period => ({ from, fromMs: Date.parse(`${from}T00:00:00Z`), ...length, rule });

/** The instant `period` after `startMs` (calendar months in UTC, as a month-based rule counts). */
export function endOfPeriod(startMs: number, period: Period): number {
  if (period.days !== undefined) return startMs + period.days * DAY_MS;
  const end = new Date(startMs);
  end.setUTCMonth(end.getUTCMonth() + period.months!);
  return end.getTime();
}

export const describePeriod = (period: Period): string => (period.days !== undefined ? `${period.days} days` : `${period.months} months`);

/** BR 4.2.1 (BR 1.0: 11.3): reuse of the subject identity data an OV / IV certificate was issued on. */
export const IDENTITY_REUSE: readonly Period[] = [
  period('2012-07-01', { months: 39 }, 'BR 1.0 11.3: data obtained no more than 39 months before issuance'),
  period('2018-03-01', { days: 825 }, 'BR 4.2.1 (Ballot 193): 825 days'),
  period('2026-03-15', { days: 398 }, 'BR 4.2.1 (Ballot SC-081): 398 days from 2026-03-15'),
];

/**
 * EVG 11.14.3 (EVG 2.0 3.2.2.14.3): the age of EV validation data (legal existence and identity,
 * address, ...). Thirteen months from EVG 1.0 (2007-06-07; calendar months, 395 to 397 days);
 * 398 days from EVG 1.7.6 (Ballot SC42, effective 2021-06-02).
 */
export const EV_DATA_AGE: readonly Period[] = [
  period('2007-06-07', { months: 13 }, 'EVG 1.0 11.14.3: legal existence and identity data at most thirteen months old'),
  period('2021-06-02', { days: 398 }, 'EVG 11.14.3 (EVG 1.7.6, Ballot SC42, effective 2021-06-02; EVG 2.0 3.2.2.14.3): 398 days'),
];

/** BR 6.3.2 (BR 1.0: 9.4.1): the longest validity period of a subscriber certificate. */
export const MAX_VALIDITY: readonly Period[] = [
  period('2012-07-01', { months: 60 }, 'BR 1.0 9.4.1: 60 months'),
  period('2015-04-01', { months: 39 }, 'BR 1.0 9.4.1: 39 months after 2015-04-01'),
  period('2018-03-01', { days: 825 }, 'BR 6.3.2 (Ballot 193): 825 days'),
  period('2020-09-01', { days: 398 }, 'BR 6.3.2 (Ballot SC31): 398 days'),
  period('2026-03-15', { days: 200 }, 'BR 6.3.2 (Ballot SC-081): 200 days from 2026-03-15'),
  period('2027-03-15', { days: 100 }, 'BR 6.3.2 (Ballot SC-081): 100 days from 2027-03-15'),
  period('2029-03-15', { days: 47 }, 'BR 6.3.2 (Ballot SC-081): 47 days from 2029-03-15'),
];

/** Starts like YYYY-MM-DD (the dashes where they belong): worth parsing. */
export const looksLikeIsoDate = (text: string): boolean => text.length >= 10 && text.charCodeAt(4) === 45 && text.charCodeAt(7) === 45;

const digits = (text: string, at: number, count: number): number => {
  let value = 0;
  for (let index = at; index < at + count; index++) {
    const code = text.charCodeAt(index) - 48;
    if (code < 0 || code > 9) return Number.NaN;
    value = value * 10 + code;
  }
  return value;
};

/**
 * An ISO 8601 UTC time as epoch ms. The form certificate times take here (and most databases
 * store), `YYYY-MM-DDTHH:MM:SS[.sss]Z`, is read digit by digit (Date.parse costs about 0.3 µs,
 * and these checks run on every certificate); other text goes to Date.parse. NaN: not a time
 * that starts with a date.
 */
export function isoMillis(text: string): number {
  if (!looksLikeIsoDate(text)) return Number.NaN;
  if ((text.length === 20 || (text.length === 24 && text.charCodeAt(19) === 46)) && text.charCodeAt(10) === 84 && text.charCodeAt(text.length - 1) === 90) {
    const month = digits(text, 5, 2);
    const day = digits(text, 8, 2);
    const hour = digits(text, 11, 2);
    const minute = digits(text, 14, 2);
    const second = digits(text, 17, 2);
    // A day past its month's end runs into the next month, as Date.parse reads it; a field out of
    // range (month 13, hour 25) goes to Date.parse, which refuses it.
    if (month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 59) {
      const year = digits(text, 0, 4);
      const millis = text.length === 24 ? digits(text, 20, 3) : 0;
      if (year >= 0 && millis >= 0) return utcMillis(year, month, day, hour, minute, second) + millis;
    }
  }
  return Date.parse(text);
}

let lastVettedAt: string | null = null;
let lastVettedAtMs = Number.NaN;

/**
 * order.vettedAt as epoch ms, or NaN when it is not a time (ISO 8601 expected). Two checks read
 * it for every certificate: the second gets the first's result.
 */
export function vettedAtMs(text: string): number {
  if (text !== lastVettedAt) {
    lastVettedAtMs = isoMillis(text);
    lastVettedAt = text;
  }
  return lastVettedAtMs;
}
