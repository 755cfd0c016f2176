import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config.js';
import { OperationalError } from '../../../src/errors.js';
import { IssuanceDatabase } from '../../../src/sources/issuance_db.js';
import { compareKeys, isIntegerKey, keyKindOfType, toRowKey } from '../../../src/sources/database/row_key.js';
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
  it('pages a unique text key (EJBCA\'s fingerprint) by a keyset walk in its order, and shards it by quantiles', () => {
    const path = join(tempDir(), 'text-keys.sqlite');
    const db = new Database(path);
    db.exec(`CREATE TABLE certs (fingerprint TEXT PRIMARY KEY, order_id TEXT, serial TEXT, der BLOB, issued_at TEXT, revoked_at TEXT, revocation_reason INTEGER);
             CREATE TABLE orders (id TEXT PRIMARY KEY, organization TEXT, country TEXT, state TEXT, locality TEXT, jurisdiction_country TEXT, validation_type TEXT)`);
    // Hex text as EJBCA writes it, one key the empty string (it sorts first: the first page has no lower bound).
    const keys = ['', ...Array.from({ length: 10 }, (_, k) => (k * 0x1f3 + 0x100).toString(16))];
    const insert = db.prepare('INSERT INTO certs (fingerprint) VALUES (?)');
    for (const key of [...keys].reverse()) insert.run(key);
    db.close();
    const config = parseConfig({ database: { certificates: { table: 'certs', columns: { id: 'fingerprint' } } } });
    const source = IssuanceDatabase.open(path, config.database);
    expect(source.keyKind).toBe('text');
    const sorted = [...keys].sort();
    const ranges = [...source.ranges(3)];
    expect(ranges[0]).toEqual({ afterId: null, lastId: sorted[2] });
    const read = ranges.map((range) => source.readRange(range).map((row) => row.ref));
    expect(read.flat()).toEqual(sorted);
    for (const page of read) expect(page.length).toBeLessThanOrEqual(3);
    // Bounds are keys too: after '2f3' through '6d9'.
    expect([...source.ranges(2, sorted[3]!, sorted[7]!)].flatMap((range) => source.readRange(range).map((row) => row.ref))).toEqual(sorted.slice(4, 8));
    // Quantiles: the last key of each of 4 parts of about equal rows (11 rows: 3, 3, 3, 2).
    expect(source.keyQuantiles(4)).toEqual([sorted[2], sorted[5], sorted[8], sorted[10]]);
    expect(source.keyQuantiles(20)).toEqual(sorted);
    expect(source.idBounds()).toBeNull();
    source.close();
  });

  it('refuses a key that is not unique, and takes rowid', () => {
    const path = fingerprintKeyed(false);
    const byN = parseConfig({ database: { certificates: { table: 'certs', columns: { id: 'n' } } } });
    expect(() => IssuanceDatabase.open(path, byN.database)).toThrow(OperationalError);
    expect(() => IssuanceDatabase.open(path, byN.database)).toThrow(/"n" of "certs" is not unique \(no primary key or unique index on it alone\)/);
    const byRowid = parseConfig({ database: { certificates: { table: 'certs', columns: { id: 'rowid' } } } });
    IssuanceDatabase.open(path, byRowid.database).close();
  });

  it('reads integers and integer text (BIGINT from a server client) as integer keys', () => {
    expect([1, 10n, '42', '-7'].map(isIntegerKey)).toEqual([true, true, true, true]);
    expect(['4d66df', 1.5, '', null].map(isIntegerKey)).toEqual([false, false, false, false]);
  });
});

describe('key kinds and order', () => {
  it('takes the integer types of SQLite, PostgreSQL and MariaDB as integer keys, anything else as text', () => {
    for (const type of ['INTEGER', 'int', 'INT(11)', 'bigint', 'BIGINT UNSIGNED', 'smallint', 'TINYINT', 'mediumint', 'UNSIGNED BIG INT', '  integer']) expect(keyKindOfType(type), type).toBe('integer');
    for (const type of ['TEXT', 'VARCHAR(250)', 'character varying', 'INTERVAL', 'POINT', 'bytea', 'integers', 'x int']) expect(keyKindOfType(type), type).toBe('text');
    expect(keyKindOfType(null)).toBeNull();
    expect(keyKindOfType(undefined)).toBeNull();
    expect(keyKindOfType('')).toBeNull();
  });

  it('reads integer text of up to 15 digits as an integer key, nothing else', () => {
    expect(['0', '-7', '123456789012345'].map(isIntegerKey)).toEqual([true, true, true]);
    expect(['1234567890123456', 'a12', '12a', ' 12', '', '1.5'].map(isIntegerKey)).toEqual([false, false, false, false, false, false]);
    expect([12, 2 ** 53, 1.5, 12n, null, [12], true].map(isIntegerKey)).toEqual([true, false, false, true, false, false, false]);
  });

  it('carries a key as its kind pages it, and compares numbers as numbers and text as text', () => {
    expect(toRowKey('42', 'integer')).toBe(42);
    expect(toRowKey(42, 'text')).toBe('42');
    expect(toRowKey(new Uint8Array([0x61, 0xe9]), 'text')).toBe('a\u00e9');
    expect([10, 9, 100].sort(compareKeys)).toEqual([9, 10, 100]);
    expect(['b', 'a10', 'a9', 'a10'].sort(compareKeys)).toEqual(['a10', 'a10', 'a9', 'b']);
    expect(compareKeys('a', 'a')).toBe(0);
    expect(compareKeys(10, '9')).toBeLessThan(0);
    expect(compareKeys('9', 10)).toBeGreaterThan(0);
  });
});
