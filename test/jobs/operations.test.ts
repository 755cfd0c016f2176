import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { runScan } from '../../src/scan.js';
import { runNightly } from '../../src/jobs/nightly.js';
import { mergeShards } from '../../src/jobs/merge.js';
import { verifyLedger } from '../../src/ledger.js';
import { writeDemoDatabase, writeIssuanceDatabase } from '../../src/demo/demo_db.js';
import { createDemoCa } from '../../src/demo/certificate_builder.js';
import { tbsOfCertificate, writeGetEntriesPages, type LogEntrySpec } from '../../src/demo/ct_export.js';
import { ROOT, SCAN_TIME, certificateFor, configFor, order, tempDir } from '../helpers.js';
import { writeSplitPairLog } from './shard_fixture.js';

const clock = fixedClock(SCAN_TIME);
const CLI = join(ROOT, 'dist', 'src', 'cli.js');
const readCsv = (path: string): Record<string, string>[] => parse(readFileSync(path), { columns: true });

describe('scan ledger', () => {
  it('chains every scan and names an edited, removed or reordered entry and a modified report', async () => {
    const dir = tempDir();
    const db = join(dir, 'db.sqlite');
    writeDemoDatabase(db, { count: 60, clock });
    const config = configFor(db);
    const ledger = join(config.output.baseDir, 'ledger.jsonl');
    const scans = [];
    for (let index = 0; index < 3; index++) scans.push(await runScan({ config, outDir: join(dir, `scan-${index}`) }, { clock }));
    expect(verifyLedger(ledger)).toMatchObject({ entries: 3, problems: [] });
    const lines = readFileSync(ledger, 'utf8').trim().split('\n');
    const entry = JSON.parse(lines[1]!);
    expect(entry).toMatchObject({ sequence: 2, scanId: scans[1]!.summary.scanId, configSha256: scans[1]!.summary.configSha256, kind: 'scan' });
    expect(Object.keys(entry.reports).sort()).toEqual(['affected-by-month.svg', 'ccadb-appendix.csv', 'crtsh.txt', 'findings.csv', 'input-errors.csv', 'report.html', 'summary.json', 'summary.md']);
    expect(entry.source).toMatchObject({ kind: 'sqlite', firstId: 1, lastId: 60 });

    const check = (content: string[]) => {
      writeFileSync(ledger, `${content.join('\n')}\n`);
      return verifyLedger(ledger).problems.map((problem) => `${problem.line}: ${problem.problem}`);
    };
    const edited = JSON.stringify({ ...entry, certificatesScanned: 1 });
    expect(check([lines[0]!, edited, lines[2]!])).toEqual([expect.stringMatching(/^3: .*previousHash does not match line 2/)]);
    expect(check([lines[0]!, lines[2]!])).toEqual([expect.stringMatching(/^2: .*previousHash/), expect.stringMatching(/^2: .*sequence 3 at line 2/)]);
    expect(check([lines[1]!, lines[0]!, lines[2]!])).toEqual([
      expect.stringMatching(/^1: .*previousHash does not match line 0/),
      expect.stringMatching(/^1: .*sequence 2 at line 1/),
      expect.stringMatching(/^2: .*previousHash does not match line 1/),
      expect.stringMatching(/^2: .*sequence 1 at line 2/),
      expect.stringMatching(/^3: .*previousHash does not match line 2/),
    ]);
    writeFileSync(ledger, `${lines.join('\n')}\n`);
    writeFileSync(join(dir, 'scan-0', 'findings.csv'), 'check\n');
    expect(verifyLedger(ledger).problems.map((problem) => problem.problem)).toEqual([expect.stringMatching(/scan-0\/findings.csv was modified$/)]);

    const cli = spawnSync(process.execPath, [CLI, 'ledger', 'verify', '--ledger', ledger], { encoding: 'utf8' });
    expect(cli.status).toBe(1);
    expect(cli.stdout).toContain('findings.csv was modified');
  });
});

