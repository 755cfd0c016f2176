// `--shard K/N` scans of PostgreSQL and MariaDB, merged, equal one scan of the same rows from
// SQLite: the id intervals of a server's shards add up to the whole table, as they do for SQLite.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { writeDemoDatabase } from '../../src/demo/demo_db.js';
import { mergeShards } from '../../src/jobs/merge.js';
import type { ScanSummary } from '../../src/reports/summary.js';
import { runScan } from '../../src/scan.js';
import { SCAN_TIME, configFor, tempDir } from '../helpers.js';
import { loadSqliteInto, mustRunServerTests, serversAvailable, startAll, startMariadb, startPostgres, type TestServer } from '../sources/servers.js';

const clock = fixedClock(SCAN_TIME);
const available = serversAvailable();
// Outside CI a machine without the servers skips these; in CI (CI=true) they must run, and fail.
const run = mustRunServerTests || (available.postgresql && available.mysql);
const MERGED_FILES = ['findings.csv', 'ccadb-appendix.csv', 'crtsh.txt', 'input-errors.csv'];

/** What a merge must reproduce of a single scan's summary (not its id, time, workers or source). */
const comparable = (summary: ScanSummary) => {
  const { scanId: _id, finishedAt: _finished, workers: _workers, source, ...rest } = summary;
  return { ...rest, firstId: source.firstId, lastId: source.lastId };
};

describe.runIf(run)('merge of shards scanned from PostgreSQL and MariaDB', () => {
  let servers: TestServer[] = [];
  let sqlitePath = '';

  beforeAll(async () => {
    sqlitePath = join(tempDir(), 'issuance.sqlite');
    writeDemoDatabase(sqlitePath, { count: 300, clock });
    servers = await startAll([startPostgres, startMariadb]);
    for (const server of servers) loadSqliteInto(server, sqlitePath, 'certscan');
  });

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
  });

  it('3 shards of each server, merged, equal one SQLite scan byte for byte', async () => {
    const config = configFor(sqlitePath, { workers: 1 });
    config.database.pageSize = 40;
    const single = await runScan({ config, outDir: join(tempDir(), 'single') }, { clock });
    expect(single.summary.findings).toBeGreaterThan(0);
    for (const server of servers) {
      const dir = tempDir();
      const shardDirs: string[] = [];
      // In reverse: the merge orders the shards itself.
      for (let index = 2; index >= 0; index--) {
        const shard = await runScan({ config, dbPath: server.readOnlyUrl('certscan'), outDir: join(dir, `shard-${index}`), shard: { index, count: 3 } }, { clock });
        expect(shard.summary.certificatesScanned, `${server.engine} shard ${index}`).toBeGreaterThan(0);
        shardDirs.push(shard.outDir);
      }
      const merged = await mergeShards(shardDirs, join(dir, 'merged'), { now: new Date(SCAN_TIME), ledgerPath: null });
      for (const file of MERGED_FILES) expect(readFileSync(join(dir, 'merged', file), 'utf8'), `${server.engine} ${file}`).toBe(readFileSync(join(single.outDir, file), 'utf8'));
      expect(comparable(merged), server.engine).toEqual(comparable(single.summary));
      expect(merged.source).toMatchObject({ kind: server.engine, server: { database: 'certscan' } });
    }
  }, 240_000); // seven scans, on a machine that may be shared
});
