// mergeShards in the test process, on shard report sets the built CLI wrote (shard_fixture.ts):
// the merge equals the scan of the whole source, and only slices 0..N-1 of one split merge.
// test/jobs/merge.test.ts drives the same through `certscan merge`.
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { mergeShards } from '../../src/jobs/merge.js';
import { verifyLedger } from '../../src/ledger.js';
import type { ScanSummary } from '../../src/reports/summary.js';
import { REPORT_FILES } from '../../src/scan.js';
import { OperationalError } from '../../src/errors.js';
import { SCAN_TIME, tempDir } from '../helpers.js';
import { DATABASE_SHARDS, shardFixture, type ShardFixture } from './shard_fixture.js';

const now = new Date(SCAN_TIME);
const summaryOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as ScanSummary;
const readCsv = (path: string): Record<string, string>[] => parse(readFileSync(path), { columns: true });
const CSV_REPORTS = ['findings.csv', 'ccadb-appendix.csv', 'crtsh.txt', 'input-errors.csv'];

/** What a merge must give as the whole scan did: everything but the scan's own identity and times. */
function comparable(summary: ScanSummary) {
  const { scanId: _scanId, startedAt: _startedAt, finishedAt: _finishedAt, workers: _workers, source, ...rest } = summary;
  const { shard: _shard, ...sourceRest } = source;
  return { ...rest, source: sourceRest };
}

/** A shard's report set copied, with its summary.json changed. */
function edited(from: string, change: (summary: ScanSummary) => void): string {
  const copy = join(tempDir(), 'shard');
  cpSync(from, copy, { recursive: true });
  const summary = summaryOf(copy);
  change(summary);
  writeFileSync(join(copy, 'summary.json'), JSON.stringify(summary));
  return copy;
}

let fixture: ShardFixture;
beforeAll(() => {
  fixture = shardFixture();
});

describe('mergeShards equals the scan of the whole source', () => {
  it('database shards, given in any order: the same report files and summary, and a ledger entry naming them', async () => {
    const dir = tempDir();
    const ledger = join(dir, 'ledger.jsonl');
    const shards = [...fixture.database.shards].reverse();
    const merged = await mergeShards(shards, join(dir, 'merged'), { now, ledgerPath: ledger });
    for (const file of CSV_REPORTS) expect(readFileSync(join(dir, 'merged', file), 'utf8'), file).toBe(readFileSync(join(fixture.database.whole, file), 'utf8'));
    const whole = summaryOf(fixture.database.whole);
    expect(comparable(merged)).toEqual(comparable(whole));
    expect(summaryOf(join(dir, 'merged'))).toEqual(merged);
    expect(merged.finishedAt).toBe(now.toISOString());
    expect(merged.startedAt).toBe(fixture.database.shards.map((shard) => summaryOf(shard).startedAt).sort()[0]);
    expect(merged.workers).toBe(DATABASE_SHARDS);
    expect(merged.source.shard).toBeUndefined();
    expect(merged.scanId).toMatch(/^[0-9a-f]{16}$/);
    expect(merged.affectedCertificates).toBeGreaterThan(0);

    const { entries, problems } = verifyLedger(ledger);
    expect({ entries, problems }).toEqual({ entries: 1, problems: [] });
    const entry = JSON.parse(readFileSync(ledger, 'utf8'));
    expect(entry).toMatchObject({ kind: 'merge', scanId: merged.scanId, reportDir: 'merged', certificatesScanned: whole.certificatesScanned, findingsByCheck: whole.findingsByCheck });
    expect(Object.keys(entry.reports).sort()).toEqual([...REPORT_FILES].sort());
    expect(entry.source.mergedFrom).toEqual(fixture.database.shards.map((shard) => ({ dir: resolve(shard), scanId: summaryOf(shard).scanId })));
  });

  it('CT shards: a precertificate and its certificate in two shards are one appendix row again', async () => {
    const dir = tempDir();
    const merged = await mergeShards(fixture.ct.shards, join(dir, 'merged'), { now, ledgerPath: null });
    expect(readCsv(join(fixture.ct.shards[0]!, 'ccadb-appendix.csv'))).toHaveLength(1);
    for (const file of CSV_REPORTS) expect(readFileSync(join(dir, 'merged', file), 'utf8'), file).toBe(readFileSync(join(fixture.ct.whole, file), 'utf8'));
    const [row] = readCsv(join(dir, 'merged', 'ccadb-appendix.csv'));
    expect(row).toMatchObject({ leaf_index: '2 3', checks: 'e_subject_country_order_mismatch w_subject_country_placeholder' });
    expect(row!['Certificate SHA-256 hash']).not.toBe('');
    expect(row!['Precertificate SHA-256 hash']).not.toBe('');
    expect(comparable(merged)).toEqual(comparable(summaryOf(fixture.ct.whole)));
    expect(merged.logEntries).toEqual(summaryOf(fixture.ct.whole).logEntries);
  });
});

