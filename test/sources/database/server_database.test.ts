// PostgreSQL and MariaDB read by certscan exactly as SQLite: the same corpus in all three engines
// must give byte-identical findings.csv and ccadb-appendix.csv. The servers are real, started here.
import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/clock.js';
import { OperationalError } from '../../../src/errors.js';
import { writeDemoDatabase } from '../../../src/demo/demo_db.js';
import { runScan, REPORT_FILES, type ScanRequest } from '../../../src/scan.js';
import { runNightly } from '../../../src/jobs/nightly.js';
import { openDatabaseSource } from '../../../src/sources/database/database_source.js';
import { parseDatabaseLocation } from '../../../src/sources/database/location.js';
import { postgresDialect } from '../../../src/sources/database/postgres.js';
import { mysqlDialect } from '../../../src/sources/database/mysql.js';
import type { ServerLocation } from '../../../src/sources/database/location.js';
import { ROOT, SCAN_TIME, configFor, tempDir } from '../../helpers.js';
import { POSTGRES_ADMIN_PASSWORD, READ_ONLY_PASSWORD, loadSqliteInto, mustRunServerTests, serversAvailable, startAll, startMariadb, startPostgres, type TestServer } from '../servers.js';

const clock = fixedClock(SCAN_TIME);
const available = serversAvailable();
// Outside CI a machine without the servers skips these; in CI (CI=true) they must run, and fail.
const run = mustRunServerTests || (available.postgresql && available.mysql);

const reportBytes = (outDir: string) => ({
  findings: readFileSync(join(outDir, 'findings.csv'), 'utf8'),
  appendix: readFileSync(join(outDir, 'ccadb-appendix.csv'), 'utf8'),
});

