// Where the CA's database is: a SQLite file, or a server URL. The password is kept apart from
// everything that is shown (reports, ledger, logs, errors see `display`, which has none).
import { readFileSync } from 'node:fs';
import { OperationalError } from '../../errors.js';
import type { DatabaseKind } from '../types.js';

export type DatabaseEngine = DatabaseKind;

export interface SqliteLocation {
  engine: 'sqlite';
  path: string;
  display: string;
}

export interface ServerLocation {
  engine: 'postgresql' | 'mysql';
  /** Host name, or null with a Unix socket. */
  host: string | null;
  port: number | null;
  /** PostgreSQL: the socket directory; MySQL: the socket file. */
  socket: string | null;
  user: string;
  password: string | null;
  database: string;
  tls: { mode: 'disable' | 'require' | 'verify-full'; caFile: string | null };
  /** The URL without the password, for everything that is shown. */
  display: string;
}

export type DatabaseLocation = SqliteLocation | ServerLocation;

const SCHEMES: Record<string, ServerLocation['engine']> = {
  'postgresql:': 'postgresql',
  'postgres:': 'postgresql',
  'mysql:': 'mysql',
  'mariadb:': 'mysql',
};

/** Whether the text names a server (a URL with a known scheme) rather than a SQLite file. */
export function isServerUrl(text: string): boolean {
  const scheme = /^([a-z][a-z0-9+.-]*:)\/\//i.exec(text)?.[1]?.toLowerCase();
  return scheme !== undefined && scheme in SCHEMES;
}

/** The URL with its password (if any) replaced, safe to print even when it cannot be parsed. */
export function redactUrl(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@?#]*):[^@/?#]*@/i, '$1:***@').replace(/([?&](?:password|sslpassword)=)[^&#]*/gi, '$1***');
}

export interface PasswordSources {
  environment: NodeJS.ProcessEnv;
  passwordFile: string | null;
}

/**
 * Parses `--db` / database.url / database.path. A server password comes from the URL, else the
 * environment (PGPASSWORD, MYSQL_PWD), else database.passwordFile.
 */
export function parseDatabaseLocation(text: string, sources: PasswordSources): DatabaseLocation {
  if (!isServerUrl(text)) return { engine: 'sqlite', path: text, display: text };
  // Not new URL(): the libpq form with an empty host (`user@/db?host=/dir`) is not a WHATWG URL.
  const parts = /^([a-z][a-z0-9+.-]*:)\/\/(?:([^:@/?#]*)(?::([^@/?#]*))?@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d+))?(\/[^?#]*)?(\?[^#]*)?$/i.exec(text);
  if (!parts) throw new OperationalError(`database URL cannot be parsed: ${redactUrl(text)}`);
  const [, scheme, rawUser = '', rawPassword, hostname = '', port, path = '', search = ''] = parts;
  const decode = (value: string) => {
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  };
  const engine = SCHEMES[scheme!.toLowerCase()]!;
  const parameters = new URLSearchParams(search);
  const socket = engine === 'postgresql' ? parameters.get('host') : parameters.get('socket');
  const database = decode(path.replace(/^\//, ''));
  const user = decode(rawUser) || parameters.get('user') || (engine === 'postgresql' ? sources.environment.PGUSER : sources.environment.USER) || '';
  const display = redactUrl(`${scheme}//${rawUser ? `${rawUser}@` : ''}${hostname}${port ? `:${port}` : ''}${path}${search}`);
  if (!database) throw new OperationalError(`database URL names no database: ${display}`);
  if (!user) throw new OperationalError(`database URL names no user: ${display}`);
  const password =
    (rawPassword !== undefined ? decode(rawPassword) : null) ??
    parameters.get('password') ??
    (engine === 'postgresql' ? sources.environment.PGPASSWORD : sources.environment.MYSQL_PWD) ??
    readPasswordFile(sources.passwordFile);
  // libpq's spellings (require, verify-ca, verify-full) and MySQL's (REQUIRED, VERIFY_CA, VERIFY_IDENTITY).
  const sslmode = (parameters.get('sslmode') ?? parameters.get('ssl-mode') ?? 'disable').toLowerCase().replace(/_/g, '-');
  const mode = sslmode === 'require' || sslmode === 'required' ? 'require' : ['verify-full', 'verify-ca', 'verify-identity'].includes(sslmode) ? 'verify-full' : 'disable';
  return {
    engine,
    host: socket ? null : hostname.replace(/^\[|\]$/g, '') || 'localhost',
    port: port ? Number(port) : null,
    socket,
    user,
    password,
    database,
    tls: { mode, caFile: parameters.get('sslrootcert') ?? parameters.get('ssl-ca') },
    display,
  };
}

function readPasswordFile(path: string | null): string | null {
  if (!path) return null;
  try {
    return readFileSync(path, 'utf8').split(/\r?\n/)[0] ?? '';
  } catch (error) {
    throw new OperationalError(`database.passwordFile ${path}: ${(error as NodeJS.ErrnoException).code ?? 'cannot be read'}`);
  }
}
