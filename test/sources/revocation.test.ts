import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { DEFAULT_CONFIG, parseConfig } from '../../src/config.js';
import { writeIssuanceDatabase } from '../../src/demo/demo_db.js';
import { runScan } from '../../src/scan.js';
import { IssuanceDatabase } from '../../src/sources/issuance_db.js';
import { isNotRevokedDate, REVOKED_DATE_UNKNOWN, revocationOf } from '../../src/sources/revocation.js';
import { SCAN_TIME, certificateFor, configFor, order, tempDir } from '../helpers.js';

const clock = fixedClock(SCAN_TIME);

describe('revocation sentinels', () => {
  it('reads NULL, -1, 0 and the zero dates as not revoked', () => {
    for (const value of [null, undefined, '', -1, 0, '-1', '0', 0n, '0001-01-01 00:00:00', '0001-01-01T00:00:00Z', '0000-00-00 00:00:00', new Date('0001-01-01T00:00:00Z')]) {
      expect(isNotRevokedDate(value), String(value)).toBe(true);
    }
    for (const value of [1_782_000_000_000, '1782000000000', '2026-11-20 10:00:00', '2026-11-20T10:00:00Z', new Date('2026-11-20T10:00:00Z')]) {
      expect(isNotRevokedDate(value), String(value)).toBe(false);
    }
  });

  it("drops EJBCA's -1 reason, and lets a mapped status decide", () => {
    const epochMs = { ...DEFAULT_CONFIG.database.certificates, timeEncoding: 'epoch-ms' as const };
    const toIso = (value: unknown) => new Date(Number(value)).toISOString();
    expect(revocationOf(epochMs, { revokedAt: -1, reason: -1, status: null }, toIso)).toEqual({ revokedAt: null, revocationReason: null });
    expect(revocationOf(epochMs, { revokedAt: 1_782_000_000_000, reason: 4, status: null }, toIso)).toEqual({ revokedAt: '2026-06-21T00:00:00.000Z', revocationReason: 4 });
    const withStatus = { ...epochMs, columns: { ...epochMs.columns, status: 'status' }, revokedStatuses: ['40'] };
    expect(revocationOf(withStatus, { revokedAt: 1_782_000_000_000, reason: 4, status: 20 }, toIso)).toEqual({ revokedAt: null, revocationReason: null });
    expect(revocationOf(withStatus, { revokedAt: 1_782_000_000_000, reason: 0, status: 40 }, toIso)).toEqual({ revokedAt: '2026-06-21T00:00:00.000Z', revocationReason: 0 });
    // Revoked by status with no date stored: revoked, and the report says the date is unknown.
    expect(revocationOf(withStatus, { revokedAt: -1, reason: -1, status: 40 }, toIso)).toEqual({ revokedAt: REVOKED_DATE_UNKNOWN, revocationReason: null });
  });
});

/** Three certificates of one order, the second and third issued C=AD (the planted mismatch). */
function threeCertificates(dir: string): string {
  const path = join(dir, 'issuance.sqlite');
  const mm = order('MM-1', { country: 'MM' });
  writeIssuanceDatabase(path, { orders: [mm], certificates: [certificateFor(mm), certificateFor(mm, { country: 'AD' }), certificateFor(mm, { country: 'AD' })] }, { now: new Date(SCAN_TIME) });
  return path;
}

