// TLS to PostgreSQL and to MariaDB, against real servers started with a throwaway openssl
// certificate, whose TCP logins must use TLS: `sslmode=require` (`ssl-mode=REQUIRED`) reads what
// the SQLite scan reads; `verify-full` (`VERIFY_IDENTITY`) reads with the CA file and refuses the
// certificate without it; a plain connection is refused.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/clock.js';
import { writeDemoDatabase } from '../../../src/demo/demo_db.js';
import { runScan } from '../../../src/scan.js';
import { SCAN_TIME, configFor, runCli, stderrLines, tempDir } from '../../helpers.js';
import { READ_ONLY_PASSWORD, READ_ONLY_USER, loadSqliteInto, mustRunServerTests, serversAvailable, startMariadb, startPostgres, type TestServer } from '../servers.js';

const clock = fixedClock(SCAN_TIME);

const reportBytes = (outDir: string) => ({
  findings: readFileSync(join(outDir, 'findings.csv'), 'utf8'),
  appendix: readFileSync(join(outDir, 'ccadb-appendix.csv'), 'utf8'),
});

/** What differs between the engines here: how a URL asks for TLS, and how a plain login is refused. */
interface TlsEngine {
  name: string;
  kind: TestServer['engine'];
  /** Outside CI a machine without the server skips its tests; in CI (CI=true) they must run, and fail. */
  run: boolean;
  start: () => Promise<TestServer>;
  /** Lets the SELECT-only user in over TCP, where the server needs it. */
  allowTcp: (server: TestServer) => void;
  passwordVariable: 'PGPASSWORD' | 'MYSQL_PWD';
  require: string;
  verify: (caFile: string | null) => string;
  plainRefused: RegExp;
}

const ENGINES: TlsEngine[] = [
  {
    name: 'PostgreSQL',
    kind: 'postgresql',
    run: mustRunServerTests || serversAvailable().postgresql,
    start: () => startPostgres({ tls: true }),
    allowTcp: () => undefined,
    passwordVariable: 'PGPASSWORD',
    require: '?sslmode=require',
    verify: (caFile) => `?sslmode=verify-full${caFile ? `&sslrootcert=${caFile}` : ''}`,
    plainRefused: /(no encryption|pg_hba)/,
  },
  {
    name: 'MariaDB',
    kind: 'mysql',
    run: mustRunServerTests || serversAvailable().mysql,
    start: () => startMariadb({ tls: true }),
    // The same user as seen over TCP from 127.0.0.1 (the server resolves no names).
    allowTcp: (server) => server.admin(`CREATE USER '${READ_ONLY_USER}'@'127.0.0.1' IDENTIFIED BY '${READ_ONLY_PASSWORD}'; GRANT SELECT ON certscan.* TO '${READ_ONLY_USER}'@'127.0.0.1'`),
    passwordVariable: 'MYSQL_PWD',
    require: '?ssl-mode=REQUIRED',
    verify: (caFile) => `?ssl-mode=VERIFY_IDENTITY${caFile ? `&ssl-ca=${caFile}` : ''}`,
    // MariaDB refuses a plain login under require_secure_transport as "Access denied" (MySQL names
    // the insecure transport); the same user and password read over TLS in these tests.
    plainRefused: /(insecure transport|Access denied)/,
  },
];

for (const engine of ENGINES) {
  describe.runIf(engine.run)(`${engine.name} over TLS`, () => {
    let server: TestServer;
    let sqlitePath = '';
    /** The server's TCP address with TLS parameters; the password comes from the environment. */
    let tcpUrl = (_parameters: string) => '';

    beforeAll(async () => {
      sqlitePath = join(tempDir(), 'issuance.sqlite');
      writeDemoDatabase(sqlitePath, { count: 200, clock });
      server = await engine.start();
      loadSqliteInto(server, sqlitePath, 'certscan');
      engine.allowTcp(server);
      const port = server.tls!.port;
      tcpUrl = (parameters) => `${engine.kind}://${READ_ONLY_USER}@127.0.0.1:${port}/certscan${parameters}`;
    });

    afterAll(async () => {
      await server?.stop();
    });

    it(`${engine.require.slice(1)} reads over TLS and reports byte for byte what the SQLite scan reports`, async () => {
      const config = configFor(sqlitePath, { workers: 2 });
      const sqlite = await runScan({ config, outDir: join(tempDir(), 'sqlite') }, { clock });
      const overTls = await runScan({ config, dbPath: tcpUrl(engine.require).replace('@', `:${READ_ONLY_PASSWORD}@`), outDir: join(tempDir(), 'tls') }, { clock });
      expect(overTls.summary.certificatesScanned).toBe(200);
      expect(sqlite.summary.findings).toBeGreaterThan(0);
      expect(reportBytes(overTls.outDir)).toEqual(reportBytes(sqlite.outDir));
      expect(overTls.summary.source).toMatchObject({ kind: engine.kind, server: { host: `127.0.0.1:${server.tls!.port}`, database: 'certscan' } });
    });

    it('verifying the certificate reads with the CA file; without it, or without TLS, exit 2 and one line', () => {
      const dir = tempDir();
      writeFileSync(join(dir, 'scan.config.json'), JSON.stringify({ output: { baseDir: join(dir, 'reports') }, workers: 1 }));
      const certscan = (url: string, name: string) => runCli(['scan', '--db', url, '--out', join(dir, name)], { cwd: dir, env: { CERTSCAN_NOW: SCAN_TIME, [engine.passwordVariable]: READ_ONLY_PASSWORD } });
      const cannotOpen = (reason: RegExp) => new RegExp(`^certscan: error: cannot open ${engine.kind} database .*${reason.source}`);

      const verified = certscan(tcpUrl(engine.verify(server.tls!.caFile)), 'verified');
      expect(verified.code, verified.stderr).toBe(1);
      expect(verified.stdout).toContain('200');

      const unverified = certscan(tcpUrl(engine.verify(null)), 'unverified');
      expect(unverified.code).toBe(2);
      expect(stderrLines(unverified.stderr)).toEqual([expect.stringMatching(cannotOpen(/self-signed certificate/))]);

      const plain = certscan(tcpUrl(''), 'plain');
      expect(plain.code).toBe(2);
      expect(stderrLines(plain.stderr)).toEqual([expect.stringMatching(cannotOpen(engine.plainRefused))]);
      for (const result of [verified, unverified, plain]) expect(`${result.stdout}${result.stderr}`).not.toContain(READ_ONLY_PASSWORD);
    });
  });
}
