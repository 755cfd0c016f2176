// Bad values in the CA's rows (issue #14, point 6): each is one input-errors.csv row (table, row,
// column, value, why), read as absent, never a value in the appendix, never a finding against the
// certificate; a recorded serial that is not the certificate's is a finding of its own.
import Database from 'better-sqlite3';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/clock.js';
import { DEFAULT_CONFIG } from '../../../src/config.js';
import { writeIssuanceDatabase } from '../../../src/demo/demo_db.js';
import { runScan } from '../../../src/scan.js';
import { toPem } from '../../../src/demo/demo_exports.js';
import type { InputProblem } from '../../../src/sources/ct/entries.js';
import { REVOKED_DATE_UNKNOWN } from '../../../src/sources/revocation.js';
import { printableValue, readRevocationReason, readRowDetails, readSerial, readTime, rowDetailsWithProblems, withRecordedSerial } from '../../../src/sources/database/row_values.js';
import type { SourceRowMeta } from '../../../src/sources/types.js';
import { SCAN_TIME, certificateFor, configFor, order, runCli, tempDir, withoutOptionalOrderFields } from '../../helpers.js';
import { loadSqliteInto, mustRunServerTests, serversAvailable, startMariadb, startPostgres, type TestServer } from '../servers.js';

const clock = fixedClock(SCAN_TIME);
const place = { table: 'certificates', row: 'id 7', column: 'x' };
const csv = (path: string) => parse(readFileSync(path), { columns: true }) as Array<Record<string, string>>;

describe('reading one stored value', () => {
  it('a serial: hex or decimal as mapped; anything else is one problem and no serial', () => {
    const problems: InputProblem[] = [];
    expect(readSerial('00AB', 'hex', place, problems)).toBe('ab');
    expect(readSerial('4096', 'decimal', place, problems)).toBe('1000');
    expect(readSerial(4096, 'decimal', place, problems)).toBe('1000');
    expect(readSerial(null, 'hex', place, problems)).toBeNull();
    expect(problems).toEqual([]);
    expect(readSerial('zz-not-hex', 'hex', place, problems)).toBeNull();
    expect(readSerial('0x1f', 'decimal', place, problems)).toBeNull();
    expect(problems.map((problem) => [problem.file, problem.at, problem.column, problem.value])).toEqual([
      ['certificates', 'id 7', 'x', 'zz-not-hex'],
      ['certificates', 'id 7', 'x', '0x1f'],
    ]);
    expect(problems[0]!.message).toContain('serialEncoding "hex"');
  });

  it('a time in each encoding; text that is no time, or a day that does not exist, is one problem', () => {
    const problems: InputProblem[] = [];
    expect(readTime('2026-11-20T10:00:00Z', 'iso8601', place, problems)).toBe('2026-11-20T10:00:00Z');
    expect(readTime('2026-11-20 10:00:00', 'sql-datetime', place, problems)).toBe('2026-11-20T10:00:00.000Z');
    expect(readTime('1782000000', 'epoch-s', place, problems)).toBe('2026-06-21T00:00:00.000Z');
    expect(readTime(1_782_000_000_000, 'epoch-ms', place, problems)).toBe('2026-06-21T00:00:00.000Z');
    expect(readTime(new Date('2026-01-02T00:00:00Z'), 'iso8601', place, problems)).toBe('2026-01-02T00:00:00.000Z');
    expect(problems).toEqual([]);
    for (const [value, encoding] of [['not-a-date', 'iso8601'], ['2026-02-30', 'iso8601'], ['2026-13-45T00:00:00Z', 'sql-datetime'], ['yesterday', 'epoch-ms']] as const) {
      expect(readTime(value, encoding, place, problems)).toBeNull();
    }
    expect(problems.map((problem) => problem.value)).toEqual(['not-a-date', '2026-02-30', '2026-13-45T00:00:00Z', 'yesterday']);
    expect(problems[3]!.message).toBe('not a time in timeEncoding "epoch-ms"');
  });

  it('a revocation reason: RFC 5280 5.3.1 CRLReason codes; negative is none (EJBCA -1); 7, 99 and text are problems', () => {
    const problems: InputProblem[] = [];
    expect([0, 1, 6, 8, 10, '4', -1, null, ''].map((value) => readRevocationReason(value, place, problems))).toEqual([0, 1, 6, 8, 10, 4, null, null, null]);
    expect(problems).toEqual([]);
    expect([7, 99, 'keyCompromise'].map((value) => readRevocationReason(value, place, problems))).toEqual([null, null, null]);
    expect(problems.map((problem) => problem.value)).toEqual(['7', '99', 'keyCompromise']);
  });

  it('shows a value printable and short: raw bytes and other characters escaped', () => {
    expect(printableValue('K\ufffdln')).toBe('K\\ufffdln');
    expect(printableValue(Buffer.from([0x4b, 0xf6, 0x6c, 0x6e]))).toBe('K\\xf6ln');
    expect(printableValue('a\nb')).toBe('a\\x0ab');
    expect(printableValue('x'.repeat(80))).toBe(`${'x'.repeat(60)}...`);
  });

  it('an unreadable revocation date: revoked with the date unknown when a status column says revoked, else not taken as revoked', () => {
    const mapping = DEFAULT_CONFIG.database.certificates;
    const stored = { serial: '0a', issuedAt: '2026-10-01T00:00:00Z', revokedAt: 'not-a-date', reason: 1, status: null };
    const problems: InputProblem[] = [];
    expect(readRowDetails(mapping, 7, stored, problems)).toEqual({ serial: '0a', issuedAt: '2026-10-01T00:00:00Z', revokedAt: null, revocationReason: null });
    expect(problems.map((problem) => [problem.file, problem.at, problem.column, problem.value, problem.message])).toEqual([
      ['certificates', 'id 7', 'revoked_at', 'not-a-date', 'not a time in timeEncoding "iso8601"; the certificate is not taken as revoked (no status column says it is)'],
    ]);
    const withStatus = { ...mapping, columns: { ...mapping.columns, status: 'status' }, revokedStatuses: ['40'] };
    const statusProblems: InputProblem[] = [];
    expect(readRowDetails(withStatus, 7, { ...stored, status: 40 }, statusProblems)).toMatchObject({ revokedAt: REVOKED_DATE_UNKNOWN, revocationReason: 1 });
    expect(statusProblems[0]!.message).toContain('the revocation date is taken as unknown');
  });
});