describe('certscan nightly', () => {
  it('scans what is new since the checkpoint, re-reads the look-back window, and never reports a finding twice', async () => {
    const dir = tempDir();
    const db = join(dir, 'db.sqlite');
    const mm = order('MM-1', { country: 'MM' });
    const now = new Date(SCAN_TIME);
    const ca = createDemoCa(now);
    writeIssuanceDatabase(db, { orders: [mm], certificates: Array.from({ length: 20 }, (_, index) => certificateFor(mm, index === 5 ? { country: 'AD' } : {})) }, { now, ca });
    const config = configFor(db);
    config.database.pageSize = 7;
    config.nightly = { ...config.nightly, stateFile: join(dir, 'state.json'), lookbackIds: 5, outputDir: join(dir, 'nightly') };

    const first = await runNightly(config, { clock });
    expect(first.summary.findingsByCheck).toEqual({ e_subject_country_order_mismatch: 1 });
    // Id 6 lies below the next window (20 - 5): it will not be read again, so its key is not kept.
    expect(first.state).toMatchObject({ highestId: 20, reported: [] });

    // The CA's database grows: new rows after the checkpoint, and one row with a lower id that
    // arrived late (inside the look-back window).
    const extra = join(dir, 'extra.sqlite');
    const more = writeIssuanceDatabase(extra, { orders: [mm], certificates: [certificateFor(mm, { country: 'GH' }), certificateFor(mm), certificateFor(mm, { country: 'XX' })] }, { now, ca, keepIssued: true, seed: 2 }); // another seed: other serials than db's (the same ones would be e_serial_number_duplicate)
    // Each row records its certificate's own serial (another would be w_serial_number_record_mismatch).
    const extraDb = new Database(extra, { readonly: true });
    const serials = extraDb.prepare('SELECT serial FROM certificates ORDER BY id').pluck().all() as string[];
    extraDb.close();
    const writable = new Database(db);
    writable.prepare('DELETE FROM certificates WHERE id = 18').run();
    const insert = writable.prepare("INSERT INTO certificates VALUES (?, 'MM-1', ?, ?, '2026-10-01T00:00:00.000Z', NULL, NULL)");
    insert.run(18, serials[2], more.issued[2]); // late arrival in the window: C=XX where MM was vetted
    insert.run(21, serials[0], more.issued[0]); // new: C=GH
    insert.run(22, serials[1], more.issued[1]); // new, clean
    writable.close();

    const second = await runNightly(config, { clock });
    // Ids 16..22 read again; the C=AD finding of id 6 is outside the window and not repeated.
    expect(second.summary.source).toMatchObject({ firstId: 16, lastId: 22 });
    expect(readCsv(join(second.outDir, 'findings.csv')).map((row) => `${row.cert_id}:${row.check}`)).toEqual(['18:e_subject_country_order_mismatch', '21:e_subject_country_order_mismatch']);
    const third = await runNightly(config, { clock });
    expect(third.summary.findings).toBe(0);
    expect(third.state.highestId).toBe(22);
    expect(third.state.issuedAtWindow).toEqual({ from: expect.any(String), to: expect.any(String) });
  });

  it('exit codes and one summary line without a terminal; JSON error lines on stderr', () => {
    const dir = tempDir();
    const db = join(dir, 'db.sqlite');
    writeDemoDatabase(db, { count: 30, clock });
    const configPath = join(dir, 'nightly.json');
    writeFileSync(configPath, JSON.stringify({ database: { path: db }, output: { baseDir: join(dir, 'reports') }, nightly: { stateFile: join(dir, 'state.json'), lookbackIds: 0, outputDir: join(dir, 'nightly') } }));
    const run = () => spawnSync(process.execPath, [CLI, 'nightly', '--config', configPath], { encoding: 'utf8' });
    const first = run();
    expect(first.status).toBe(1);
    expect(first.stdout.trim().split('\n')).toHaveLength(1);
    expect(first.stderr).toBe('');
    expect(run().status).toBe(0);
    writeFileSync(configPath, JSON.stringify({ database: { path: join(dir, 'missing.sqlite') }, nightly: { stateFile: join(dir, 'state.json') } }));
    const failed = run();
    expect(failed.status).toBe(2);
    expect(JSON.parse(failed.stderr.trim())).toMatchObject({ level: 'error', message: expect.stringContaining('database not found') });
  });
});