describe.runIf(run)('PostgreSQL and MariaDB issuance databases', () => {
  let servers: TestServer[] = [];
  let sqlitePath = '';
  /** The same rows in each engine: [name, --db]. */
  let engines: Array<[string, string]> = [];
  let issuerFile = '';

  beforeAll(async () => {
    sqlitePath = join(tempDir(), 'issuance.sqlite');
    const demo = writeDemoDatabase(sqlitePath, { count: 600, clock });
    issuerFile = join(tempDir(), 'issuer.der');
    writeFileSync(issuerFile, demo.issuerCertificate);
    servers = await startAll([startPostgres, startMariadb]);
    for (const server of servers) loadSqliteInto(server, sqlitePath, 'certscan');
    engines = [['sqlite', sqlitePath], ...servers.map((server): [string, string] => [server.engine, server.readOnlyUrl('certscan')])];
  });

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
  });

  /** Scans every engine with the same request; returns each one's report directory. */
  async function scanEach(request: Omit<ScanRequest, 'config'>, config = configFor(sqlitePath, { workers: 2 })) {
    const outcomes = [];
    for (const [name, db] of engines) outcomes.push({ name, ...(await runScan({ ...request, config, dbPath: db, outDir: join(tempDir(), name) }, { clock })) });
    return outcomes;
  }

  it('scans the default schema and reports byte for byte what the SQLite scan reports, without the password', async () => {
    const config = configFor(sqlitePath, { workers: 2 });
    const outcomes = await scanEach({}, config);
    const [sqlite, ...others] = outcomes;
    expect(sqlite!.summary.findings).toBeGreaterThan(0);
    expect(sqlite!.summary.certificatesScanned).toBe(600);
    for (const outcome of others) {
      expect(reportBytes(outcome.outDir), outcome.name).toEqual(reportBytes(sqlite!.outDir));
      expect(outcome.summary.source).toMatchObject({ kind: outcome.name, firstId: 1, lastId: 600, server: { database: 'certscan' } });
      expect(outcome.reportedKeys).toEqual(sqlite!.reportedKeys);
      for (const file of REPORT_FILES) expect(readFileSync(join(outcome.outDir, file), 'utf8'), file).not.toContain(READ_ONLY_PASSWORD);
    }
    const ledger = readFileSync(join(config.output.baseDir, 'ledger.jsonl'), 'utf8');
    expect(ledger.trim().split('\n')).toHaveLength(3);
    expect(ledger).not.toContain(READ_ONLY_PASSWORD);
    expect(ledger).toContain('postgresql://certscan_ro@/certscan?host=');
  });

  it('pushes an audit date and country filter into SQL with the same result, and shards add up to the same rows', async () => {
    const filter = { issuedFrom: '2025-01-01T00:00:00Z', issuedTo: '2026-12-01T00:00:00Z', orderCountries: ['US', 'JP', 'ES', 'NL', 'FR', 'CA', 'MM'] };
    const audits = await scanEach({ filter, resumable: true, kind: 'audit' });
    expect(audits[0]!.summary.certificatesScanned).toBeGreaterThan(0);
    expect(audits[0]!.summary.certificatesScanned).toBeLessThan(600);
    for (const audit of audits.slice(1)) {
      expect(audit.summary.certificatesScanned, audit.name).toBe(audits[0]!.summary.certificatesScanned);
      expect(reportBytes(audit.outDir), audit.name).toEqual(reportBytes(audits[0]!.outDir));
    }
    for (const index of [0, 1]) {
      const shards = await scanEach({ shard: { index, count: 2 } });
      for (const shard of shards.slice(1)) expect(reportBytes(shard.outDir), `${shard.name} shard ${index}`).toEqual(reportBytes(shards[0]!.outDir));
    }
    // Nine scans: on a shared machine they need more than the default minute.
  }, 180_000);

  it('resumes an interrupted audit of a server from its checkpoint to the reports of an uninterrupted one', async () => {
    const config = configFor(sqlitePath, { workers: 2 });
    config.output.checkpointIntervalMs = 0; // a checkpoint after every batch, to interrupt after the third
    config.database.pageSize = 50;
    const filter = { issuedFrom: '2020-01-01T00:00:00Z', issuedTo: '2026-12-01T00:00:00Z' };
    const reference = await runScan({ config, filter, resumable: true, kind: 'audit', outDir: join(tempDir(), 'reference') }, { clock });
    for (const server of servers) {
      const outDir = join(tempDir(), server.engine);
      const audit = { config, filter, resumable: true, kind: 'audit' as const, dbPath: server.readOnlyUrl('certscan'), outDir };
      const interrupt = (written: number) => {
        if (written === 3) throw new Error('interrupted');
      };
      await expect(runScan(audit, { clock, afterCheckpoint: interrupt }), server.engine).rejects.toThrow('interrupted');
      expect(existsSync(join(outDir, '.certscan-audit-state.json')), server.engine).toBe(true);
      const resumed = await runScan(audit, { clock });
      expect(resumed.summary.certificatesScanned, server.engine).toBe(reference.summary.certificatesScanned);
      expect(reportBytes(outDir), server.engine).toEqual(reportBytes(reference.outDir));
    }
  });

  it('reads issued_at and revoked_at kept in TIMESTAMPTZ / DATETIME(3) columns as the ISO text SQLite keeps, also in an audit', async () => {
    for (const server of servers) loadSqliteInto(server, sqlitePath, 'certscan_times', { timestampColumns: ['issued_at', 'revoked_at'] });
    const filter = { issuedFrom: '2025-01-01T00:00:00Z', issuedTo: '2026-12-01T00:00:00Z' };
    for (const request of [{}, { filter }]) {
      const config = configFor(sqlitePath, { workers: 2 });
      const reference = await runScan({ ...request, config, outDir: join(tempDir(), 'sqlite') }, { clock });
      for (const server of servers) {
        const scan = await runScan({ ...request, config, dbPath: server.readOnlyUrl('certscan_times'), outDir: join(tempDir(), server.engine) }, { clock });
        expect(scan.summary.certificatesScanned, server.engine).toBe(reference.summary.certificatesScanned);
        expect(reportBytes(scan.outDir), server.engine).toEqual(reportBytes(reference.outDir));
      }
    }
  });

  it('joins certificate files with the rows of a server as with SQLite (--pem: serial index, order store, rows fetched by id)', async () => {
    const files = tempDir();
    const db = new Database(sqlitePath, { readonly: true });
    const rows = db.prepare('SELECT id, der FROM certificates ORDER BY id').raw(true).all() as Array<[number, Buffer]>;
    db.close();
    for (const [id, der] of rows) writeFileSync(join(files, `${String(id).padStart(4, '0')}.der`), der);
    const scans = await scanEach({ pem: files, issuers: [issuerFile] });
    expect(scans[0]!.summary.findings).toBeGreaterThan(0);
    // The demo's truncated row (200 bytes of a certificate) is a file cut short: an input error, not an entry.
    expect(scans[0]!.summary.logEntries).toMatchObject({ read: 599 });
    expect(scans[0]!.summary.inputProblems).toBe(1);
    for (const scan of scans.slice(1)) expect(reportBytes(scan.outDir), scan.name).toEqual(reportBytes(scans[0]!.outDir));
  });

  it('runs nightly from a server with the same reports and checkpoint as from SQLite', async () => {
    const nights = [];
    for (const [name, db] of engines) {
      const config = configFor(sqlitePath, { workers: 2 });
      const dir = tempDir();
      config.nightly = { ...config.nightly, stateFile: join(dir, 'state.json'), lookbackIds: 100, outputDir: join(dir, 'nightly') };
      nights.push({ name, ...(await runNightly(config, { clock }, { dbPath: db })) });
    }
    for (const night of nights.slice(1)) {
      expect(reportBytes(night.outDir), night.name).toEqual(reportBytes(nights[0]!.outDir));
      // The state names its own database (a server by its URL, password masked).
      expect(night.state, night.name).toEqual({ ...nights[0]!.state, lastScanId: night.state.lastScanId, source: night.state.source });
      if (night.name !== 'sqlite') expect(night.state.source).toMatch(/^(postgresql|mysql):\/\/certscan_ro(:\*\*\*)?@/);
    }
    expect(nights[0]!.state.issuedAtWindow).toEqual({ from: '2019-05-02T09:00:00.000Z', to: '2026-11-06T12:00:00.000Z' });
  });

  it('certscan scan --db URL: the password from PGPASSWORD / MYSQL_PWD, exit 1 with findings, exit 2 with one line for a wrong one', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'scan.config.json'), JSON.stringify({ output: { baseDir: join(dir, 'reports') }, workers: 1 }));
    for (const server of servers) {
      const url = server.readOnlyUrl('certscan').replace(`:${READ_ONLY_PASSWORD}@`, '@');
      const variable = server.engine === 'postgresql' ? 'PGPASSWORD' : 'MYSQL_PWD';
      const certscan = (password: string) =>
        spawnSync(process.execPath, [join(ROOT, 'dist', 'src', 'cli.js'), 'scan', '--db', url, '--out', join(dir, `${server.engine}-${password === READ_ONLY_PASSWORD ? 'right' : 'wrong'}`)], {
          cwd: dir,
          encoding: 'utf8',
          env: { ...process.env, CERTSCAN_NOW: SCAN_TIME, [variable]: password },
        });
      const scan = certscan(READ_ONLY_PASSWORD);
      expect(scan.status, `${server.engine}: ${scan.stderr}`).toBe(1);
      expect(`${scan.stdout}${scan.stderr}`).not.toContain(READ_ONLY_PASSWORD);
      const refused = certscan('wrong-one');
      expect(refused.status, server.engine).toBe(2);
      expect(refused.stderr.trim().split('\n'), server.engine).toEqual([expect.stringMatching(/^certscan: .*(password|Access denied)/)]);
      expect(refused.stderr).not.toContain('wrong-one');
    }
    expect(readFileSync(join(dir, 'reports', 'ledger.jsonl'), 'utf8')).not.toContain(READ_ONLY_PASSWORD);
  });

  it('reads inside a read-only transaction: a user who may write cannot write through certscan', async () => {
    for (const server of servers) {
      const location = parseDatabaseLocation(server.writerUrl('certscan'), { environment: {}, passwordFile: null }) as ServerLocation;
      const dialect = server.engine === 'postgresql' ? postgresDialect : mysqlDialect;
      const connection = await dialect.connect(location, { statementTimeoutMs: 10_000 });
      try {
        await expect(connection.query("INSERT INTO orders (id) VALUES ('WRITTEN')"), server.engine).rejects.toThrow(/read[- ]only/i);
      } finally {
        await connection.close();
      }
    }
  });

  it('fails in one line, exit 2, without the password: wrong password, missing table or column, no SELECT, unknown database', async () => {
    const config = configFor(sqlitePath).database;
    for (const server of servers) {
      const url = server.readOnlyUrl('certscan');
      const open = (db: string, database = config) => openDatabaseSource(db, database).then(async (source) => source.close());
      const wrong = url.replace(READ_ONLY_PASSWORD, 'not-the-password');
      const failure = (await open(wrong).catch((error: unknown) => error)) as Error;
      expect(failure, server.engine).toBeInstanceOf(OperationalError);
      expect(failure.message).toMatch(/password|Access denied/i);
      expect(failure.message).not.toContain('not-the-password');
      expect(failure.message).not.toContain('\n');

      const renamed = structuredClone(config);
      renamed.certificates.table = 'certs';
      renamed.orders.columns.locality = 'town';
      await expect(open(url, renamed)).rejects.toThrow(/no table "certs".*database.certificates.table.*no column "town" \(database.orders.columns.locality\)/);

      if (server.engine === 'postgresql') server.admin("CREATE ROLE certscan_none LOGIN PASSWORD 'none'");
      else server.admin("CREATE USER 'certscan_none'@'localhost' IDENTIFIED BY 'none'; GRANT USAGE ON *.* TO 'certscan_none'@'localhost'");
      const noSelect = url.replace(`certscan_ro:${READ_ONLY_PASSWORD}`, 'certscan_none:none');
      // PostgreSQL lets any role connect and hides the tables; MariaDB refuses the database.
      await expect(open(noSelect), server.engine).rejects.toThrow(/may read|denied/);
      await expect(open(url.replace('/certscan', '/nosuchdb')), server.engine).rejects.toThrow(OperationalError);
    }
    const unknownHost = (await openDatabaseSource('postgresql://certscan_ro:pw@no-such-host.invalid/certscan', config).catch((error: unknown) => error)) as Error;
    expect(unknownHost).toBeInstanceOf(OperationalError);
    expect(unknownHost.message).toMatch(/^cannot open postgresql database postgresql:\/\/certscan_ro@no-such-host.invalid\/certscan: /);
  });

  it('cancels a query stuck behind a lock (statement timeout), retries it, then fails with exit 2', async () => {
    const postgres = servers.find((server) => server.engine === 'postgresql')!;
    // Another session holds the table while certscan plans: every read waits until the timeout.
    const locker = spawn('psql', ['-h', postgres.dir, '-U', 'postgres', '-d', 'certscan', '-q'], { env: { ...process.env, PGPASSWORD: POSTGRES_ADMIN_PASSWORD }, stdio: ['pipe', 'ignore', 'ignore'] });
    locker.stdin.write('BEGIN; LOCK TABLE certificates IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(60);\n');
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const config = configFor(sqlitePath);
      config.database.statementTimeoutMs = 1000;
      const started = Date.now();
      const failure = (await runScan({ config, dbPath: postgres.readOnlyUrl('certscan'), outDir: join(tempDir(), 'out') }, { clock }).catch((error: unknown) => error)) as Error;
      expect(failure).toBeInstanceOf(OperationalError);
      expect(failure.message).toMatch(/failed 4 times, giving up: canceling statement due to statement timeout/);
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      locker.kill('SIGTERM');
    }
  });
});