/** One problem as its input-errors.csv columns. */
const asRow = (problem: InputProblem) => [problem.file, problem.at, problem.column, problem.value, problem.message];

describe('printableValue: exactly what input-errors.csv shows', () => {
  it('bytes: 0x20 to 0x7e kept except the backslash; below, 0x7f and above as \\xNN with two digits', () => {
    expect(printableValue(Buffer.from([0x01, 0x1f, 0x20, 0x41, 0x5c, 0x7e, 0x7f, 0xff]))).toBe('\\x01\\x1f A\\x5c~\\x7f\\xff');
  });

  it('text: a backslash doubled, control characters and 0x7f to 0xff as \\xNN, beyond as \\uNNNN with four digits', () => {
    expect(printableValue('a\\b')).toBe('a\\\\b');
    expect(printableValue('\u001f \u007e\u007f\u00a0\u00ff\u0100\u20ac')).toBe('\\x1f ~\\x7f\\xa0\\xff\\u0100\\u20ac');
  });

  it('a Date as ISO 8601 (an invalid one as Invalid Date), other values as their String()', () => {
    expect(printableValue(new Date('2026-01-02T03:04:05Z'))).toBe('2026-01-02T03:04:05.000Z');
    expect(printableValue(new Date(Number.NaN))).toBe('Invalid Date');
    expect(printableValue(99)).toBe('99');
    expect(printableValue(12n)).toBe('12');
  });

  it('cut after 60 characters: 60 are shown whole, 61 cut with ...; the cut counts the escapes', () => {
    expect(printableValue('y'.repeat(60))).toBe('y'.repeat(60));
    expect(printableValue('y'.repeat(61))).toBe(`${'y'.repeat(60)}...`);
    expect(printableValue('\u00ff'.repeat(20))).toBe(`${'\\xff'.repeat(15)}...`);
  });
});

