import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config.js';
import { OperationalError } from '../../../src/errors.js';
import { IssuanceDatabase } from '../../../src/sources/issuance_db.js';
import { isIntegerKey } from '../../../src/sources/database/row_key.js';
import { tempDir } from '../../helpers.js';

/** A certificates table keyed as EJBCA keys CertificateData: a TEXT fingerprint primary key. */
function fingerprintKeyed(withUniqueSerialIndex: boolean): string {
  const path = join(tempDir(), 'keys.sqlite');
  const db = new Database(path);
  db.exec(`CREATE TABLE certs (fingerprint TEXT PRIMARY KEY, n INTEGER, order_id TEXT, serial TEXT, der BLOB, issued_at TEXT, revoked_at TEXT, revocation_reason INTEGER);
           CREATE TABLE orders (id TEXT PRIMARY KEY, organization TEXT, country TEXT, state TEXT, locality TEXT, jurisdiction_country TEXT, validation_type TEXT);
           INSERT INTO certs (fingerprint, n) VALUES ('4d66df0017deb32f669346c51c80600964816c84', 1), ('5e77', 1);
           ${withUniqueSerialIndex ? 'CREATE UNIQUE INDEX certs_n ON certs (n)' : ''}`);
  db.close();
  return path;
}

describe('the certificates key', () => {
  it('refuses a text key with a line saying why, instead of scanning 0 rows', () => {
    const path = fingerprintKeyed(false);
    const config = parseConfig({ database: { certificates: { table: 'certs', columns: { id: 'fingerprint' } } } });
    expect(() => IssuanceDatabase.open(path, config.database)).toThrow(OperationalError);
    expect(() => IssuanceDatabase.open(path, config.database)).toThrow(
      /database.certificates.columns.id: "fingerprint" of "certs" holds text such as "4d66df0017deb32f669346c5…", but scans page by an integer key; on SQLite map it to rowid/,
    );
  });

  it('refuses a key that is not unique, and takes rowid', () => {
    const path = fingerprintKeyed(false);
    const byN = parseConfig({ database: { certificates: { table: 'certs', columns: { id: 'n' } } } });
    expect(() => IssuanceDatabase.open(path, byN.database)).toThrow(/"n" of "certs" is not unique \(no primary key or unique index on it alone\)/);
    const byRowid = parseConfig({ database: { certificates: { table: 'certs', columns: { id: 'rowid' } } } });
    IssuanceDatabase.open(path, byRowid.database).close();
  });

  it('reads integers and integer text (BIGINT from a server client) as integer keys', () => {
    expect([1, 10n, '42', '-7'].map(isIntegerKey)).toEqual([true, true, true, true]);
    expect(['4d66df', 1.5, '', null].map(isIntegerKey)).toEqual([false, false, false, false]);
  });
});
