// Shard report sets for the in-process merge tests, written by the built CLI (dist/), which a
// mutation run does not mutate: whatever mutant is active, the shards are what certscan writes.
// They are written once per build of dist/ and kept in the temp folder, because a mutation run
// runs the merge tests again for every merge mutant (docs/mutation-testing.md).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { createDemoCa } from '../../src/demo/certificate_builder.js';
import { tbsOfCertificate, writeGetEntriesPages, type LogEntrySpec } from '../../src/demo/ct_export.js';
import { writeDemoDatabase, writeIssuanceDatabase } from '../../src/demo/demo_db.js';
import { ROOT, SCAN_TIME, certificateFor, order, runCli } from '../helpers.js';

/** Bump when the fixture below changes. */
const FIXTURE_VERSION = 1;
const DISCOVERED = '2026-11-20';
export const DATABASE_SHARDS = 3;

export interface ShardFixture {
  /** The demo database (60 certificates), scanned whole and in DATABASE_SHARDS shards. */
  database: { whole: string; shards: string[] };
  /** RFC 6962 pages whose precertificate / certificate pair is split across 2 shards. */
  ct: { whole: string; shards: string[] };
}

/** Every file of dist/src by path, size and time: a new build is a new fixture. */
function buildFingerprint(): string {
  const hash = createHash('sha256').update(String(FIXTURE_VERSION));
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else hash.update(`${path}\u0000${statSync(path).size}\u0000${statSync(path).mtimeMs}\n`);
    }
  };
  walk(join(ROOT, 'dist', 'src'));
  return hash.digest('hex').slice(0, 16);
}

function scan(args: string[], out: string): string {
  const result = runCli(['scan', ...args, '--out', out, '--workers', '1', '--discovered', DISCOVERED]);
  expect(result.code, result.stderr).toBe(1);
  return out;
}

/**
 * RFC 6962 pages of 3 entries: a certificate twice, then a precertificate (C=AD where MM was
 * vetted) in the first page and its certificate in the second, so shards of 2 split the pair.
 */
export function writeSplitPairLog(dir: string): { db: string; pages: string; issuer: string } {
  const now = new Date(SCAN_TIME);
  const ca = createDemoCa(now);
  const mm = order('MM-1', { country: 'MM' });
  const db = join(dir, 'ct.sqlite');
  const written = writeIssuanceDatabase(db, { orders: [mm], certificates: [certificateFor(mm, { country: 'AD' }), certificateFor(mm)] }, { now, ca, keepIssued: true });
  const chain = [ca.issuing.certificate];
  const entries: LogEntrySpec[] = [
    { timestamp: 1, certificate: written.issued[1]!, chain },
    { timestamp: 2, certificate: written.issued[1]!, chain },
    { timestamp: 3, certificate: written.issuedPrecertificates[0]!, precertificate: { tbsWithoutPoison: tbsOfCertificate(written.issued[0]!), issuerCertificate: ca.issuing.certificate }, chain },
    { timestamp: 4, certificate: written.issued[0]!, chain },
  ];
  const pages = join(dir, 'pages');
  writeGetEntriesPages(pages, entries, 3); // entries 0-2 and 3: the pair is split
  const issuer = join(dir, 'issuer.der');
  writeFileSync(issuer, ca.issuing.certificate);
  return { db, pages, issuer };
}

function write(dir: string): void {
  const clock = fixedClock(SCAN_TIME);
  const db = join(dir, 'demo.sqlite');
  writeDemoDatabase(db, { count: 60, clock });
  scan(['--db', db], join(dir, 'db-whole'));
  for (let index = 0; index < DATABASE_SHARDS; index++) scan(['--db', db, '--shard', `${index}/${DATABASE_SHARDS}`], join(dir, `db-shard-${index}`));

  const { db: ctDb, pages, issuer } = writeSplitPairLog(dir);
  const ct = ['--db', ctDb, '--ct', pages, '--issuer', issuer];
  scan(ct, join(dir, 'ct-whole'));
  for (let index = 0; index < 2; index++) scan([...ct, '--shard', `${index}/2`], join(dir, `ct-shard-${index}`));
}

/** Fixtures of earlier builds, a day old (a younger one may be in use by a test run of another checkout). */
function removeStaleFixtures(): void {
  for (const name of readdirSync(tmpdir())) {
    const path = join(tmpdir(), name);
    if (name.startsWith('certscan-shard-fixture-') && Date.now() - statSync(path).mtimeMs > 86_400_000) rmSync(path, { recursive: true, force: true });
  }
}

export function shardFixture(): ShardFixture {
  const dir = join(tmpdir(), `certscan-shard-fixture-${buildFingerprint()}`);
  if (!existsSync(join(dir, 'complete'))) {
    removeStaleFixtures();
    // Written aside and renamed, so a test process running beside this one never sees half of it.
    const building = `${dir}.${process.pid}`;
    rmSync(building, { recursive: true, force: true });
    mkdirSync(building, { recursive: true });
    write(building);
    writeFileSync(join(building, 'complete'), '');
    try {
      renameSync(building, dir);
    } catch {
      rmSync(building, { recursive: true, force: true }); // another process finished first
    }
  }
  return {
    database: { whole: join(dir, 'db-whole'), shards: Array.from({ length: DATABASE_SHARDS }, (_, index) => join(dir, `db-shard-${index}`)) },
    ct: { whole: join(dir, 'ct-whole'), shards: [0, 1].map((index) => join(dir, `ct-shard-${index}`)) },
  };
}