describe('readSerial: every stored form', () => {
  it('hex text trimmed, any case, leading zeros dropped; a Buffer read as Latin-1 text', () => {
    const problems: InputProblem[] = [];
    expect(readSerial(' 00Ab12 ', 'hex', place, problems)).toBe('ab12');
    expect(readSerial('000', 'hex', place, problems)).toBe('0');
    expect(readSerial(Buffer.from('0A1B'), 'hex', place, problems)).toBe('a1b');
    expect(readSerial(undefined, 'hex', place, problems)).toBeNull();
    expect(readSerial('   ', 'hex', place, problems)).toBeNull();
    expect(problems).toEqual([]);
  });

  it('numbers: in a decimal column their value; in a hex column their digits are the hex text (numbers and bigints alike)', () => {
    const problems: InputProblem[] = [];
    expect(readSerial(0, 'decimal', place, problems)).toBe('0');
    expect(readSerial(4660, 'decimal', place, problems)).toBe('1234');
    expect(readSerial(4660n, 'decimal', place, problems)).toBe('1234');
    expect(readSerial(0n, 'decimal', place, problems)).toBe('0');
    expect(readSerial(4660, 'hex', place, problems)).toBe('4660');
    expect(readSerial(4660n, 'hex', place, problems)).toBe('4660');
    expect(readSerial('  123456789012345678901234567890 ', 'decimal', place, problems)).toBe('18ee90ff6c373e0ee4e3f0ad2');
    expect(problems).toEqual([]);
  });

  it('negative, fractional or unsafe numbers and text with other characters are one problem each, with the exact why', () => {
    const problems: InputProblem[] = [];
    for (const value of [-5, -5n, 1.5, 1e21, 'x12', '12x', '+12']) expect(readSerial(value, 'decimal', place, problems)).toBeNull();
    for (const value of [-5, -5n, 'zz12', '12zz', '0x12']) expect(readSerial(value, 'hex', place, problems)).toBeNull();
    const decimalWhy = 'not a serial number: serialEncoding "decimal" needs the digits 0-9 only';
    const hexWhy = 'not a serial number: serialEncoding "hex" needs the hex digits 0-9 and a-f only';
    expect(problems.map(asRow)).toEqual([
      ...['-5', '-5', '1.5', '1e+21', 'x12', '12x', '+12'].map((value) => ['certificates', 'id 7', 'x', value, decimalWhy]),
      ...['-5', '-5', 'zz12', '12zz', '0x12'].map((value) => ['certificates', 'id 7', 'x', value, hexWhy]),
    ]);
  });
});