describe('mergeShards keeps what the shards say of their scan', () => {
  it('which vetted data was compared (counts summed), the warnings once each, a config file they share', async () => {
    const use = { table: 'CertReqHistoryData', ordersTable: 'UserData', read: 199, unreadable: 1, notRead: null };
    const shards = fixture.database.shards.map((shard, index) => {
      const copy = join(tempDir(), `shard-${index}`);
      cpSync(shard, copy, { recursive: true });
      const summary = summaryOf(copy);
      summary.vettedData = { ...use, affectedFromSnapshot: index + 1, affectedFromOrders: 10 * index };
      summary.warnings = index === 2 ? ['no rows read', 'another'] : ['no rows read'];
      summary.workerRestarts = index;
      writeFileSync(join(copy, 'summary.json'), JSON.stringify(summary));
      return copy;
    });
    const merged = await mergeShards(shards, join(tempDir(), 'merged'), { now, ledgerPath: null });
    expect(merged.vettedData).toEqual({ ...use, affectedFromSnapshot: 6, affectedFromOrders: 30 });
    expect(merged.warnings).toEqual(['no rows read', 'another']);
    expect(merged.workerRestarts).toBe(3);
    expect(merged.configFile).toBe(summaryOf(fixture.database.whole).configFile);
    expect(merged.configFile).toMatch(/scan\.config\.json$/);

    const elsewhere = edited(shards[2]!, (summary) => (summary.configFile = '/other/host/scan.config.json'));
    const apart = await mergeShards([shards[0]!, shards[1]!, elsewhere], join(tempDir(), 'merged'), { now, ledgerPath: null });
    expect(apart.configFile).toBeUndefined();
    expect('configFile' in apart).toBe(false);
    expect(apart.vettedData?.affectedFromSnapshot).toBe(6);
  });

  it('none of them when no shard has them', async () => {
    const merged = await mergeShards(fixture.database.shards, join(tempDir(), 'merged'), { now, ledgerPath: null });
    expect('vettedData' in merged).toBe(false);
    expect('warnings' in merged).toBe(false);
  });
});

describe('mergeShards refuses what is not slices 0..N-1 of one split', () => {
  async function refusal(shards: string[]): Promise<string> {
    const error = await mergeShards(shards, join(tempDir(), 'merged'), { now, ledgerPath: null }).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(OperationalError);
    return (error as Error).message;
  }

  it('no shard at all', async () => {
    expect(await refusal([])).toBe('merge needs at least one shard report directory');
  });

  it('a shard given twice', async () => {
    const [first, second, third] = fixture.database.shards;
    expect(await refusal([first!, second!, third!, first!])).toBe(`merge: ${first} is given twice (also as ${first})`);
  });

  it('two copies of one shard', async () => {
    const [first, second, third] = fixture.database.shards;
    const copy = join(tempDir(), 'copy');
    cpSync(first!, copy, { recursive: true });
    expect(await refusal([first!, copy, second!, third!])).toBe(`merge: ${copy} and ${first} are both shard 0/${DATABASE_SHARDS}`);
  });

  it('a shard missing, then two', async () => {
    const [first, second, third] = fixture.database.shards;
    expect(await refusal([first!, third!])).toBe(`merge: shard 1/3 missing: a merge needs all 3 shards`);
    expect(await refusal([second!])).toBe(`merge: shards 0/3, 2/3 missing: a merge needs all 3 shards`);
  });

  it('shards of different splits', async () => {
    const [first, second, third] = fixture.database.shards;
    const ofFour = edited(third!, (summary) => (summary.source.shard = '2/4'));
    expect(await refusal([first!, second!, ofFour])).toBe(`merge: ${ofFour} is shard 2/4 but ${first} is of a 3-way split`);
  });

  it('shards of another source or filter', async () => {
    const [first, second, third] = fixture.database.shards;
    const elsewhere = edited(third!, (summary) => (summary.source.path = '/elsewhere/issuance.sqlite'));
    expect(await refusal([first!, second!, elsewhere])).toBe(`merge: ${elsewhere} scanned /elsewhere/issuance.sqlite, ${first} scanned ${summaryOf(first!).source.path} (another source or filter)`);
    const filtered = edited(third!, (summary) => (summary.source.filter = { from: '2026-01-01', to: '2026-02-01' } as ScanSummary['source']['filter']));
    expect(await refusal([first!, second!, filtered])).toContain('(another source or filter)');
  });

  it('shards scanned under two configurations', async () => {
    const [first, second, third] = fixture.database.shards;
    const other = edited(third!, (summary) => (summary.configSha256 = '0'.repeat(64)));
    expect(await refusal([first!, second!, other])).toBe(`merge: ${other} and ${first} were scanned with different configurations (configSha256 differs)`);
  });

  it('a scan that is not a shard, and a folder that is not a report set', async () => {
    const whole = fixture.database.whole;
    expect(await refusal([whole])).toBe(`merge: ${whole} is not a shard (scanned without --shard K/N)`);
    const empty = tempDir();
    expect(await refusal([empty])).toBe(`merge: ${empty}: no summary.json (not a finished certscan report set)`);
  });

  it('a merge into a folder that holds a report set', async () => {
    const dir = tempDir();
    await mergeShards(fixture.database.shards, join(dir, 'merged'), { now, ledgerPath: null });
    await expect(mergeShards(fixture.database.shards, join(dir, 'merged'), { now, ledgerPath: null })).rejects.toThrow(/already holds a report set/);
    rmSync(join(dir, 'merged'), { recursive: true });
  });
});
