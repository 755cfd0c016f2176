// TLS to PostgreSQL, against a real server started with ssl=on and a throwaway openssl certificate,
// whose TCP logins must use TLS: `sslmode=require` reads what the SQLite scan reads; `verify-full`
// reads with the CA file and refuses the certificate without it; a plain connection is refused.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/clock.js';
import { writeDemoDatabase } from '../../../src/demo/demo_db.js';
import { runScan } from '../../../src/scan.js';
import { SCAN_TIME, configFor, runCli, stderrLines, tempDir } from '../../helpers.js';
import { READ_ONLY_PASSWORD, READ_ONLY_USER, loadSqliteInto, mustRunServerTests, serversAvailable, startPostgres, type TestServer } from '../servers.js';

const clock = fixedClock(SCAN_TIME);
// Outside CI a machine without PostgreSQL skips these; in CI (CI=true) they must run, and fail.
const run = mustRunServerTests || serversAvailable().postgresql;

const reportBytes = (outDir: string) => ({
  findings: readFileSync(join(outDir, 'findings.csv'), 'utf8'),
  appendix: readFileSync(join(outDir, 'ccadb-appendix.csv'), 'utf8'),
});

describe.runIf(run)('PostgreSQL over TLS', () => {
  let server: TestServer;
  let sqlitePath = '';
  /** The server's TCP address with TLS parameters; the password comes from PGPASSWORD. */
  let tcpUrl = (_parameters: string) => '';

  beforeAll(async () => {
    sqlitePath = join(tempDir(), 'issuance.sqlite');
    writeDemoDatabase(sqlitePath, { count: 200, clock });
    server = await startPostgres({ tls: true });
    loadSqliteInto(server, sqlitePath, 'certscan');
    const port = server.tls!.port;
    tcpUrl = (parameters) => `postgresql://${READ_ONLY_USER}@127.0.0.1:${port}/certscan${parameters}`;
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('sslmode=require reads over TLS and reports byte for byte what the SQLite scan reports', async () => {
    const config = configFor(sqlitePath, { workers: 2 });
    const sqlite = await runScan({ config, outDir: join(tempDir(), 'sqlite') }, { clock });
    const overTls = await runScan({ config, dbPath: `${tcpUrl('?sslmode=require').replace('@', `:${READ_ONLY_PASSWORD}@`)}`, outDir: join(tempDir(), 'tls') }, { clock });
    expect(overTls.summary.certificatesScanned).toBe(200);
    expect(sqlite.summary.findings).toBeGreaterThan(0);
    expect(reportBytes(overTls.outDir)).toEqual(reportBytes(sqlite.outDir));
    expect(overTls.summary.source).toMatchObject({ kind: 'postgresql', server: { host: `127.0.0.1:${server.tls!.port}`, database: 'certscan' } });
  });

  it('verify-full reads with the CA file (sslrootcert); without it, or without TLS, exit 2 and one line', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'scan.config.json'), JSON.stringify({ output: { baseDir: join(dir, 'reports') }, workers: 1 }));
    const certscan = (url: string, name: string) => runCli(['scan', '--db', url, '--out', join(dir, name)], { cwd: dir, env: { CERTSCAN_NOW: SCAN_TIME, PGPASSWORD: READ_ONLY_PASSWORD } });

    const verified = certscan(tcpUrl(`?sslmode=verify-full&sslrootcert=${server.tls!.caFile}`), 'verified');
    expect(verified.code, verified.stderr).toBe(1);
    expect(verified.stdout).toContain('200');

    const unverified = certscan(tcpUrl('?sslmode=verify-full'), 'unverified');
    expect(unverified.code).toBe(2);
    expect(stderrLines(unverified.stderr)).toEqual([expect.stringMatching(/^certscan: error: cannot open postgresql database .*self-signed certificate/)]);

    const plain = certscan(tcpUrl(''), 'plain');
    expect(plain.code).toBe(2);
    expect(stderrLines(plain.stderr)).toEqual([expect.stringMatching(/^certscan: error: cannot open postgresql database .*(no encryption|pg_hba)/)]);
    for (const result of [verified, unverified, plain]) expect(`${result.stdout}${result.stderr}`).not.toContain(READ_ONLY_PASSWORD);
  });
});
