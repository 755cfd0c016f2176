import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { parseConfig } from '../../src/config.js';
import { runScan } from '../../src/scan.js';
import { writeIssuanceDatabase } from '../../src/demo/demo_db.js';
import { IssuanceDatabase, type IdRange } from '../../src/sources/issuance_db.js';
import { SCAN_TIME, certificateFor, order, sha256File, tempDir } from '../helpers.js';

const clock = fixedClock(SCAN_TIME);

describe('another CA schema through the column mapping (EJBCA-like)', () => {
  it('base64 certificates, decimal serials, epoch-ms dates, other table and column names', async () => {
    const dir = tempDir();
    const demo = join(dir, 'demo.sqlite');
    const mm = order('MM-7', { country: 'MM', organization: 'Golden Myanmar Ltd' });
    const written = writeIssuanceDatabase(
      demo,
      { orders: [mm], certificates: [certificateFor(mm), certificateFor(mm, { country: 'AD', revokedAt: new Date('2026-11-20T00:00:00Z'), revocationReason: 1 })] },
      { now: new Date(SCAN_TIME), keepIssued: true },
    );
    const path = join(dir, 'ejbca.sqlite');
    const db = new Database(path);
    db.exec(`CREATE TABLE CertificateData (fingerprint TEXT PRIMARY KEY, base64Cert TEXT, serialNumber TEXT, issueDate INTEGER,
               revocationDate INTEGER, revocationReason INTEGER, orderRef TEXT);
             CREATE TABLE Vetting (ref TEXT PRIMARY KEY, legalName TEXT, countryCode TEXT, kind TEXT)`);
    db.prepare('INSERT INTO Vetting VALUES (?, ?, ?, ?)').run('MM-7', 'Golden Myanmar Ltd', 'MM', 'OV');
    const source = new Database(demo, { readonly: true });
    const rows = source.prepare('SELECT id, serial, issued_at, revoked_at, revocation_reason FROM certificates ORDER BY id').all() as Array<{ id: number; serial: string; issued_at: string; revoked_at: string | null; revocation_reason: number | null }>;
    source.close();
    const insert = db.prepare('INSERT INTO CertificateData VALUES (?, ?, ?, ?, ?, ?, ?)');
    rows.forEach((row, index) => {
      const der = written.issued[index]!;
      insert.run(`fp${row.id}`, der.toString('base64'), BigInt(`0x${row.serial}`).toString(10), Date.parse(row.issued_at), row.revoked_at ? Date.parse(row.revoked_at) : null, row.revocation_reason, 'MM-7');
    });
    db.close();
    const before = sha256File(path);

    const config = parseConfig({
      database: {
        path,
        certificates: {
          table: 'CertificateData',
          columns: { id: 'rowid', orderId: 'orderRef', serial: 'serialNumber', der: 'base64Cert', issuedAt: 'issueDate', revokedAt: 'revocationDate', revocationReason: 'revocationReason' },
          derEncoding: 'base64',
          serialEncoding: 'decimal',
          timeEncoding: 'epoch-ms',
        },
        orders: { table: 'Vetting', columns: { id: 'ref', organization: 'legalName', country: 'countryCode', state: null, locality: null, jurisdictionCountry: null, validationType: 'kind' } },
      },
      workers: 2,
      output: { baseDir: join(dir, 'reports') },
    });
    const { summary, outDir } = await runScan({ config, outDir: join(dir, 'out') }, { clock });
    expect(sha256File(path)).toBe(before);
    expect(summary.certificatesScanned).toBe(2);
    const findings = parse(readFileSync(join(outDir, 'findings.csv')), { columns: true }) as Record<string, string>[];
    expect(findings.map((row) => [row.cert_id, row.check, row.subject_country, row.vetted_country])).toEqual([
      ['2', 'e_subject_country_order_mismatch', 'AD', 'MM'],
      // The built-in defaults name AD as a placeholder, as the shipped scan.config.json does.
      ['2', 'w_subject_country_placeholder', 'AD', 'MM'],
    ]);
    const appendix = parse(readFileSync(join(outDir, 'ccadb-appendix.csv')), { columns: true }) as Record<string, string>[];
    expect(appendix[0]).toMatchObject({ 'Is revoked?': 'Yes', 'Revocation date': '2026-11-20T00:00:00Z', 'Revocation reason': 'keyCompromise', 'Serial # (hex)': rows[1]!.serial });
  });

  it('names the missing table and columns against the mapping', () => {
    const dir = tempDir();
    const path = join(dir, 'wrong.sqlite');
    const db = new Database(path);
    db.exec('CREATE TABLE CertificateData (base64Cert TEXT)');
    db.close();
    const config = parseConfig({ database: { certificates: { table: 'CertificateData' } } });
    expect(() => IssuanceDatabase.open(path, config.database)).toThrow(
      /table "CertificateData" has no column "id" \(database.certificates.columns.id\), "order_id" \(database.certificates.columns.orderId\), "serial" .*; no table "orders" \(database.orders.table\)/,
    );
  });
});

