// Issue 11 point 2: every validity time form X.680 allows is read to its true instant, by one
// reader (src/decode/time.ts) that the fast path and the full pkijs decode share. Before, pkijs
// dated `2401010000Z` and `240101000000-0500` 1899-11-30 and `20240101000000-0500` 2023-12-03.
import { describe, expect, it } from 'vitest';
import { decodeCertificate, decodeTbsCertificate } from '../../src/decode/certificate.js';
import { FactsDecoder } from '../../src/decode/facts.js';
import { GENERALIZED_TIME, UTC_TIME, isRfc5280ValidityTime, readTime, utcMillis } from '../../src/decode/time.js';
import { TIME_FORMS, UNREADABLE_TIMES } from './time_forms.js';
import { seededRandom } from '../../src/demo/demo_db.js';
import { DecodeError } from '../../src/decode/types.js';
import { buildCertificate, buildTbsCertificate, createDemoCa, generateKeyPair } from '../../src/demo/certificate_builder.js';
import * as der from '../../src/demo/der.js';
import { ATTRIBUTE } from '../../src/decode/oids.js';

const read = (tag: number, text: string) => readTime(Buffer.from(text, 'latin1'), tag, 0, text.length);
const inForm = (tag: number, text: string) => isRfc5280ValidityTime(Buffer.from(text, 'latin1'), tag, 0, text.length);

describe('readTime', () => {
  it.each(TIME_FORMS)('tag %i %s is %s', (tag, text, instant, derForm) => {
    expect(read(tag, text)).toBe(instant);
    expect(inForm(tag, text)).toBe(derForm);
  });

  it.each(UNREADABLE_TIMES)('tag %i %s is no time', (tag, text) => {
    expect(read(tag, text)).toBeNull();
    expect(inForm(tag, text)).toBe(false);
  });

  it('matches Date on 5,000 random DER times', () => {
    const random = seededRandom(7);
    for (let index = 0; index < 5000; index++) {
      const date = new Date(Date.UTC(1950 + Math.floor(random() * 150), Math.floor(random() * 12), 1 + Math.floor(random() * 31), Math.floor(random() * 24), Math.floor(random() * 60), Math.floor(random() * 60)));
      const year = date.getUTCFullYear();
      const body = date.toISOString().replace(/[-:T]|\.\d{3}/g, '');
      expect(read(year < 2050 ? UTC_TIME : GENERALIZED_TIME, year < 2050 ? body.slice(2) : body)).toBe(date.toISOString());
    }
  });

  it('reads 20,000 strings of the DER forms with odd digits and characters as an independent reference does', () => {
    // The DER forms have a path of their own in the reader: held to the rules here, with impossible
    // dates (month 13, 31 April, hour 24, second 60) and a non-digit now and then.
    const random = seededRandom(11);
    const pick = (characters: string) => characters[Math.floor(random() * characters.length)]!;
    for (let index = 0; index < 20_000; index++) {
      const tag = random() < 0.5 ? UTC_TIME : GENERALIZED_TIME;
      const yearText = Array.from({ length: tag === UTC_TIME ? 2 : 4 }, () => pick('0123456789')).join('');
      const fields = Array.from({ length: 5 }, (_, field) => pick(field === 1 ? '0123' : field === 2 ? '012' : '0123456') + pick('0123456789'));
      let body = yearText + fields.join('');
      if (random() < 0.05) {
        const at = Math.floor(random() * body.length);
        body = body.slice(0, at) + pick(' /:+-Z.a') + body.slice(at + 1);
      }
      const text = `${body}Z`;
      const allDigits = /^[0-9]+$/.test(body);
      if (!allDigits && tag === GENERALIZED_TIME) continue; // other GeneralizedTime forms: TIME_FORMS and UNREADABLE_TIMES
      expect(read(tag, text), text).toBe(allDigits ? referenceInstant(tag, body) : null);
      const year = allDigits ? Number(tag === UTC_TIME ? (Number(yearText) >= 50 ? '19' : '20') + yearText : yearText) : 0;
      expect(inForm(tag, text), text).toBe(allDigits && referenceInstant(tag, body) !== null && (tag === UTC_TIME || year >= 2050 || year < 1950));
    }
  });

  it('reads a time inside a larger buffer, between digits and Zs, as it reads the same characters alone', () => {
    // A certificate's times lie deep in its bytes: the reader looks only at [start, end).
    const random = seededRandom(13);
    const digitsOf = (count: number) => Array.from({ length: count }, () => String(Math.floor(random() * 10))).join('');
    const texts: Array<[number, string]> = [...TIME_FORMS.map(([tag, text]): [number, string] => [tag, text]), ...UNREADABLE_TIMES];
    for (let index = 0; index < 100; index++) {
      // Real dates in the DER forms' lengths (13 and 15 characters) and two shorter, ending in Z or not
      for (const [tag, digits] of derDigits(randomDate(random))) {
        for (const ending of ['Z', '0', '+', '.', '']) texts.push([tag, digits + ending], [tag, digits.slice(0, -2) + ending]);
      }
    }
    const prefixes = ['', '0', '9', '20', 'Z', '0000', digitsOf(16)];
    const suffixes = ['', 'Z', '0Z', 'ZZZZ', '9'.repeat(30), digitsOf(30)];
    const differing: string[] = [];
    for (const [tag, text] of texts) {
      const alone = Buffer.from(text, 'latin1');
      const expected = [readTime(alone, tag, 0, alone.length), isRfc5280ValidityTime(alone, tag, 0, alone.length)];
      for (const prefix of prefixes) {
        for (const suffix of suffixes) {
          const bytes = Buffer.from(prefix + text + suffix, 'latin1');
          const [start, end] = [prefix.length, prefix.length + text.length];
          const found = [readTime(bytes, tag, start, end), isRfc5280ValidityTime(bytes, tag, start, end)];
          if (found[0] !== expected[0] || found[1] !== expected[1]) differing.push(`${tag} ${prefix}[${text}]${suffix}: ${found.join(' ')}, alone ${expected.join(' ')}`);
        }
      }
    }
    expect(differing).toEqual([]);
  });

  it('a non-digit anywhere in the DER forms is no time, even where the field it spoils would still be in range', () => {
    // Characters just outside the digits ('/' is one below '0', ':' one above '9'), and others; a
    // full stop is left out, since it starts a fraction in GeneralizedTime.
    const random = seededRandom(17);
    const unreadable: string[] = [];
    for (let index = 0; index < 200; index++) {
      const date = randomDate(random);
      for (const [tag, digits] of derDigits(date)) {
        expect(read(tag, `${digits}Z`)).toBe(date.toISOString());
        const variants: string[] = [];
        for (let at = 0; at < digits.length; at++) {
          for (const character of '/: aZ') variants.push(digits.slice(0, at) + character + digits.slice(at + 1));
        }
        // every field's second character, or every field's first, spoilt at once
        for (const character of '/:') {
          variants.push(digits.replace(/(.)./g, `$1${character}`), digits.replace(/.(.)/g, `${character}$1`));
        }
        for (const variant of variants) if (read(tag, `${variant}Z`) !== null || inForm(tag, `${variant}Z`)) unreadable.push(`${tag} ${variant}Z`);
      }
    }
    expect(unreadable).toEqual([]);
  });
});

