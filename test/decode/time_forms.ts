// The validity time forms the decode tests build certificates with (test/decode/time.test.ts,
// test/decode/facts.test.ts, test/checks/validity_time.test.ts).
import { GENERALIZED_TIME, UTC_TIME } from '../../src/decode/time.js';

/** [tag, characters, the instant they name, in RFC 5280's DER form]: every form X.680 allows. */
export const TIME_FORMS: ReadonlyArray<[number, string, string, boolean]> = [
  [UTC_TIME, '240101000000Z', '2024-01-01T00:00:00.000Z', true],
  [UTC_TIME, '2401010000Z', '2024-01-01T00:00:00.000Z', false], // no seconds: 00
  [UTC_TIME, '240101000000-0500', '2024-01-01T05:00:00.000Z', false], // local midnight at -05:00
  [UTC_TIME, '2401010000+0130', '2023-12-31T22:30:00.000Z', false],
  [UTC_TIME, '500101000000Z', '1950-01-01T00:00:00.000Z', true], // YY >= 50 is 19YY
  [UTC_TIME, '491231235959Z', '2049-12-31T23:59:59.000Z', true],
  [GENERALIZED_TIME, '20500101000000Z', '2050-01-01T00:00:00.000Z', true],
  [GENERALIZED_TIME, '20240101000000Z', '2024-01-01T00:00:00.000Z', false], // before 2050: UTCTime's
  [GENERALIZED_TIME, '19490101000000Z', '1949-01-01T00:00:00.000Z', true], // no UTCTime can say 1949
  [GENERALIZED_TIME, '20240101000000-0500', '2024-01-01T05:00:00.000Z', false],
  [GENERALIZED_TIME, '20510101000000+0100', '2050-12-31T23:00:00.000Z', false],
  [GENERALIZED_TIME, '2051010112-03', '2051-01-01T15:00:00.000Z', false], // offset of hours only
  [GENERALIZED_TIME, '205101011230Z', '2051-01-01T12:30:00.000Z', false], // no seconds
  [GENERALIZED_TIME, '2051010112Z', '2051-01-01T12:00:00.000Z', false], // no minutes
  [GENERALIZED_TIME, '20510101000000.5Z', '2051-01-01T00:00:00.500Z', false], // fractional seconds
  [GENERALIZED_TIME, '20510101000000.123456789Z', '2051-01-01T00:00:00.123Z', false],
  [GENERALIZED_TIME, '205101011230.5Z', '2051-01-01T12:30:30.000Z', false], // half a minute
  [GENERALIZED_TIME, '2051010112.25+01', '2051-01-01T11:15:00.000Z', false], // a quarter hour, at +01
  [GENERALIZED_TIME, '20510101120000', '2051-01-01T12:00:00.000Z', false], // local time: read as UTC
  [GENERALIZED_TIME, '00990101000000Z', '0099-01-01T00:00:00.000Z', true], // not 1999 (Date.UTC's trap)
  [GENERALIZED_TIME, '00990101053007Z', '0099-01-01T05:30:07.000Z', true], // the hours, minutes and seconds of such a year too
  [GENERALIZED_TIME, '19500101000000Z', '1950-01-01T00:00:00.000Z', false], // 1950 takes UTCTime (RFC 5280 4.1.2.5)
  [GENERALIZED_TIME, '20240229120000Z', '2024-02-29T12:00:00.000Z', false], // leap day
];

/** Characters that are no time X.680 allows (or that asn1js cannot parse): the certificate is undecodable. */
export const UNREADABLE_TIMES: ReadonlyArray<[number, string]> = [
  [UTC_TIME, '240101000000'], // a UTCTime names its zone
  [UTC_TIME, '24010100Z'], // no minutes
  [UTC_TIME, '240101000000.5Z'], // no fractions in UTCTime
  [UTC_TIME, '240230000000Z'], // 30 February
  [UTC_TIME, '240101240000Z'], // hour 24
  [UTC_TIME, '240101000060Z'], // second 60
  [UTC_TIME, '240101000000+2400'],
  [UTC_TIME, '2401010000Z0'],
  [GENERALIZED_TIME, '20240101Z'], // no hour
  [GENERALIZED_TIME, '20230229000000Z'], // not a leap year
  [GENERALIZED_TIME, '20240101000000,5Z'], // a decimal comma: asn1js throws on it
  [GENERALIZED_TIME, '20240101000000.Z'],
  [GENERALIZED_TIME, '20240101000000Z+0100'],
  [GENERALIZED_TIME, '2024010100000Z'], // odd digit count
  [0x13, '240101000000Z'], // a PrintableString is no time
];