describe('resumable audit', () => {
  it('after kill -9 at any moment, --resume finishes with reports byte-identical to an uninterrupted run', async () => {
    const dir = tempDir();
    const db = join(dir, 'db.sqlite');
    writeDemoDatabase(db, { count: 1500, clock });
    const configPath = join(dir, 'audit.json');
    // A checkpoint after every batch, so that the kills land between many of them.
    writeFileSync(configPath, JSON.stringify({ database: { path: db, pageSize: 4 }, workers: 2, output: { baseDir: join(dir, 'reports'), checkpointIntervalMs: 0 }, checks: { placeholderCountries: ['AD'] } }));
    const args = (out: string, resume = false) => [CLI, 'audit', '--from', '2019-01-01', '--to', '2027-01-01', '--config', configPath, '--out', out, ...(resume ? ['--resume'] : [])];
    const env = { ...process.env, CERTSCAN_NOW: '2026-11-26T12:00:00Z' };

    const reference = spawnSync(process.execPath, args(join(dir, 'reference')), { encoding: 'utf8', env });
    expect(reference.status).toBe(1);

    const out = join(dir, 'interrupted');
    const state = join(out, '.certscan-audit-state.json');
    let kills = 0;
    for (let attempt = 0; attempt < 3; attempt++) {
      const child = spawn(process.execPath, args(out, attempt > 0), { env, stdio: 'ignore' });
      const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)));
      // Kill it hard once it has made progress past a checkpoint (a little later each time).
      const seen = existsSync(state) ? (JSON.parse(readFileSync(state, 'utf8')) as { seqWritten: number }).seqWritten : 0;
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        await new Promise((wait) => setTimeout(wait, 5));
        if (!existsSync(state)) continue;
        try {
          if ((JSON.parse(readFileSync(state, 'utf8')) as { seqWritten: number }).seqWritten > seen + 20 + attempt * 7) break;
        } catch {
          // the checkpoint is being replaced; look again
        }
      }
      child.kill('SIGKILL');
      if ((await exited) === null) kills++;
    }
    expect(kills).toBeGreaterThan(0);
    expect(existsSync(state)).toBe(true);
    const finished = spawnSync(process.execPath, args(out, true), { encoding: 'utf8', env });
    expect(finished.stderr).toBe('');
    expect(finished.status).toBe(1);
    expect(existsSync(state)).toBe(false);

    const files = readdirSync(join(dir, 'reference')).sort();
    expect(readdirSync(out).sort()).toEqual(files);
    for (const file of files) expect(readFileSync(join(out, file)).equals(readFileSync(join(dir, 'reference', file))), file).toBe(true);
    expect(readCsv(join(out, 'findings.csv')).length).toBeGreaterThanOrEqual(5);

    // Without --resume an interrupted audit is not silently overwritten; --country narrows it.
    const narrowed = spawnSync(process.execPath, [...args(join(dir, 'narrow')), '--country', 'LR'], { encoding: 'utf8', env });
    expect(readCsv(join(dir, 'narrow', 'findings.csv')).map((row) => row.vetted_country)).toEqual(['LR', 'LR']);
    expect(narrowed.status).toBe(1);
  }, 120_000);
});

describe('resumable audit interrupted between a report write and its checkpoint', () => {
  it('stopped after a random report write, many times over, --resume still gives the bytes of an uninterrupted audit', async () => {
    const dir = tempDir();
    const db = join(dir, 'db.sqlite');
    // 24 certificates in batches of 3, two of each batch affected: every batch writes findings.csv,
    // ccadb-appendix.csv and crtsh.txt, then checkpoints.
    const lr = order('LR-1', { country: 'LR' });
    const mm = order('MM-1', { country: 'MM' });
    const certificates = Array.from({ length: 24 }, (_, index) =>
      certificateFor(index % 2 ? lr : mm, { country: index % 3 === 0 ? null : index % 2 ? 'GH' : 'AD', commonName: `c${index}.example`, notBefore: new Date(Date.UTC(2026, 9, 1 + index)) }),
    );
    writeIssuanceDatabase(db, { orders: [lr, mm], certificates }, { now: new Date(SCAN_TIME) });
    const config = configFor(db);
    config.database.pageSize = 3;
    config.output.checkpointIntervalMs = 0; // a checkpoint after every batch
    config.checks.placeholderCountries = ['AD'];
    const audit = (out: string) => ({ config, outDir: join(dir, out), resumable: true, kind: 'audit' as const });
    const reference = await runScan(audit('reference'), { clock });
    const referenceFiles = readdirSync(reference.outDir).sort();
    expect(readCsv(join(reference.outDir, 'ccadb-appendix.csv'))).toHaveLength(24);

    // A fixed seed: a failure names the same stops again.
    let seed = 17;
    const random = (below: number) => {
      seed = (seed * 48271) % 2147483647; // Park-Miller: exact in doubles
      return 1 + (seed % below);
    };
    let stops = 0;
    for (const run of ['a', 'b']) {
      const out = `interrupted-${run}`;
      for (let attempt = 0; ; attempt++) {
        expect(attempt).toBeLessThan(100);
        // Stop after the Nth report write of this run: after findings.csv and before the appendix
        // of the same batch, or after a whole batch and before its checkpoint.
        let writesLeft = random(8);
        const stopped = await runScan(audit(out), {
          clock,
          afterReportWrite: () => {
            if (--writesLeft === 0) throw new Error('stopped between a write and its checkpoint');
          },
        }).then(
          () => false,
          (error: Error) => {
            expect(error.message).toBe('stopped between a write and its checkpoint');
            return true;
          },
        );
        if (!stopped) break;
        stops++;
      }
      expect(readdirSync(join(dir, out)).sort()).toEqual(referenceFiles);
      for (const file of referenceFiles) expect(readFileSync(join(dir, out, file)).equals(readFileSync(join(reference.outDir, file))), `${out}/${file}`).toBe(true);
    }
    expect(stops).toBeGreaterThanOrEqual(10);
  }, 120_000);
});