/** A random instant to the second from 1950 to 2049, the years both time types can say. */
function randomDate(random: () => number): Date {
  return new Date(Date.UTC(1950 + Math.floor(random() * 100), Math.floor(random() * 12), 1 + Math.floor(random() * 28), Math.floor(random() * 24), Math.floor(random() * 60), Math.floor(random() * 60)));
}

/** The digits of `date` as a UTCTime (YYMMDDhhmmss) and as a GeneralizedTime (YYYYMMDDhhmmss), without the Z. */
function derDigits(date: Date): ReadonlyArray<readonly [number, string]> {
  const body = date.toISOString().replace(/[-:TZ]|\.\d{3}/g, '');
  return [[UTC_TIME, body.slice(2)], [GENERALIZED_TIME, body]];
}

/** The ISO instant of YY(YY)MMDDhhmmss by Date, or null when it names no real instant. */
function referenceInstant(tag: number, body: string): string | null {
  const yearDigits = tag === UTC_TIME ? 2 : 4;
  let year = Number(body.slice(0, yearDigits));
  if (tag === UTC_TIME) year += year >= 50 ? 1900 : 2000;
  const [month, day, hour, minute, second] = [0, 1, 2, 3, 4].map((field) => Number(body.slice(yearDigits + 2 * field, yearDigits + 2 * field + 2))) as [number, number, number, number, number];
  if (hour > 23 || minute > 59 || second > 59) return null;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date.toISOString() : null;
}

const ca = createDemoCa(new Date('2026-11-26T00:00:00Z'));
const key = generateKeyPair();
const timeTlv = (tag: number, text: string) => der.tlv(tag, Buffer.from(text, 'latin1'));

function certificateWith(notBefore: Buffer, notAfter: Buffer = der.utcTime('300101000000Z')): Buffer {
  return buildCertificate(
    {
      serial: Buffer.from([0x33, 0x01]),
      subject: [{ oid: ATTRIBUTE.countryName, value: 'de', type: 'PrintableString' }, { oid: ATTRIBUTE.commonName, value: 'time.example' }],
      notBefore: new Date(0),
      notAfter: new Date(0),
      encodedValidity: [notBefore, notAfter],
      subjectPublicKeyInfo: key.spki,
    },
    ca.issuing,
  );
}

