import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isServerUrl, parseDatabaseLocation, redactUrl } from '../../../src/sources/database/location.js';
import { tempDir } from '../../helpers.js';

const none = { environment: {}, passwordFile: null };

describe('--db locations', () => {
  it('reads the libpq socket form, which is not a WHATWG URL, and shows it without the password', () => {
    expect(parseDatabaseLocation('postgresql://certscan_ro:s3cret@/certscan?host=/tmp/pgsock', none)).toMatchObject({
      engine: 'postgresql',
      host: null,
      socket: '/tmp/pgsock',
      user: 'certscan_ro',
      password: 's3cret',
      database: 'certscan',
      display: 'postgresql://certscan_ro@/certscan?host=/tmp/pgsock',
    });
  });

  it('reads mysql:// and mariadb:// with a socket, a host and port, and TLS options', () => {
    expect(parseDatabaseLocation('mariadb://ro@localhost/issuance?socket=/run/mysqld/mysqld.sock', none)).toMatchObject({ engine: 'mysql', socket: '/run/mysqld/mysqld.sock', host: null });
    expect(parseDatabaseLocation('mysql://ro:p%40ss@db.example:3307/issuance?ssl-mode=VERIFY_IDENTITY&ssl-ca=/ca.pem', none)).toMatchObject({
      host: 'db.example',
      port: 3307,
      password: 'p@ss',
      tls: { mode: 'verify-full', caFile: '/ca.pem' },
      display: 'mysql://ro@db.example:3307/issuance?ssl-mode=VERIFY_IDENTITY&ssl-ca=/ca.pem',
    });
    // MySQL's own spellings of the modes, as its client takes them, beside libpq's.
    const modeOf = (url: string) => {
      const location = parseDatabaseLocation(url, none);
      return location.engine === 'sqlite' ? undefined : location.tls.mode;
    };
    expect(modeOf('mysql://ro@db.example/issuance?ssl-mode=REQUIRED')).toBe('require');
    expect(modeOf('mysql://ro@db.example/issuance?ssl-mode=VERIFY_CA')).toBe('verify-full');
    expect(modeOf('mysql://ro@db.example/issuance?ssl-mode=require')).toBe('require');
    expect(modeOf('mysql://ro@db.example/issuance?ssl-mode=DISABLED')).toBe('disable');
  });

  it('takes the password from the URL, else PGPASSWORD / MYSQL_PWD, else database.passwordFile', () => {
    const file = join(tempDir(), 'password');
    writeFileSync(file, 'from-file\n');
    const passwordOf = (url: string, sources: Parameters<typeof parseDatabaseLocation>[1]) => {
      const location = parseDatabaseLocation(url, sources);
      return location.engine === 'sqlite' ? undefined : location.password;
    };
    expect(passwordOf('postgres://ro@h/db', { environment: { PGPASSWORD: 'from-env' }, passwordFile: file })).toBe('from-env');
    expect(passwordOf('mysql://ro@h/db', { environment: { MYSQL_PWD: 'from-env' }, passwordFile: file })).toBe('from-env');
    expect(passwordOf('mysql://ro@h/db', { environment: { PGPASSWORD: 'not-mine' }, passwordFile: file })).toBe('from-file');
    expect(passwordOf('postgres://ro:in-url@h/db', { environment: { PGPASSWORD: 'from-env' }, passwordFile: null })).toBe('in-url');
  });

  it('keeps a SQLite path a path, and never prints a password, even from a URL it cannot read', () => {
    expect(parseDatabaseLocation('demo/issuance.sqlite', none)).toEqual({ engine: 'sqlite', path: 'demo/issuance.sqlite', display: 'demo/issuance.sqlite' });
    expect(isServerUrl('file:///x.sqlite')).toBe(false);
    expect(redactUrl('postgresql://u:hunter2@h/db?password=hunter3')).toBe('postgresql://u:***@h/db?password=***');
    expect(() => parseDatabaseLocation('mysql://u:hunter2@h', none)).toThrow(/names no database: mysql:\/\/u@h$/);
  });
});