describe.runIf(run)('a server that stops in the middle of a scan', () => {
  it.each([
    ['postgresql', startPostgres],
    ['mysql', startMariadb],
  ] as const)('%s: retries the page, then fails with exit 2 and leaves no report set', async (_engine, start) => {
    const sqlitePath = join(tempDir(), 'issuance.sqlite');
    writeDemoDatabase(sqlitePath, { count: 300, clock });
    const server = await start();
    let stopping: Promise<void> | null = null;
    try {
      loadSqliteInto(server, sqlitePath, 'certscan');
      const config = configFor(sqlitePath);
      config.database.pageSize = 5;
      const outDir = join(tempDir(), 'out');
      const failure = (await runScan(
        { config, dbPath: server.readOnlyUrl('certscan'), outDir },
        { clock, onProgress: () => void (stopping ??= server.stop()) },
      ).catch((error: unknown) => error)) as Error;
      expect(failure).toBeInstanceOf(OperationalError);
      expect(failure.message).toMatch(/failed 4 times/);
      expect(failure.message).not.toContain(READ_ONLY_PASSWORD);
      const left = existsSync(outDir) ? readdirSync(outDir) : [];
      for (const file of REPORT_FILES) expect(left).not.toContain(file);
    } finally {
      await (stopping ?? server.stop());
    }
  });
});