describe('both decode paths read every form to the same instant', () => {
  it.each(TIME_FORMS)('notBefore tag %i %s', (tag, text, instant, derForm) => {
    const certificate = certificateWith(timeTlv(tag, text));
    const full = decodeCertificate(certificate);
    expect(full.notBefore).toBe(instant);
    // The instants the period checks count days with are the same times as numbers.
    expect([full.notBeforeMs, full.notAfterMs]).toEqual([Date.parse(instant), Date.parse('2030-01-01T00:00:00Z')]);
    expect(full.validityEncoding).toEqual(
      derForm ? null : { notBefore: { type: tag === UTC_TIME ? 'UTCTime' : 'GeneralizedTime', text }, notAfter: { type: 'UTCTime', text: '300101000000Z' } },
    );
    const fast = new FactsDecoder().decode(certificate);
    expect(fast).not.toBeNull();
    const { dnsNames: _dnsNames, sha256: _sha256, ...facts } = full;
    expect(fast).toEqual(facts);
  });

  it('a notAfter in another form is read and carried too', () => {
    const full = decodeCertificate(certificateWith(der.utcTime('240101000000Z'), der.generalizedTime('20340101000000+0200')));
    expect(full.notAfter).toBe('2033-12-31T22:00:00.000Z');
    expect(full.validityEncoding?.notAfter).toEqual({ type: 'GeneralizedTime', text: '20340101000000+0200' });
  });

  it.each(UNREADABLE_TIMES)('a notBefore of tag %i %s makes the certificate undecodable, never 1899', (tag, text) => {
    const certificate = certificateWith(timeTlv(tag, text));
    expect(() => decodeCertificate(certificate)).toThrow(DecodeError);
    expect(new FactsDecoder().decode(certificate)).toBeNull();
  });

  it('an unreadable notBefore is named in the DecodeError', () => {
    expect(() => decodeCertificate(certificateWith(der.utcTime('2401010000')))).toThrow('notBefore is not a readable time: UTCTime "2401010000"');
  });

  it('an unreadable notAfter is named in the DecodeError', () => {
    expect(() => decodeCertificate(certificateWith(der.utcTime('240101000000Z'), der.utcTime('2401010000')))).toThrow(
      'notAfter is not a readable time: UTCTime "2401010000"',
    );
  });
});

describe('a precertificate TBS (CT precert_entry) is read by the same reader', () => {
  it('UTCTime with an offset, on both paths', () => {
    const tbs = buildTbsCertificate(
      {
        serial: Buffer.from([0x33, 0x02]),
        subject: [{ oid: ATTRIBUTE.commonName, value: 'precert.example' }],
        notBefore: new Date(0),
        notAfter: new Date(0),
        encodedValidity: [der.utcTime('240101000000-0500'), der.utcTime('2404010000Z')],
        subjectPublicKeyInfo: key.spki,
      },
      ca.issuing,
    );
    const full = decodeTbsCertificate(tbs, '00'.repeat(32), true);
    expect([full.notBefore, full.notAfter]).toEqual(['2024-01-01T05:00:00.000Z', '2024-04-01T00:00:00.000Z']);
    expect([full.notBeforeMs, full.notAfterMs]).toEqual([Date.parse('2024-01-01T05:00:00Z'), Date.parse('2024-04-01T00:00:00Z')]);
    expect(full.validityEncoding).toEqual({ notBefore: { type: 'UTCTime', text: '240101000000-0500' }, notAfter: { type: 'UTCTime', text: '2404010000Z' } });
    const { dnsNames: _dnsNames, sha256: _sha256, ...facts } = full;
    expect(new FactsDecoder().decodeTbs(tbs, true)).toEqual(facts);
  });
});

describe('utcMillis (the epoch ms of every validity time)', () => {
  it("is Date.UTC's value from the year 100 to 9999, at each month's edges and on random instants", () => {
    const random = seededRandom(2026);
    const cases: Array<[number, number, number, number, number, number]> = [];
    for (const year of [100, 399, 400, 1600, 1899, 1900, 1969, 1970, 2000, 2024, 2049, 2050, 2100, 9999]) {
      for (let month = 1; month <= 12; month++) for (const day of [1, 28, 29, 30, 31]) cases.push([year, month, day, 23, 59, 59]);
    }
    for (let index = 0; index < 20_000; index++) {
      cases.push([100 + Math.floor(random() * 9900), 1 + Math.floor(random() * 12), 1 + Math.floor(random() * 31), Math.floor(random() * 24), Math.floor(random() * 60), Math.floor(random() * 60)]);
    }
    for (const [year, month, day, hour, minute, second] of cases) {
      // A day past the month's end runs into the next month in both.
      expect(utcMillis(year, month, day, hour, minute, second), `${year}-${month}-${day} ${hour}:${minute}:${second}`).toBe(Date.UTC(year, month - 1, day, hour, minute, second));
    }
  });

  it('keeps the years 0 to 99 as they are (Date.UTC reads them as 1900 to 1999)', () => {
    for (let year = 0; year < 100; year++) {
      for (const [month, day] of [[1, 1], [2, 29], [3, 1], [12, 31]] as const) {
        const date = new Date(0);
        date.setUTCFullYear(year, month - 1, day);
        date.setUTCHours(6, 7, 8, 0);
        expect(utcMillis(year, month, day, 6, 7, 8), `${year}-${month}-${day}`).toBe(date.getTime());
      }
    }
  });
});
