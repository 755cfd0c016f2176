// Periods the BRs and EVG set, each with the date from which it applies (to a certificate's
// notBefore): how long vetted identity data may be reused, and how long a certificate may be valid.

const DAY_MS = 86_400_000;

export interface Period {
  /** YYYY-MM-DD: applies to certificates whose notBefore is on or after this day. */
  from: string;
  days?: number;
  months?: number;
  /** The rule, for the finding's detail. */
  rule: string;
}

/**
 * The period in force for a certificate issued at `issued` (an ISO 8601 time or YYYY-MM-DD: a
 * time on a period's first day sorts after its YYYY-MM-DD, so no slice is needed), or null before the first.
 */
export function periodAt(schedule: readonly Period[], issued: string): Period | null {
  let found: Period | null = null;
  for (const period of schedule) if (issued >= period.from) found = period;
  return found;
}

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
  { from: '2012-07-01', months: 39, rule: 'BR 1.0 11.3: data obtained no more than 39 months before issuance' },
  { from: '2018-03-01', days: 825, rule: 'BR 4.2.1 (Ballot 193): 825 days' },
  { from: '2026-03-15', days: 398, rule: 'BR 4.2.1 (Ballot SC-081): 398 days from 2026-03-15' },
];

/**
 * EVG 11.14.3 (EVG 2.0 3.2.2.14.3): the age of EV validation data (legal existence and identity,
 * address, ...). Thirteen months from EVG 1.0 (2007-06-07; calendar months, 395 to 397 days);
 * 398 days from EVG 1.7.6 (Ballot SC42, effective 2021-06-02).
 */
export const EV_DATA_AGE: readonly Period[] = [
  { from: '2007-06-07', months: 13, rule: 'EVG 1.0 11.14.3: legal existence and identity data at most thirteen months old' },
  { from: '2021-06-02', days: 398, rule: 'EVG 11.14.3 (EVG 1.7.6, Ballot SC42, effective 2021-06-02; EVG 2.0 3.2.2.14.3): 398 days' },
];

/** BR 6.3.2 (BR 1.0: 9.4.1): the longest validity period of a subscriber certificate. */
export const MAX_VALIDITY: readonly Period[] = [
  { from: '2012-07-01', months: 60, rule: 'BR 1.0 9.4.1: 60 months' },
  { from: '2015-04-01', months: 39, rule: 'BR 1.0 9.4.1: 39 months after 2015-04-01' },
  { from: '2018-03-01', days: 825, rule: 'BR 6.3.2 (Ballot 193): 825 days' },
  { from: '2020-09-01', days: 398, rule: 'BR 6.3.2 (Ballot SC31): 398 days' },
  { from: '2026-03-15', days: 200, rule: 'BR 6.3.2 (Ballot SC-081): 200 days from 2026-03-15' },
  { from: '2027-03-15', days: 100, rule: 'BR 6.3.2 (Ballot SC-081): 100 days from 2027-03-15' },
  { from: '2029-03-15', days: 47, rule: 'BR 6.3.2 (Ballot SC-081): 47 days from 2029-03-15' },
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
    // Fields in range for every month; anything else (the 29th to 31st, month 13) goes to Date.parse.
    if (month >= 1 && month <= 12 && day >= 1 && day <= 28 && hour <= 23 && minute <= 59 && second <= 59) {
      const ms = Date.UTC(digits(text, 0, 4), month - 1, day, hour, minute, second, text.length === 24 ? digits(text, 20, 3) : 0);
      if (!Number.isNaN(ms)) return ms;
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
