// Throwaway PostgreSQL and MariaDB servers for the tests: a temp directory each, Unix sockets only,
// started as child processes (so they are stopped by their own pid) and removed afterwards.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, closeSync, existsSync, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** A server the tests can reach: an admin login for setup and a SELECT-only one for certscan. */
export interface TestServer {
  engine: 'postgresql' | 'mysql';
  dir: string;
  /** certscan's URL for the SELECT-only user (its password included). */
  readOnlyUrl: (database: string) => string;
  /** Runs setup SQL as the administrator. */
  admin: (sql: string, database?: string) => void;
  /** Runs a file of SQL as the administrator (a corpus too large for one string). */
  adminFile: (path: string, database: string) => void;
  /** certscan's URL for a user that may also write (to show that certscan's transaction cannot). */
  writerUrl: (database: string) => string;
  stop: () => Promise<void>;
  /** A server started with `tls`: its TCP port on 127.0.0.1 (TLS only) and the CA file that verifies its certificate. */
  tls?: { port: number; caFile: string };
}

export const READ_ONLY_USER = 'certscan_ro';
export const READ_ONLY_PASSWORD = 'ro-secret-4711';
/** The PostgreSQL superuser's password (MariaDB's root logs in through the socket). */
export const POSTGRES_ADMIN_PASSWORD = 'admin-secret';

/** Debian keeps the server binaries per major version: the newest installed first. */
const POSTGRES_BIN = [
  ...(existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a)).map((version) => `/usr/lib/postgresql/${version}/bin`) : []),
  '/usr/local/bin',
  '/usr/bin',
];