describe('audit checkpoints', () => {
  it('come once per checkpointIntervalMs, not after every batch, and the reports do not depend on them', async () => {
    const dir = tempDir();
    const db = join(dir, 'db.sqlite');
    writeDemoDatabase(db, { count: 300, clock });
    const config = configFor(db);
    config.database.pageSize = 10;
    const checkpointsWith = async (intervalMs: number, out: string) => {
      config.output.checkpointIntervalMs = intervalMs;
      let checkpoints = 0;
      await runScan({ config, outDir: join(dir, out), resumable: true, kind: 'audit' }, { clock, afterCheckpoint: () => checkpoints++ });
      return checkpoints;
    };
    expect(await checkpointsWith(0, 'every')).toBe(30);
    expect(await checkpointsWith(3_600_000, 'hourly')).toBe(0);
    for (const file of ['findings.csv', 'ccadb-appendix.csv', 'crtsh.txt']) {
      expect(readFileSync(join(dir, 'hourly', file), 'utf8'), file).toBe(readFileSync(join(dir, 'every', file), 'utf8'));
    }
  });
});

describe('sharding', () => {
  it('N shard scans of the database, merged, equal one scan', async () => {
    const dir = tempDir();
    const db = join(dir, 'db.sqlite');
    writeDemoDatabase(db, { count: 400, clock });
    const config = configFor(db);
    config.database.pageSize = 9;
    const single = await runScan({ config, outDir: join(dir, 'single') }, { clock });
    const shardDirs: string[] = [];
    for (let index = 3; index >= 0; index--) {
      const shard = await runScan({ config, outDir: join(dir, `shard-${index}`), shard: { index, count: 4 } }, { clock });
      shardDirs.push(shard.outDir);
    }
    const merged = await mergeShards(shardDirs, join(dir, 'merged'), { now: new Date(SCAN_TIME), ledgerPath: null });
    for (const file of ['findings.csv', 'ccadb-appendix.csv', 'crtsh.txt', 'input-errors.csv']) {
      expect(readFileSync(join(dir, 'merged', file), 'utf8'), file).toBe(readFileSync(join(dir, 'single', file), 'utf8'));
    }
    const pick = (summary: typeof merged) => {
      const { scanId: _id, finishedAt: _f, workers: _w, source: _s, ...rest } = summary;
      return { ...rest, firstId: summary.source.firstId, lastId: summary.source.lastId };
    };
    expect(pick(merged)).toEqual(pick(single.summary));
  });

  it('CT pages in shards: a precertificate and its certificate split across shards pair again in the merge', async () => {
    const dir = tempDir();
    const now = new Date(SCAN_TIME);
    const { db, pages, issuer } = writeSplitPairLog(dir);
    const config = configFor(db);
    const single = await runScan({ config, ct: pages, issuers: [issuer], outDir: join(dir, 'single') }, { clock });
    const shards = [];
    for (let index = 0; index < 2; index++) shards.push((await runScan({ config, ct: pages, issuers: [issuer], outDir: join(dir, `s${index}`), shard: { index, count: 2 } }, { clock })).outDir);
    expect(readCsv(join(shards[0]!, 'ccadb-appendix.csv'))).toHaveLength(1);
    const merged = await mergeShards(shards, join(dir, 'merged'), { now, ledgerPath: null });
    expect(readFileSync(join(dir, 'merged', 'ccadb-appendix.csv'), 'utf8')).toBe(readFileSync(join(dir, 'single', 'ccadb-appendix.csv'), 'utf8'));
    expect(readCsv(join(dir, 'merged', 'ccadb-appendix.csv'))[0]).toMatchObject({ leaf_index: '2 3', checks: 'e_subject_country_order_mismatch' });
    expect(merged.affectedCertificates).toBe(single.summary.affectedCertificates);
  });
});