describe('the optional vetted order columns (issue #15)', () => {
  const write = (ordersTable: string) => {
    const path = join(tempDir(), 'orders.sqlite');
    const db = new Database(path);
    db.exec(`${ordersTable};
             CREATE TABLE certificates (id INTEGER PRIMARY KEY, order_id TEXT, serial TEXT, der BLOB, issued_at TEXT, revoked_at TEXT, revocation_reason INTEGER)`);
    db.prepare('INSERT INTO certificates (id, order_id, der) VALUES (?, ?, ?)').run(1, 'O-1', Buffer.from([0x30, 0x00]));
    return { path, db };
  };

  it('a table without them keeps working: each is read as not kept (undefined), so its checks do not apply', () => {
    const { path, db } = write(`CREATE TABLE orders (id TEXT PRIMARY KEY, organization TEXT, country TEXT, state TEXT, locality TEXT,
               jurisdiction_country TEXT, validation_type TEXT NOT NULL, postal_code TEXT)`);
    db.prepare('INSERT INTO orders (id, organization, country, validation_type, postal_code) VALUES (?, ?, ?, ?, ?)').run('O-1', 'Acme', 'DE', 'EV', '21532');
    db.close();
    const source = IssuanceDatabase.open(path, parseConfig({}).database);
    const order = source.readRange({ afterId: 0, lastId: 1 })[0]!.order!;
    source.close();
    expect(order).toEqual({ id: 'O-1', organization: 'Acme', country: 'DE', state: null, locality: null, jurisdictionCountry: null, validationType: 'EV', postalCode: '21532' });
    // Not kept is undefined (the record still has every field: one shape for all records), never null.
    expect([order.vettedAt, order.businessCategory, order.registrationNumber, order.organizationIdentifier]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('every one is read when present, through the page reader and the shared order store alike', () => {
    const { path, db } = write(`CREATE TABLE orders (id TEXT PRIMARY KEY, organization TEXT, country TEXT, state TEXT, locality TEXT,
               jurisdiction_country TEXT, validation_type TEXT NOT NULL, business_category TEXT, registration_number TEXT, jurisdiction_state TEXT,
               jurisdiction_locality TEXT, street_address TEXT, postal_code TEXT, organization_identifier TEXT, vetted_at TEXT)`);
    const vetted = {
      id: 'O-1', organization: 'Acme', country: 'DE', state: 'Hessen', locality: 'Frankfurt', jurisdictionCountry: 'DE', validationType: 'EV',
      businessCategory: 'Private Organization', registrationNumber: 'HRB 12345', jurisdictionState: 'Hessen', jurisdictionLocality: 'Frankfurt am Main',
      streetAddress: 'Mainzer Landstraße 1', postalCode: '60329', organizationIdentifier: 'VATDE-123456789', vettedAt: '2026-01-05T00:00:00Z',
    };
    db.prepare(`INSERT INTO orders VALUES (${Object.keys(vetted).map(() => '?').join(', ')})`).run(...Object.values(vetted));
    db.close();
    const source = IssuanceDatabase.open(path, parseConfig({}).database);
    expect(source.readRange({ afterId: 0, lastId: 1 })[0]!.order).toEqual(vetted);
    const store = source.buildOrderStore();
    expect(store.record(store.ordinalOf('O-1'))).toEqual(vetted);
    source.close();
  });

  it('one mapped explicitly to a column the table lacks names its config key, as a required one does', () => {
    const { path, db } = write(`CREATE TABLE orders (id TEXT PRIMARY KEY, organization TEXT, country TEXT, state TEXT, locality TEXT,
               jurisdiction_country TEXT, validation_type TEXT NOT NULL)`);
    db.close();
    expect(() => IssuanceDatabase.open(path, parseConfig({ database: { orders: { columns: { vettedAt: 'verified_on' } } } }).database)).toThrow(
      'table "orders" has no column "verified_on" (database.orders.columns.vettedAt)',
    );
    expect(() => IssuanceDatabase.open(path, parseConfig({ database: { orders: { columns: { state: 'province' } } } }).database)).toThrow(
      'table "orders" has no column "province" (database.orders.columns.state)',
    );
  });
});

describe('reading a page', () => {
  it('gives every row its own DER through the aggregate reader, and falls back to row by row when the bytes do not add up', () => {
    const dir = tempDir();
    const path = join(dir, 'odd.sqlite');
    const db = new Database(path);
    db.exec(`CREATE TABLE orders (id TEXT PRIMARY KEY, organization TEXT, country TEXT, state TEXT, locality TEXT,
               jurisdiction_country TEXT, validation_type TEXT NOT NULL) WITHOUT ROWID;
             CREATE TABLE certificates (id INTEGER PRIMARY KEY, order_id TEXT, serial TEXT, der BLOB, issued_at TEXT, revoked_at TEXT, revocation_reason INTEGER)`);
    db.prepare('INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?)').run('O-1', 'Acme', 'DE', null, null, null, 'OV');
    const insert = db.prepare('INSERT INTO certificates (id, order_id, der) VALUES (?, ?, ?)');
    insert.run(1, 'O-1', Buffer.from([0x30, 0x00, 0x00, 0xff]));
    insert.run(2, null, null);
    insert.run(3, 'O-404', Buffer.alloc(0));
    insert.run(5, 'O-1', Buffer.from([0x01, 0x02, 0x03]));
    insert.run(7, 'O-1', 'ascii text');
    db.close();
    const source = IssuanceDatabase.open(path, parseConfig({}).database);
    const asPlain = (rows: ReturnType<typeof source.readRange>) => rows.map((row) => ({ ...row, der: [...row.der] }));
    expect(asPlain(source.readRange({ afterId: 0, lastId: 7 }))).toEqual([
      { ref: 1, orderId: 'O-1', der: [0x30, 0x00, 0x00, 0xff], order: { id: 'O-1', organization: 'Acme', country: 'DE', state: null, locality: null, jurisdictionCountry: null, validationType: 'OV' } },
      { ref: 2, orderId: null, der: [], order: null },
      { ref: 3, orderId: 'O-404', der: [], order: null },
      { ref: 5, orderId: 'O-1', der: [1, 2, 3], order: expect.objectContaining({ id: 'O-1' }) },
      { ref: 7, orderId: 'O-1', der: [...Buffer.from('ascii text', 'latin1')], order: expect.objectContaining({ id: 'O-1' }) },
    ]);
    expect(source.readRange({ afterId: 7, lastId: 100 })).toEqual([]);
    source.close();

    // Text that is not ASCII has more bytes than characters: the page is read row by row.
    const writable = new Database(path);
    writable.prepare('INSERT INTO certificates (id, order_id, der) VALUES (?, ?, ?)').run(8, 'O-1', 'h\u00e9');
    writable.close();
    const again = IssuanceDatabase.open(path, parseConfig({}).database);
    expect(asPlain(again.readRange({ afterId: 6, lastId: 8 })).map((row) => row.der)).toEqual([[...Buffer.from('ascii text', 'latin1')], [...Buffer.from('h\u00e9', 'latin1')]]);
    again.close();
  });
});

describe('whether a page\'s order fields are readable (no U+FFFD), seen once for the page', () => {
  const write = () => {
    const path = join(tempDir(), 'readable.sqlite');
    const db = new Database(path);
    db.exec(`CREATE TABLE orders (id TEXT PRIMARY KEY, organization TEXT, country TEXT, state TEXT, locality TEXT,
               jurisdiction_country TEXT, validation_type TEXT NOT NULL) WITHOUT ROWID;
             CREATE TABLE certificates (id INTEGER PRIMARY KEY, order_id TEXT, serial TEXT, der BLOB, issued_at TEXT, revoked_at TEXT, revocation_reason INTEGER)`);
    db.prepare('INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?)').run('O-1', 'Acme', 'DE', 'Nordrhein-Westfalen', 'Köln', null, 'OV');
    // Latin-1 bytes stored as TEXT: not UTF-8, read as U+FFFD.
    db.prepare("INSERT INTO orders VALUES ('O-2', 'Acme', 'DE', NULL, CAST(x'4bf66c6e' AS TEXT), NULL, 'OV')").run();
    const insert = db.prepare('INSERT INTO certificates (id, order_id, der) VALUES (?, ?, ?)');
    for (let id = 1; id <= 4; id++) insert.run(id, id === 4 ? 'O-2' : 'O-1', Buffer.from([0x30, 0x00]));
    db.close();
    return path;
  };

  it('readable when no field of the page holds U+FFFD (non-ASCII UTF-8 is fine); not when one does; not read row by row', () => {
    const path = write();
    const source = IssuanceDatabase.open(path, parseConfig({}).database);
    try {
      expect(source.readPage({ afterId: 0, lastId: 3 }).ordersReadable).toBe(true);
      const withBadBytes = source.readPage({ afterId: 0, lastId: 4 });
      expect(withBadBytes.rows[3]!.order!.locality).toContain('\ufffd');
      expect(withBadBytes.ordersReadable).toBe(false);
    } finally {
      source.close();
    }
    // A DER column holding non-ASCII text: the page is read row by row, and nothing is claimed.
    const writable = new Database(path);
    writable.prepare('INSERT INTO certificates (id, order_id, der) VALUES (?, ?, ?)').run(5, 'O-1', 'h\u00e9');
    writable.close();
    const again = IssuanceDatabase.open(path, parseConfig({}).database);
    try {
      const rowByRow = again.readPage({ afterId: 0, lastId: 5 });
      expect(rowByRow.rows).toHaveLength(5);
      expect(rowByRow.ordersReadable).toBe(false);
    } finally {
      again.close();
    }
  });
});

describe('planning id ranges', () => {
  it('covers every row once in ranges of at most pageSize rows, none empty, with gaps and bounds', () => {
    const path = join(tempDir(), 'gaps.sqlite');
    const db = new Database(path);
    db.exec(`CREATE TABLE orders (id TEXT PRIMARY KEY, organization TEXT, country TEXT, state TEXT, locality TEXT, jurisdiction_country TEXT, validation_type TEXT NOT NULL);
             CREATE TABLE certificates (id INTEGER PRIMARY KEY, order_id TEXT, serial TEXT, der BLOB, issued_at TEXT, revoked_at TEXT, revocation_reason INTEGER)`);
    const ids = [-5, 1, 2, 3, 10, 11, 500, 501, 502, 503, 504, 10_000_000_000];
    const insert = db.prepare('INSERT INTO certificates (id) VALUES (?)');
    for (const id of ids) insert.run(id);
    db.close();
    const source = IssuanceDatabase.open(path, parseConfig({}).database);
    const rowsIn = (range: IdRange) => ids.filter((id) => (range.afterId === null || id > Number(range.afterId)) && id <= Number(range.lastId));
    const all = [...source.ranges(3)];
    expect(all.flatMap(rowsIn)).toEqual(ids);
    for (const range of all) expect(rowsIn(range).length).toBeGreaterThan(0);
    for (const range of all) expect(rowsIn(range).length).toBeLessThanOrEqual(3);
    expect([...source.ranges(3, 2, 502)].flatMap(rowsIn)).toEqual([3, 10, 11, 500, 501, 502]);
    expect([...source.ranges(3, 10_000_000_000)]).toEqual([]);
    source.close();
  });
});