function findBinary(name: string, dirs: string[]): string | null {
  for (const dir of dirs) if (existsSync(join(dir, name))) return join(dir, name);
  const which = spawnSync('which', [name], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() : null;
}

/** Whether the binaries are here; outside CI a missing server skips its tests, in CI it fails them. */
export function serversAvailable(): { postgresql: boolean; mysql: boolean } {
  return {
    postgresql: findBinary('initdb', POSTGRES_BIN) !== null && findBinary('postgres', POSTGRES_BIN) !== null,
    mysql: findBinary('mariadbd', ['/usr/sbin', '/usr/bin']) !== null,
  };
}

export const mustRunServerTests = process.env.CI === 'true';

function run(command: string, args: string[], options: { uid?: number; gid?: number; input?: string } = {}): string {
  const result = spawnSync(command, args, { encoding: 'utf8', input: options.input, uid: options.uid, gid: options.gid, timeout: 60_000 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr || result.stdout || result.error?.message}`);
  return result.stdout;
}

function osUser(name: string): { uid: number; gid: number } {
  return { uid: Number(run('id', ['-u', name]).trim()), gid: Number(run('id', ['-g', name]).trim()) };
}

async function waitFor(ready: () => boolean, what: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!ready()) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}: ${log()}`);
    if (Date.now() > deadline) throw new Error(`${what} did not start in 30 s: ${log()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(child.pid, signal);
  const timeout = setTimeout(() => child.pid !== undefined && child.exitCode === null && process.kill(child.pid, 'SIGKILL'), 15_000);
  await exited;
  clearTimeout(timeout);
}

function collect(child: ChildProcess): () => string {
  let text = '';
  const add = (chunk: Buffer) => {
    text = (text + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', add);
  child.stderr?.on('data', add);
  return () => text;
}

/** Starts every server or none: one that started is stopped again when another cannot start. */
export async function startAll(starters: Array<() => Promise<TestServer>>): Promise<TestServer[]> {
  const settled = await Promise.allSettled(starters.map((start) => start()));
  const started = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failure = settled.find((result) => result.status === 'rejected');
  if (failure) {
    await Promise.all(started.map((server) => server.stop()));
    throw (failure as PromiseRejectedResult).reason;
  }
  return started;
}

/** A TCP port free on 127.0.0.1 now (the OS picks it). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

/**
 * A throwaway self-signed certificate for 127.0.0.1 and localhost, made with openssl, and its key
 * (PostgreSQL wants the key owned by its user and unreadable by others). The certificate is also
 * the CA file that verifies it.
 */
function throwawayCertificate(dir: string, owner: { uid: number; gid: number }): { certFile: string; keyFile: string } {
  const certFile = join(dir, 'server.crt');
  const keyFile = join(dir, 'server.key');
  run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', keyFile, '-out', certFile]);
  for (const file of [certFile, keyFile]) chownSync(file, owner.uid, owner.gid);
  chmodSync(keyFile, 0o600);
  return { certFile, keyFile };
}

/**
 * PostgreSQL refuses to run as root: it runs as the `postgres` OS user in a directory that user
 * owns. Password logins (scram) so that a wrong password is refused; the superuser's is ADMIN.
 * With `tls`, it also listens on 127.0.0.1 with a throwaway certificate, and TCP logins must use
 * TLS (hostssl only); the Unix socket stays for setup.
 */
export async function startPostgres(options: { tls?: boolean } = {}): Promise<TestServer> {
  const initdb = findBinary('initdb', POSTGRES_BIN);
  const postgres = findBinary('postgres', POSTGRES_BIN);
  const psql = findBinary('psql', POSTGRES_BIN);
  if (!initdb || !postgres || !psql) throw new Error('PostgreSQL binaries (initdb, postgres, psql) not found');
  const user = osUser('postgres');
  const dir = mkdtempSync('/tmp/certscan-pg-');
  chownSync(dir, user.uid, user.gid);
  const adminPassword = POSTGRES_ADMIN_PASSWORD;
  const pwfile = join(dir, 'pwfile');
  writeFileSync(pwfile, adminPassword);
  chownSync(pwfile, user.uid, user.gid);
  const data = join(dir, 'data');
  run(initdb, ['-D', data, '-U', 'postgres', '--auth-local=scram-sha-256', '--auth-host=scram-sha-256', `--pwfile=${pwfile}`, '--no-sync', '-E', 'UTF8', '--locale=C'], user);
  let tls: TestServer['tls'];
  let listen = ['-c', 'listen_addresses='];
  if (options.tls) {
    const { certFile, keyFile } = throwawayCertificate(dir, user);
    const port = await freePort();
    tls = { port, caFile: certFile };
    listen = ['-c', 'listen_addresses=127.0.0.1', '-c', `port=${port}`, '-c', 'ssl=on', '-c', `ssl_cert_file=${certFile}`, '-c', `ssl_key_file=${keyFile}`];
    // TCP logins only over TLS: a client that does not ask for it is refused.
    const hba = join(data, 'pg_hba.conf');
    writeFileSync(hba, 'local all all scram-sha-256\nhostssl all all 127.0.0.1/32 scram-sha-256\n');
    chownSync(hba, user.uid, user.gid);
  }
  const port = tls?.port ?? 5432;
  const child = spawn(postgres, ['-D', data, '-k', dir, ...listen, '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'], {
    uid: user.uid,
    gid: user.gid,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = collect(child);
  const adminWith = (database: string, input: { sql: string } | { file: string }) => {
    const result = spawnSync(psql, ['-h', dir, '-p', String(port), '-U', 'postgres', '-d', database, '-v', 'ON_ERROR_STOP=1', '-q', ...('file' in input ? ['-f', input.file] : [])], {
      encoding: 'utf8',
      input: 'sql' in input ? input.sql : undefined,
      env: { ...process.env, PGPASSWORD: adminPassword },
      maxBuffer: 64 << 20,
    });
    if (result.status !== 0) throw new Error(`psql: ${result.stderr}`);
  };
  const admin = (sql: string, database = 'postgres') => adminWith(database, { sql });
  try {
    await waitFor(() => existsSync(join(dir, `.s.PGSQL.${port}`)), 'postgres', child, log);
    // The socket appears before the server accepts logins: retry the first query briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        admin('SELECT 1');
        break;
      } catch (error) {
        if (attempt > 100) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    admin(`CREATE ROLE ${READ_ONLY_USER} LOGIN PASSWORD '${READ_ONLY_PASSWORD}'`);
  } catch (error) {
    await stopChild(child, 'SIGINT');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    engine: 'postgresql',
    dir,
    readOnlyUrl: (database) => `postgresql://${READ_ONLY_USER}:${READ_ONLY_PASSWORD}@${tls ? `:${port}` : ''}/${database}?host=${dir}`,
    writerUrl: (database) => `postgresql://postgres:${adminPassword}@${tls ? `:${port}` : ''}/${database}?host=${dir}`,
    tls,
    admin,
    adminFile: (file, database) => adminWith(database, { file }),
    stop: async () => {
      // SIGINT: PostgreSQL's fast shutdown (ends open sessions).
      await stopChild(child, 'SIGINT');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * MariaDB as the `mysql` OS user, Unix socket only; root logs in through the socket (unix_socket
 * auth). With `tls`, it also listens on 127.0.0.1 with a throwaway certificate, TLS only.
 */
export async function startMariadb(options: { tls?: boolean } = {}): Promise<TestServer> {
  const mariadbd = findBinary('mariadbd', ['/usr/sbin', '/usr/bin']);
  const installDb = findBinary('mariadb-install-db', ['/usr/bin', '/usr/sbin']);
  const client = findBinary('mariadb', ['/usr/bin']);
  if (!mariadbd || !installDb || !client) throw new Error('MariaDB binaries (mariadbd, mariadb-install-db, mariadb) not found');
  const user = osUser('mysql');
  const dir = mkdtempSync('/tmp/certscan-maria-');
  chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  const socket = join(dir, 'sock');
  run(installDb, ['--no-defaults', `--datadir=${data}`, '--user=mysql', '--auth-root-authentication-method=socket', '--skip-test-db']);
  let tls: TestServer['tls'];
  let listen = ['--skip-networking'];
  if (options.tls) {
    const { certFile, keyFile } = throwawayCertificate(dir, user);
    const port = await freePort();
    tls = { port, caFile: certFile };
    // TCP on 127.0.0.1, TLS only (require_secure_transport refuses plain TCP; the socket stays for setup).
    listen = ['--bind-address=127.0.0.1', `--port=${port}`, `--ssl-cert=${certFile}`, `--ssl-key=${keyFile}`, `--ssl-ca=${certFile}`, '--require-secure-transport=ON', '--skip-name-resolve'];
  }
  const child = spawn(
    mariadbd,
    ['--no-defaults', `--datadir=${data}`, `--socket=${socket}`, ...listen, '--user=mysql', `--pid-file=${join(dir, 'pid')}`, '--innodb-buffer-pool-size=32M', '--innodb-log-file-size=8M', '--skip-log-bin', '--innodb-flush-log-at-trx-commit=0'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const log = collect(child);
  const adminWith = (database: string | undefined, input: { sql: string } | { file: string }) => {
    const stdin = 'file' in input ? openSync(input.file, 'r') : 'pipe';
    try {
      const result = spawnSync(client, ['--no-defaults', `--socket=${socket}`, '-u', 'root', '--default-character-set=utf8mb4', '--max-allowed-packet=256M', ...(database ? [database] : [])], {
        encoding: 'utf8',
        input: 'sql' in input ? input.sql : undefined,
        stdio: [stdin, 'pipe', 'pipe'],
        maxBuffer: 64 << 20,
      });
      if (result.status !== 0) throw new Error(`mariadb: ${result.stderr}`);
    } finally {
      if (typeof stdin === 'number') closeSync(stdin);
    }
  };
  const admin = (sql: string, database?: string) => adminWith(database, { sql });
  try {
    await waitFor(() => existsSync(socket), 'mariadbd', child, log);
    admin(`CREATE USER '${READ_ONLY_USER}'@'localhost' IDENTIFIED BY '${READ_ONLY_PASSWORD}'; CREATE USER 'certscan_rw'@'localhost' IDENTIFIED BY 'rw-secret'; GRANT ALL ON *.* TO 'certscan_rw'@'localhost'`);
  } catch (error) {
    await stopChild(child, 'SIGTERM');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    engine: 'mysql',
    dir,
    readOnlyUrl: (database) => `mysql://${READ_ONLY_USER}:${READ_ONLY_PASSWORD}@localhost/${database}?socket=${socket}`,
    writerUrl: (database) => `mariadb://certscan_rw:rw-secret@localhost/${database}?socket=${socket}`,
    tls,
    admin,
    adminFile: (file, database) => adminWith(database, { file }),
    stop: async () => {
      await stopChild(child, 'SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Copies a SQLite issuance database's tables into a new database on the server, with the types
 * a CA would use there (BIGINT ids, bytea / LONGBLOB for DER, binary collation in MariaDB so that
 * joins compare as SQLite does), and lets the SELECT-only user read them.
 */
export function loadSqliteInto(server: TestServer, sqlitePath: string, database: string, options: { timestampColumns?: string[] } = {}): void {
  const timestamps = new Set(options.timestampColumns ?? []);
  const db = new Database(sqlitePath, { readonly: true });
  const postgres = server.engine === 'postgresql';
  // Written to a file as it is made: a million certificates are more SQL than one string can hold.
  const script = join(server.dir, `load-${database}.sql`);
  const out = openSync(script, 'w');
  const emit = (statement: string) => writeSync(out, `${statement};\n`);
  let tables: string[] = [];
  try {
    if (!postgres) emit("SET sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')");
    tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
    for (const table of tables) {
      const columns = db.prepare('SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid').all(table) as Array<{ name: string; type: string; pk: number }>;
      const typeOf = (column: { name: string; type: string; pk: number }) => {
        const type = column.type.toUpperCase();
        // ISO 8601 text as the server's own time type: TIMESTAMPTZ, or DATETIME(3) kept in UTC.
        if (timestamps.has(column.name)) return postgres ? 'TIMESTAMPTZ' : 'DATETIME(3)';
        if (type.includes('INT')) return 'BIGINT';
        if (type === 'BLOB') return postgres ? 'BYTEA' : 'LONGBLOB';
        // EJBCA's MySQL script keeps certificates and XML in LONGTEXT (TEXT holds 64 KB); its PostgreSQL script, TEXT.
        if (type === 'LONGTEXT') return postgres ? 'TEXT' : 'LONGTEXT';
        return postgres ? 'TEXT' : column.pk ? 'VARCHAR(191)' : 'TEXT';
      };
      const definitions = columns.map((column) => `${column.name} ${typeOf(column)}${column.pk ? ' PRIMARY KEY' : ''}`);
      emit(`CREATE TABLE ${table} (${definitions.join(', ')})${postgres ? '' : ' CHARACTER SET utf8mb4 COLLATE utf8mb4_bin'}`);
      const timeAt = new Set(columns.flatMap((column, index) => (timestamps.has(column.name) ? [index] : [])));
      const literal = (value: unknown, index: number): string => {
        if (value === null || value === undefined) return 'NULL';
        if (timeAt.has(index) && !postgres) return `'${String(value).replace('T', ' ').replace(/Z$/, '')}'`;
        if (typeof value === 'number' || typeof value === 'bigint') return String(value);
        if (Buffer.isBuffer(value)) return postgres ? `'\\x${value.toString('hex')}'::bytea` : `X'${value.toString('hex')}'`;
        return `'${String(value).replace(/'/g, "''")}'`;
      };
      let batch: string[] = [];
      const flush = () => {
        if (batch.length) emit(`INSERT INTO ${table} VALUES ${batch.join(',\n')}`);
        batch = [];
      };
      for (const row of db.prepare(`SELECT * FROM ${table}`).raw(true).iterate() as Iterable<unknown[]>) {
        batch.push(`(${row.map(literal).join(', ')})`);
        if (batch.length === 200) flush();
      }
      flush();
    }
    if (postgres) emit(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${READ_ONLY_USER}`);
  } finally {
    closeSync(out);
    db.close();
  }
  if (postgres) server.admin(`CREATE DATABASE ${database}`);
  else server.admin(`CREATE DATABASE ${database} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin; GRANT SELECT ON ${database}.* TO '${READ_ONLY_USER}'@'localhost'`);
  try {
    server.adminFile(script, database);
  } finally {
    rmSync(script, { force: true });
  }
  // Fresh statistics, as a production database has: the planner then uses the indexes.
  server.admin(postgres ? 'VACUUM ANALYZE' : `ANALYZE TABLE ${tables.join(', ')}`, database);
}