describe('revocation as EJBCA stores it: -1 sentinels and a status column', () => {
  it('reports no revocation for -1, and the revocation where status is 40', async () => {
    const dir = tempDir();
    const path = threeCertificates(dir);
    const db = new Database(path);
    db.exec(`ALTER TABLE certificates ADD COLUMN revocationDate INTEGER; ALTER TABLE certificates ADD COLUMN revocationReason INTEGER; ALTER TABLE certificates ADD COLUMN status INTEGER;
             UPDATE certificates SET revocationDate = -1, revocationReason = -1, status = 20;
             UPDATE certificates SET revocationDate = ${Date.parse('2026-11-20T00:00:00Z')}, revocationReason = 1, status = 40 WHERE id = 3;`);
    db.close();
    const config = configFor(path);
    config.database.certificates.columns = { ...config.database.certificates.columns, revokedAt: 'revocationDate', revocationReason: 'revocationReason', status: 'status' };
    config.database.certificates.revokedStatuses = ['40'];
    config.database.certificates.timeEncoding = 'iso8601';
    // issued_at stays ISO text; revocationDate is epoch ms: map it through a database with one encoding each.
    config.database.certificates.columns.issuedAt = 'issued_at';
    const source = IssuanceDatabase.open(path, { ...config.database, certificates: { ...config.database.certificates, timeEncoding: 'epoch-ms' } });
    try {
      expect(source.readDetails(1)).toMatchObject({ revokedAt: null, revocationReason: null });
      expect(source.readDetails(3)).toMatchObject({ revokedAt: '2026-11-20T00:00:00.000Z', revocationReason: 1 });
    } finally {
      source.close();
    }
  });
});

describe("revocation as Boulder stores it: certificateStatus joined by serial, Go's zero time", () => {
  function boulderLike(dir: string): string {
    const path = threeCertificates(dir);
    const db = new Database(path);
    db.exec(`CREATE TABLE certificateStatus (id INTEGER PRIMARY KEY, serial TEXT NOT NULL UNIQUE, status TEXT NOT NULL, revokedDate TEXT NOT NULL, revokedReason INTEGER NOT NULL);
             INSERT INTO certificateStatus (serial, status, revokedDate, revokedReason) SELECT serial, 'good', '0001-01-01 00:00:00', 0 FROM certificates;
             UPDATE certificateStatus SET status = 'revoked', revokedDate = '2026-11-20 09:30:00', revokedReason = 4 WHERE serial = (SELECT serial FROM certificates WHERE id = 3);
             UPDATE certificates SET revoked_at = NULL, revocation_reason = NULL;`);
    db.close();
    return path;
  }

  const boulderConfig = (path: string) => {
    const config = configFor(path);
    config.database.certificates.columns = { ...config.database.certificates.columns, revokedAt: 'revokedDate', revocationReason: 'revokedReason', status: 'status' };
    config.database.certificates.revokedStatuses = ['revoked'];
    config.database.certificates.revocationTable = { table: 'certificateStatus', serial: 'serial' };
    return config;
  };

  it('reads each row revocation from the joined table, the zero time as not revoked', async () => {
    const dir = tempDir();
    const path = boulderLike(dir);
    const { outDir, summary } = await runScan({ config: boulderConfig(path), outDir: join(dir, 'out') }, { clock });
    const appendix = parse(readFileSync(join(outDir, 'ccadb-appendix.csv')), { columns: true }) as Record<string, string>[];
    // Planned: not revoked (the zero time), so the row gets its revocation deadline instead.
    expect(appendix.map((row) => [row.cert_id, row['Is revoked?'], row['Revocation reason']])).toEqual([
      ['2', 'Planned', ''],
      ['3', 'Yes', 'superseded'],
    ]);
    expect(appendix[1]!['Revocation date']).toBe('2026-11-20 09:30:00');
    expect(summary.revoked).toBe(1);
  });

  it('names a revocation column the joined table lacks, and validates the key', () => {
    const dir = tempDir();
    const path = boulderLike(dir);
    const config = boulderConfig(path);
    config.database.certificates.columns.status = 'state';
    expect(() => IssuanceDatabase.open(path, config.database)).toThrow(/table "certificateStatus" has no column "state" \(database.certificates.columns.status\)/);
    expect(() => parseConfig({ database: { certificates: { revocationTable: { table: 'certificateStatus' } } } })).toThrow(/database\.certificates\.revocationTable\.serial: must be a plain SQL identifier/);
  });
});