describe('readTime: every stored form', () => {
  it('a date alone, an offset with or without a colon, a fraction; NULL, empty and blank are no time and no problem', () => {
    const problems: InputProblem[] = [];
    expect(readTime('2026-11-20', 'iso8601', place, problems)).toBe('2026-11-20');
    expect(readTime('2026-11-20', 'sql-datetime', place, problems)).toBe('2026-11-20T00:00:00.000Z');
    expect(readTime(' 2026-11-20 10:00:00 ', 'sql-datetime', place, problems)).toBe('2026-11-20T10:00:00.000Z');
    expect(readTime('2026-11-20 10:00:00+02:00', 'sql-datetime', place, problems)).toBe('2026-11-20T08:00:00.000Z');
    expect(readTime('2026-11-20T10:00-0130', 'sql-datetime', place, problems)).toBe('2026-11-20T11:30:00.000Z');
    expect(readTime('2026-11-20T10:00:00.25z', 'sql-datetime', place, problems)).toBe('2026-11-20T10:00:00.250Z');
    expect(readTime(Buffer.from('2026-11-20 10:00:00'), 'sql-datetime', place, problems)).toBe('2026-11-20T10:00:00.000Z');
    for (const none of [null, undefined, '', '  ']) expect(readTime(none, 'iso8601', place, problems)).toBeNull();
    expect(problems).toEqual([]);
  });

  it('text without an offset is UTC whatever the machine zone is', (context) => {
    const zone = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      // Only a process's main thread switches its zone when TZ is set (vitest's forks pool, not threads).
      if (new Date(2026, 0, 1).getTimezoneOffset() !== 300) context.skip('the zone cannot be switched in a worker thread');
      expect(readTime('2026-11-20 10:00:00', 'sql-datetime', place, [])).toBe('2026-11-20T10:00:00.000Z');
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('epochs: seconds with a fraction, negative, up to the last time a Date holds (8.64e15 ms) and no further', () => {
    const problems: InputProblem[] = [];
    expect(readTime('1782000000.25', 'epoch-s', place, problems)).toBe('2026-06-21T00:00:00.250Z');
    expect(readTime('-1000', 'epoch-ms', place, problems)).toBe('1969-12-31T23:59:59.000Z');
    expect(readTime('8640000000000000', 'epoch-ms', place, problems)).toBe('+275760-09-13T00:00:00.000Z');
    expect(readTime(-8.64e15, 'epoch-ms', place, problems)).toBe('-271821-04-20T00:00:00.000Z');
    expect(problems).toEqual([]);
    for (const value of ['8640000000000001', '8640000000001', '1e3', '1782000000.', '0x10', '+1000']) expect(readTime(value, value === '8640000000001' ? 'epoch-s' : 'epoch-ms', place, problems)).toBeNull();
    expect(problems.map((problem) => problem.value)).toEqual(['8640000000000001', '8640000000001', '1e3', '1782000000.', '0x10', '+1000']);
    expect(problems[1]!.message).toBe('not a time in timeEncoding "epoch-s"');
  });

  it('an invalid Date from a driver is one problem naming the encoding', () => {
    const problems: InputProblem[] = [];
    expect(readTime(new Date(Number.NaN), 'sql-datetime', place, problems)).toBeNull();
    expect(problems.map(asRow)).toEqual([['certificates', 'id 7', 'x', 'Invalid Date', 'not a time (timeEncoding "sql-datetime")']]);
  });
});

describe('readRevocationReason: every stored form', () => {
  it('digits only (a Latin-1 no-break space trimmed); 4.0, 0x4, 1e0 and 7 are problems with the exact why', () => {
    const problems: InputProblem[] = [];
    expect(readRevocationReason(Buffer.from([0x34, 0xa0]), place, problems)).toBe(4);
    expect(readRevocationReason('+5', place, problems)).toBe(5);
    expect(readRevocationReason(' 9 ', place, problems)).toBe(9);
    expect(problems).toEqual([]);
    for (const value of ['4.0', '0x4', '1e0', '7']) expect(readRevocationReason(value, place, problems)).toBeNull();
    expect(problems.map(asRow)).toEqual(['4.0', '0x4', '1e0', '7'].map((value) => ['certificates', 'id 7', 'x', value, 'not a CRLReason of RFC 5280 5.3.1 (0-6, 8-10)']));
  });
});

describe('readRowDetails and rowDetailsWithProblems: a row as the reports show it', () => {
  const mapping = DEFAULT_CONFIG.database.certificates;
  const stored = { serial: '00AB', issuedAt: '2026-10-01T00:00:00Z', revokedAt: null, reason: null, status: null };

  it('a readable revocation date without a status column: revoked then, with its reason', () => {
    const problems: InputProblem[] = [];
    expect(readRowDetails(mapping, 7, { ...stored, revokedAt: '2026-11-20T00:00:00Z', reason: '1' }, problems)).toEqual({
      serial: '00ab',
      issuedAt: '2026-10-01T00:00:00Z',
      revokedAt: '2026-11-20T00:00:00Z',
      revocationReason: 1,
    });
    expect(problems).toEqual([]);
  });

  it("EJBCA's -1 for not revoked is no revocation and no problem, even as an ISO 8601 column's value", () => {
    const problems: InputProblem[] = [];
    expect(readRowDetails(mapping, 7, { ...stored, revokedAt: -1, reason: -1 }, problems)).toMatchObject({ revokedAt: null, revocationReason: null });
    expect(problems).toEqual([]);
  });

  it('bad issue time and reason name their table, row and column (the revocation table for the reason); a bad serial is no serial and no problem here', () => {
    const joined = { ...mapping, table: 'certs', revocationTable: { table: 'cert_status', serial: 'serial' }, columns: { ...mapping.columns, issuedAt: 'issued', revocationReason: 'why' } };
    const problems: InputProblem[] = [];
    expect(readRowDetails(joined, 'fp1', { serial: 'zz', issuedAt: 'soon', revokedAt: null, reason: 99, status: null }, problems)).toEqual({
      serial: null,
      issuedAt: null,
      revokedAt: null,
      revocationReason: null,
    });
    expect(problems.map(asRow)).toEqual([
      ['certs', 'id fp1', 'issued', 'soon', 'not a time in timeEncoding "iso8601"'],
      ['cert_status', 'id fp1', 'why', '99', 'not a CRLReason of RFC 5280 5.3.1 (0-6, 8-10)'],
    ]);
  });

  it('the serial as stored, lower case and trimmed: decimal converted, numbers by their digits', () => {
    const decimal = { ...mapping, serialEncoding: 'decimal' as const };
    expect(readRowDetails(decimal, 7, { ...stored, serial: ' 4096 ' }, []).serial).toBe('1000');
    expect(readRowDetails(decimal, 7, { ...stored, serial: 4096 }, []).serial).toBe('1000');
    expect(readRowDetails(decimal, 7, { ...stored, serial: 4096n }, []).serial).toBe('1000');
    expect(readRowDetails(mapping, 7, { ...stored, serial: ' 0A1B ' }, []).serial).toBe('0a1b');
    expect(readRowDetails(mapping, 7, { ...stored, serial: 4660 }, []).serial).toBe('4660');
    expect(readRowDetails(mapping, 7, { ...stored, serial: Buffer.from('0A') }, []).serial).toBe('0a');
  });

  it('rowDetailsWithProblems: no valueProblems key when all is readable; the problems, with the times as toTime hands them over, when not', () => {
    expect(rowDetailsWithProblems(mapping, 7, stored)).toEqual({ serial: '00ab', issuedAt: '2026-10-01T00:00:00Z', revokedAt: null, revocationReason: null });
    const details = rowDetailsWithProblems(mapping, 7, { ...stored, issuedAt: 'raw' }, (value) => (value === 'raw' ? 'still not a time' : value));
    expect(details.valueProblems!.map(asRow)).toEqual([['certificates', 'id 7', 'issued_at', 'still not a time', 'not a time in timeEncoding "iso8601"']]);
  });
});

describe('withRecordedSerial: the serial a page row records', () => {
  const mapping = DEFAULT_CONFIG.database.certificates;
  const row = (): SourceRowMeta => ({ ref: 9, orderId: 'O-1', order: null });

  it('none for NULL; normal hex kept as is, other hex normalised, numbers read as the mapping says', () => {
    expect(withRecordedSerial(row(), null, mapping)).toEqual(row());
    expect(withRecordedSerial(row(), undefined, mapping)).toEqual(row());
    expect(withRecordedSerial(row(), 'ab12', mapping).recordedSerial).toBe('ab12');
    expect(withRecordedSerial(row(), '00AB12', mapping).recordedSerial).toBe('ab12');
    expect(withRecordedSerial(row(), 4660, mapping).recordedSerial).toBe('4660');
    const decimal = { ...mapping, serialEncoding: 'decimal' as const };
    expect(withRecordedSerial(row(), '4096', decimal).recordedSerial).toBe('1000');
    expect(withRecordedSerial(row(), 4096, decimal).recordedSerial).toBe('1000');
    expect(withRecordedSerial(row(), '4096', decimal)).not.toHaveProperty('valueProblems');
  });

  it('lowercase hex with leading zeros (the fast path) reads as readSerial reads it', () => {
    const place = { table: 'certificates', row: 'id 9', column: 'serial' };
    for (const stored of ['00ab12', '0100a6fad8', '0', '000', '0a', '10', 'f0', '00000000000000000000000000000001', ' 00ab ', '00AB', '0x1f', '', 'g', '0g', '/', ':', '`', '9', 'a', 'f', '@']) {
      const problems: InputProblem[] = [];
      const expected = readSerial(stored, 'hex', place, problems);
      const read = withRecordedSerial(row(), stored, mapping);
      expect(read.recordedSerial ?? null, stored).toBe(expected);
      expect(read.valueProblems?.length ?? 0, stored).toBe(problems.length);
    }
    expect(withRecordedSerial(row(), '000', mapping).recordedSerial).toBe('0');
    expect(withRecordedSerial(row(), '0100a6', mapping).recordedSerial).toBe('100a6');
  });

  it('a bad serial: no recorded serial and one value problem naming table, row and column, after those the row already had', () => {
    const named = { ...mapping, table: 'certs', columns: { ...mapping.columns, serial: 'serial_hex' } };
    const bad = withRecordedSerial(row(), 'zz-not-hex', named);
    expect(bad).not.toHaveProperty('recordedSerial');
    expect(bad.valueProblems!.map(asRow)).toEqual([['certs', 'id 9', 'serial_hex', 'zz-not-hex', 'not a serial number: serialEncoding "hex" needs the hex digits 0-9 and a-f only']]);
    const earlier: InputProblem = { file: 'certs', at: 'id 9', column: 'issued', value: 'x', message: 'earlier' };
    const carrying = { ...row(), valueProblems: [earlier] };
    expect(withRecordedSerial(carrying, 'zz', named).valueProblems!.map((problem) => problem.value)).toEqual(['x', 'zz']);
  });
});

/**
 * A corpus with one planted bad value per row: 1 revoked_at 'not-a-date', 2 reason 99, 3 serial
 * 'zz-not-hex', 4 a valid serial that is not the certificate's, 5 an order locality stored as
 * Latin-1 bytes (K\xf6ln, not UTF-8) while the certificate says Köln. Rows 1 to 3 also carry a
 * planted C=AD, so that they are reported and their appendix rows can be read.
 */
function badValuesDatabase(dir: string): string {
  return badValuesCorpus(dir).path;
}

function badValuesCorpus(dir: string): { path: string; issued: Buffer[]; issuer: Buffer } {
  const path = join(dir, 'bad-values.sqlite');
  const us = order('US-1', { country: 'US' });
  const cologne = order('DE-1', { country: 'DE', state: 'Nordrhein-Westfalen', locality: 'Köln' });
  const revoked = { revokedAt: new Date('2026-11-20T00:00:00Z'), revocationReason: 1 };
  const written = writeIssuanceDatabase(
    path,
    {
      orders: [us, cologne],
      certificates: [
        certificateFor(us, { country: 'AD', ...revoked }),
        certificateFor(us, { country: 'AD', ...revoked }),
        certificateFor(us, { country: 'AD' }),
        certificateFor(us),
        certificateFor(cologne),
      ],
    },
    { now: new Date(SCAN_TIME), keepIssued: true },
  );
  const db = new Database(path);
  db.exec(`UPDATE certificates SET revoked_at = 'not-a-date' WHERE id = 1;
           UPDATE certificates SET revocation_reason = 99 WHERE id = 2;
           UPDATE certificates SET serial = 'zz-not-hex' WHERE id = 3;
           UPDATE certificates SET serial = '7e57' WHERE id = 4;
           UPDATE orders SET locality = CAST(X'4bf66c6e' AS TEXT) WHERE id = 'DE-1';`);
  db.close();
  return { path, issued: written.issued, issuer: written.issuerCertificate };
}

/** What the reports of a scan of badValuesDatabase must say, on any engine. */
export function expectBadValuesReported(outDir: string, tables: { certificates: string; orders: string }): void {
  const problems = csv(join(outDir, 'input-errors.csv'));
  expect(problems.map((row) => [row.file, row.at, row.column, row.value])).toEqual([
    [tables.certificates, 'id 1', 'revoked_at', 'not-a-date'],
    [tables.certificates, 'id 2', 'revocation_reason', '99'],
    [tables.certificates, 'id 3', 'serial', 'zz-not-hex'],
    [tables.orders, 'order DE-1', 'locality', 'K\\ufffdln'],
  ]);
  const findings = csv(join(outDir, 'findings.csv'));
  // Rows 1 to 3 for their planted C=AD only; row 4 for its recorded serial; row 5 for nothing.
  expect(findings.map((row) => [row.cert_id, row.check])).toEqual([
    ['1', 'e_subject_country_order_mismatch'],
    ['2', 'e_subject_country_order_mismatch'],
    ['3', 'e_subject_country_order_mismatch'],
    ['4', 'w_serial_number_record_mismatch'],
  ]);
  expect(findings[3]!.detail).toMatch(/^row 4 records serial 7e57 but the certificate's serial is [0-9a-f]+$/);
  const appendix = csv(join(outDir, 'ccadb-appendix.csv'));
  expect(appendix.map((row) => row.cert_id)).toEqual(['1', '2', '3', '4']);
  const text = readFileSync(join(outDir, 'ccadb-appendix.csv'), 'utf8');
  for (const bad of ['not-a-date', 'reason 99', 'zz-not-hex']) expect(text).not.toContain(bad);
  expect(appendix[3]!['Serial # (hex)']).not.toBe('7e57');
  // The unreadable revocation date: not claimed as revoked, so the revocation is still due.
  expect(appendix[0]).toMatchObject({ 'Is revoked?': 'Planned', revocation_status: 'due' });
  expect(appendix[1]).toMatchObject({ 'Is revoked?': 'Yes', 'Revocation date': '2026-11-20T00:00:00Z', 'Revocation reason': '' });
  expect(appendix[2]!['Serial # (hex)']).toMatch(/^[0-9a-f]+$/);
}

describe('bad values in a SQLite issuance database', () => {
  it('each is an input-errors.csv row, none reaches the appendix or a finding; a wrong recorded serial is a finding', async () => {
    const dir = tempDir();
    const path = badValuesDatabase(dir);
    const { summary, outDir } = await runScan({ config: configFor(path), outDir: join(dir, 'out') }, { clock });
    expect(summary.certificatesScanned).toBe(5);
    expect(summary.inputProblems).toBe(4);
    expectBadValuesReported(outDir, { certificates: 'certificates', orders: 'orders' });
  });

  it('the serial finding is off with the check disabled; the bad serial is still an input problem', async () => {
    const dir = tempDir();
    const path = badValuesDatabase(dir);
    const config = configFor(path);
    config.checks.disabled = ['w_serial_number_record_mismatch'];
    const { outDir } = await runScan({ config, outDir: join(dir, 'out') }, { clock });
    expect(csv(join(outDir, 'findings.csv')).map((row) => row.check)).not.toContain('w_serial_number_record_mismatch');
    expect(csv(join(outDir, 'input-errors.csv')).map((row) => row.column)).toContain('serial');
  });

  it('the CLI writes the reports, says how many values could not be read and exits 2', () => {
    const dir = tempDir();
    const path = badValuesDatabase(dir);
    const out = join(dir, 'cli-out');
    const result = runCli(['scan', '--db', path, '--out', out, '--workers', '1'], { cwd: dir, env: { CERTSCAN_NOW: SCAN_TIME } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`4 pieces of input could not be read; see ${join(out, 'input-errors.csv')}`);
    const problems = csv(join(out, 'input-errors.csv'));
    expect(problems.map((row) => [row.file, row.at, row.column, row.value])).toContainEqual(['certificates', 'id 1', 'revoked_at', 'not-a-date']);
    expect(problems.find((row) => row.column === 'revocation_reason')!.problem).toBe('not a CRLReason of RFC 5280 5.3.1 (0-6, 8-10)');
  });
});

/** The orders of badValuesDatabase with the optional fields not kept, DE-1's locality as these bytes. */
const ORDERS_COLUMNS = ['id', 'organization', 'country', 'state', 'locality', 'jurisdiction_country', 'validation_type'];
const ORDER_ROWS = [
  ['US-1', 'Example Org', 'US', 'California', 'San Francisco', null, 'OV'],
  ['DE-1', 'Example Org', 'DE', 'Nordrhein-Westfalen', 'K\xf6ln', null, 'OV'],
];

/** Rows 1 to 4 of badValuesDatabase, with the orders from elsewhere (DE-1's locality there is the bad one). */
function expectCertificateValuesAndOrderLocality(outDir: string, ordersSource: string): void {
  const problems = csv(join(outDir, 'input-errors.csv'));
  expect(problems.map((row) => [row.file, row.at, row.column, row.value])).toEqual([
    ['certificates', 'id 1', 'revoked_at', 'not-a-date'],
    ['certificates', 'id 2', 'revocation_reason', '99'],
    ['certificates', 'id 3', 'serial', 'zz-not-hex'],
    [ordersSource, 'order DE-1', 'locality', 'K\\ufffdln'],
  ]);
  expect(csv(join(outDir, 'findings.csv')).map((row) => row.check)).not.toContain('e_subject_locality_order_mismatch');
}

describe('bad values met through a file scan (rows found by serial)', () => {
  it('the report columns of a reported certificate and a non-UTF-8 order field are input problems; a serial that is not one finds no row', async () => {
    const dir = tempDir();
    const corpus = badValuesCorpus(dir);
    const files = join(dir, 'files');
    mkdirSync(files);
    corpus.issued.forEach((der, index) => writeFileSync(join(files, `${index + 1}.pem`), toPem(der)));
    writeFileSync(join(dir, 'issuer.pem'), toPem(corpus.issuer));
    const { outDir } = await runScan({ config: configFor(corpus.path), pem: files, issuers: [join(dir, 'issuer.pem')], outDir: join(dir, 'out') }, { clock });
    const problems = csv(join(outDir, 'input-errors.csv'));
    expect(problems.map((row) => [row.file, row.at, row.column, row.value])).toEqual([
      ['certificates', 'id 1', 'revoked_at', 'not-a-date'],
      ['certificates', 'id 2', 'revocation_reason', '99'],
      ['orders', 'order DE-1', 'locality', 'K\\ufffdln'],
    ]);
    const findings = csv(join(outDir, 'findings.csv'));
    // Rows 3 and 4 record serials no certificate has: their certificates are unknown to the
    // database (and, with no order, not compared with one).
    expect(findings.map((row) => [row.cert_id, row.check])).toEqual([
      ['1', 'e_subject_country_order_mismatch'],
      ['2', 'e_subject_country_order_mismatch'],
      ['', 'e_ct_unknown_issuance'],
      ['', 'e_ct_unknown_issuance'],
    ]);
    const appendix = readFileSync(join(outDir, 'ccadb-appendix.csv'), 'utf8');
    for (const bad of ['not-a-date', 'reason 99']) expect(appendix).not.toContain(bad);
  });
});

describe('non-UTF-8 text in an --orders export', () => {
  it('CSV written in Latin-1: the field is an input problem and not compared; the other fields are', async () => {
    const dir = tempDir();
    const path = badValuesDatabase(dir);
    const exportPath = join(dir, 'orders.csv');
    const latin1 = [ORDERS_COLUMNS, ...ORDER_ROWS].map((row) => row.map((value) => value ?? '').join(',')).join('\n');
    writeFileSync(exportPath, Buffer.from(latin1, 'latin1'));
    const config = withoutOptionalOrderFields(configFor(path));
    config.database.orders.source = exportPath;
    const { outDir } = await runScan({ config, outDir: join(dir, 'out') }, { clock });
    expectCertificateValuesAndOrderLocality(outDir, exportPath);
    expect(csv(join(outDir, 'findings.csv')).map((row) => [row.cert_id, row.check])).toContainEqual(['3', 'e_subject_country_order_mismatch']);
  });
});

const available = serversAvailable();
const runServers = mustRunServerTests || (available.postgresql && available.mysql);

describe.runIf(runServers)('bad values on PostgreSQL and MariaDB', () => {
  let servers: TestServer[] = [];
  let sqlitePath = '';

  beforeAll(async () => {
    sqlitePath = badValuesDatabase(tempDir());
    const started = await Promise.allSettled([startPostgres(), startMariadb()]);
    servers = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    for (const server of servers) {
      loadSqliteInto(server, sqlitePath, 'badvalues');
      // Orders in another database whose bytes are not UTF-8: a PostgreSQL SQL_ASCII database, a MariaDB VARBINARY column.
      const postgres = server.engine === 'postgresql';
      if (postgres) server.admin("CREATE DATABASE badorders ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0");
      else server.admin("CREATE DATABASE badorders; GRANT SELECT ON badorders.* TO 'certscan_ro'@'localhost'");
      const columns = ORDERS_COLUMNS.map((name) => `${name} ${name === 'id' ? (postgres ? 'TEXT PRIMARY KEY' : 'VARCHAR(32) PRIMARY KEY') : name === 'locality' && !postgres ? 'VARBINARY(255)' : 'TEXT'}`);
      // Köln as the Latin-1 byte F6: an escape in a SQL_ASCII database, a hex literal into VARBINARY.
      const text = (value: string | null) => {
        if (value === null) return 'NULL';
        const bytes = Buffer.from(value, 'latin1');
        if (!bytes.some((byte) => byte > 0x7f)) return `'${value}'`;
        return postgres ? `E'${[...bytes].map((byte) => (byte > 0x7f ? `\\x${byte.toString(16)}` : String.fromCharCode(byte))).join('')}'` : `X'${bytes.toString('hex')}'`;
      };
      const rows = ORDER_ROWS.map((row) => `(${row.map(text).join(', ')})`);
      server.admin(`CREATE TABLE orders (${columns.join(', ')}); INSERT INTO orders VALUES ${rows.join(', ')}${postgres ? '; GRANT SELECT ON orders TO certscan_ro' : ''}`, 'badorders');
    }
  }, 180_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
  });

  it('each engine: the same input-errors.csv rows, findings and appendix as SQLite', async () => {
    for (const server of servers) {
      const dir = tempDir();
      const { summary, outDir } = await runScan({ config: configFor(sqlitePath), dbPath: server.readOnlyUrl('badvalues'), outDir: join(dir, 'out') }, { clock });
      expect(summary.inputProblems, server.engine).toBe(4);
      expectBadValuesReported(outDir, { certificates: 'certificates', orders: 'orders' });
    }
  });

  it('each engine: orders whose bytes are not UTF-8 (SQL_ASCII, VARBINARY) are an input problem, never a mismatch', async () => {
    for (const server of servers) {
      const dir = tempDir();
      const config = withoutOptionalOrderFields(configFor(sqlitePath));
      config.database.orders.source = server.readOnlyUrl('badorders');
      const { outDir } = await runScan({ config, outDir: join(dir, 'out') }, { clock });
      // The table, never the server's URL (it may hold a password).
      expectCertificateValuesAndOrderLocality(outDir, 'orders');
      expect(readFileSync(join(outDir, 'input-errors.csv'), 'utf8')).not.toContain('ro-secret');
    }
  });
});