describe('resumable audit over a CT export', () => {
  it('filters by dates and countries, and an interrupted audit resumes to the same reports, pairs included', async () => {
    const dir = tempDir();
    const db = join(dir, 'db.sqlite');
    const now = new Date(SCAN_TIME);
    const ca = createDemoCa(now);
    const mm = order('MM-1', { country: 'MM' });
    const lr = order('LR-1', { country: 'LR' });
    const written = writeIssuanceDatabase(
      db,
      {
        orders: [mm, lr],
        certificates: [
          certificateFor(mm, { country: 'AD', notBefore: new Date('2026-10-01T00:00:00Z') }), // 1: in range, MM
          certificateFor(lr, { country: 'GH', notBefore: new Date('2026-10-02T00:00:00Z') }), // 2: in range, LR
          certificateFor(mm, { country: 'AD', notBefore: new Date('2025-01-01T00:00:00Z') }), // 3: before the range
          certificateFor(mm, { notBefore: new Date('2026-10-03T00:00:00Z') }), // 4: clean
        ],
      },
      { now, ca, keepIssued: true },
    );
    const chain = [ca.issuing.certificate];
    const precert = (index: number): LogEntrySpec => ({
      timestamp: index,
      certificate: written.issuedPrecertificates[index]!,
      precertificate: { tbsWithoutPoison: tbsOfCertificate(written.issued[index]!), issuerCertificate: ca.issuing.certificate },
      chain,
    });
    const final = (index: number): LogEntrySpec => ({ timestamp: 100 + index, certificate: written.issued[index]!, chain });
    const pages = join(dir, 'pages');
    // The precertificate of 1 and its certificate land in different pages: the pair spans a checkpoint.
    writeGetEntriesPages(pages, [precert(0), final(3), precert(1), final(2), final(1), final(0), precert(2)], 2);
    const issuer = join(dir, 'issuer.der');
    writeFileSync(issuer, ca.issuing.certificate);
    const config = configFor(db);
    config.output.checkpointIntervalMs = 0; // a checkpoint after every page, to interrupt after the second
    const audit = (out: string, countries?: string[]) => ({
      config,
      ct: pages,
      issuers: [issuer],
      outDir: join(dir, out),
      resumable: true,
      kind: 'audit' as const,
      filter: { issuedFrom: '2026-09-01T00:00:00.000Z', issuedTo: '2026-11-01T00:00:00.000Z', ...(countries ? { orderCountries: countries } : {}) },
    });

    const reference = await runScan(audit('reference'), { clock });
    const appendix = readCsv(join(reference.outDir, 'ccadb-appendix.csv'));
    expect(appendix.map((row) => [row.cert_id, row.leaf_index, row.checks])).toEqual([
      ['1', '0 5', 'e_subject_country_order_mismatch'],
      ['2', '2 4', 'e_subject_country_order_mismatch'],
    ]);
    expect(reference.summary.logEntries).toEqual({ read: 7, ownIssuers: 5, otherIssuers: 0, issuerFilter: true, otherObjects: 0 });

    const onlyLr = await runScan(audit('lr', ['LR']), { clock });
    expect(readCsv(join(onlyLr.outDir, 'ccadb-appendix.csv')).map((row) => row.cert_id)).toEqual(['2']);

    // Interrupted after the second checkpoint, then resumed.
    await expect(
      runScan(audit('interrupted'), {
        clock,
        afterCheckpoint: (written) => {
          if (written === 2) throw new Error('interrupted');
        },
      }),
    ).rejects.toThrow('interrupted');
    expect(existsSync(join(dir, 'interrupted', '.certscan-audit-state.json'))).toBe(true);
    await runScan(audit('interrupted'), { clock });
    for (const file of readdirSync(reference.outDir)) {
      expect(readFileSync(join(dir, 'interrupted', file), 'utf8'), file).toBe(readFileSync(join(reference.outDir, file), 'utf8'));
    }
  });
});
