import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { IssuanceDatabase } from '../../src/sources/issuance_db.js';
import { OrderStore } from '../../src/sources/order_store.js';
import { NO_ORDER_ID, ORDER_UNRESOLVED, SerialIndex, buildSerialIndexPart, resolveOrderReferences, type SharedSerialIndexPart } from '../../src/sources/serial_index.js';
import { tempDir } from '../helpers.js';

/** A serial as a DER INTEGER's content bytes (hex digits, as a certificate carries them). */
const der = (hex: string) => Buffer.from(hex, 'hex');
const find = (index: SerialIndex, hex: string) => {
  const bytes = der(hex);
  const entry = index.find(bytes, 0, bytes.length);
  return entry === -1 ? null : { id: index.idOf(entry), orderRef: index.orderRefOf(entry) };
};

/** Orders O0 .. O99: order On has ordinal n. */
const ORDERS = OrderStore.build(
  Array.from({ length: 100 }, (_, n) => [`O${n}`, null, null, null, null, null, 'DV']),
  [true, true, true, true, true, true],
  { orders: 100, bytes: 400 },
);

/** A part from rows of (id, serial, order id), its order ids resolved against ORDERS. */
function part(rows: Array<[number, string, string | null]>, expected = rows.length): SharedSerialIndexPart {
  const read = buildSerialIndexPart(expected, (add) => {
    for (const [id, serial, orderId] of rows) add(id, serial, orderId);
  });
  return resolveOrderReferences(read, ORDERS);
}

/** FNV-1a over bytes, as the index hashes serials (the test's own copy, to find collisions). */
function fnv(bytes: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193);
  return hash >>> 0;
}

/**
 * Two different 8-byte serials with one 32-bit hash, found by search (about 2^16 tries). The
 * serials come from a fixed-seed generator: FNV-1a is a bijection on the last four bytes, so
 * serials differing only there never collide.
 */
function collidingSerials(): [string, string] {
  const seen = new Map<number, string>();
  let state = 0x2545f491;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
  for (;;) {
    const serial = `7${next().toString(16).padStart(8, '0').slice(1)}${next().toString(16).padStart(8, '0')}`;
    const hash = fnv(der(serial));
    const other = seen.get(hash);
    if (other !== undefined && other !== serial) return [other, serial];
    seen.set(hash, serial);
  }
}

describe('SerialIndex', () => {
  it('finds serials across parts, by their unsigned value, with the lowest id where a serial repeats', () => {
    const index = SerialIndex.combine([
      part([
        [1, 'abc', 'O7'],
        [2, '80ff', null],
        [5, '0', 'O3'],
      ]),
      part([
        [9, 'abc', 'O8'],
        [10, 'deadbeef', 'NO-SUCH-ORDER'],
      ]),
    ]);
    expect(index.size).toBe(5);
    // DER adds a 00 byte before a first byte >= 0x80, and an odd digit count means a leading 0 nibble.
    expect(find(index, '0abc')).toEqual({ id: 1, orderRef: 7 });
    expect(find(index, '0080ff')).toEqual({ id: 2, orderRef: NO_ORDER_ID });
    expect(find(index, '80ff')).toEqual({ id: 2, orderRef: NO_ORDER_ID });
    expect(find(index, '00')).toEqual({ id: 5, orderRef: 3 });
    expect(find(index, 'deadbeef')).toEqual({ id: 10, orderRef: ORDER_UNRESOLVED });
    expect(find(index, 'deadbe')).toBeNull();
    expect(find(index, 'deadbeef00')).toBeNull();
  });

  it('keeps the lowest id also when the duplicates sit in later parts', () => {
    const index = SerialIndex.combine([part([[50, '1234', 'O0']]), part([[7, '1234', 'O1']]), part([])]);
    expect(find(index, '1234')).toEqual({ id: 7, orderRef: 1 });
  });

  it('leaves out serials that are not hex: they can never equal a certificate serial', () => {
    const index = SerialIndex.combine([part([[1, '12:ab', 'O0'], [2, 'x12ab', 'O0'], [3, '12ab', 'O0']])]);
    expect(index.size).toBe(1);
    expect(find(index, '12ab')).toEqual({ id: 3, orderRef: 0 });
  });

  it('grows past its expected size', () => {
    const rows: Array<[number, string, string | null]> = [];
    for (let id = 1; id <= 5000; id++) rows.push([id, (id * 7919).toString(16), `O${id % 13}`]);
    const index = SerialIndex.combine([part(rows, 10)]);
    expect(index.size).toBe(5000);
    for (const [id, serial] of rows) expect(find(index, serial.length % 2 ? `0${serial}` : serial)).toEqual({ id, orderRef: id % 13 });
  });

  it('works from the shared buffers, as a worker sees them', () => {
    const built = SerialIndex.combine([part([[42, 'abc', 'O4']])]);
    const attached = SerialIndex.attach(structuredClone(built.toShared()));
    expect(find(attached, '0abc')).toEqual({ id: 42, orderRef: 4 });
  });

  it('joins only an equal serial, not merely one of equal hash', () => {
    const [stored, lookalike] = collidingSerials();
    expect(fnv(der(stored))).toBe(fnv(der(lookalike)));
    const index = SerialIndex.combine([part([[1, stored, 'O0']])]);
    expect(find(index, stored)).toEqual({ id: 1, orderRef: 0 });
    expect(find(index, lookalike)).toBeNull();
  });
});

describe('IssuanceDatabase.lookupSerial', () => {
  /**
   * Differential: every row looked up through the serial index and the order store must carry the
   * same order as the page query's SQL join gives it, for odd rows too.
   */
  it('gives every row the order the SQL join gives it', () => {
    const path = join(tempDir(), 'join.sqlite');
    const db = new Database(path);
    db.exec(`CREATE TABLE orders (id TEXT PRIMARY KEY, organization TEXT, country TEXT, state TEXT, locality TEXT, jurisdiction_country TEXT, validation_type TEXT NOT NULL) WITHOUT ROWID;
             CREATE TABLE certificates (id INTEGER PRIMARY KEY, order_id, serial TEXT, der BLOB, issued_at TEXT, revoked_at TEXT, revocation_reason INTEGER)`);
    const addOrder = db.prepare('INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?)');
    addOrder.run('ORD-1', 'Golden Myanmar Ltd', 'MM', 'Yangon', 'Yangon', null, 'OV');
    addOrder.run('ORD-2', 'Société Générale Ünïcode', 'FR', 'Île-de-France', 'Paris', 'FR', 'EV');
    addOrder.run('ORD-3', null, null, null, null, null, 'DV');
    addOrder.run('42', 'Numbered Order Inc', 'US', 'Texas', 'Austin', null, 'OV');
    addOrder.run('ORD-ü', 'Key With Umlaut GmbH', 'DE', 'Bayern', 'München', null, 'OV');
    const addCertificate = db.prepare('INSERT INTO certificates (id, order_id, serial, der) VALUES (?, ?, ?, ?)');
    const rows: Array<[number, unknown, string]> = [
      [1, 'ORD-1', '0a1b2c'],
      [2, 'ORD-2', 'FF00AA'],
      [3, 'ORD-3', '01'],
      [4, null, '02'],
      [5, 'ORD-GONE', '03'], // an order id with no order row
      [6, 42, '04'], // an integer in an untyped column: SQLite does not join it with the TEXT key '42'
      [7, 'ORD-ü', '05'],
      [8, 'ord-1', '06'], // keys compare exactly
      [9, 'ORD-1', '0A1B2C'], // the serial of row 1 again: row 1 wins
    ];
    for (const [id, orderId, serial] of rows) addCertificate.run(id, orderId, serial, Buffer.alloc(0));
    db.close();

    const source = IssuanceDatabase.open(path, parseConfig({}).database);
    const orders = source.buildOrderStore();
    expect(orders.size).toBe(5);
    const parts = [source.buildSerialIndexPart({ afterId: 0, lastId: 4 }), source.buildSerialIndexPart({ afterId: 4, lastId: 9 })];
    source.attachSerialIndex(SerialIndex.combine(parts.map((read) => resolveOrderReferences(read, orders))), orders);
    // The recorded serial is read with page rows only (a row found by serial has that serial).
    const joined = new Map(source.readRange({ afterId: 0, lastId: 9 }).map(({ der: _der, recordedSerial: _serial, ...meta }) => [meta.ref, meta]));
    for (const [id, , serial] of rows) {
      const bytes = der(serial.length % 2 ? `0${serial}` : serial);
      const expected = id === 9 ? joined.get(1) : joined.get(id);
      expect(source.lookupSerial(bytes, 0, bytes.length), `row ${id}`).toEqual(expected);
    }
    expect(joined.get(5)).toMatchObject({ orderId: 'ORD-GONE', order: null });
    expect(joined.get(6)).toMatchObject({ orderId: '42', order: null });
    expect(source.lookupSerial(der('07'), 0, 1)).toBeNull();
    source.close();
  });

  it('joins a table keyed by text (as EJBCA\'s fingerprint) as its SQL join does, and reads rows back by their text key', () => {
    const path = join(tempDir(), 'text-key.sqlite');
    const db = new Database(path);
    db.exec(`CREATE TABLE orders (id TEXT PRIMARY KEY, organization TEXT, country TEXT, state TEXT, locality TEXT, jurisdiction_country TEXT, validation_type TEXT NOT NULL);
             CREATE TABLE certificates (id TEXT PRIMARY KEY, order_id TEXT, serial TEXT, der BLOB, issued_at TEXT, revoked_at TEXT, revocation_reason INTEGER)`);
    db.prepare('INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?)').run('ORD-1', 'Golden Myanmar Ltd', 'MM', null, null, null, 'OV');
    const addCertificate = db.prepare('INSERT INTO certificates (id, order_id, serial, der, issued_at) VALUES (?, ?, ?, ?, ?)');
    const rows: Array<[string, string | null, string]> = [
      ['a1', 'ORD-1', '0a'],
      ['b2-ü', 'ORD-GONE', '0b'], // a multibyte key; an order the store cannot resolve: read back by the key
      ['c3', null, '0c'],
      ['9z', 'ORD-1', '0A'], // the serial of a1 again, under a key that sorts first: it wins
    ];
    rows.forEach(([id, orderId, serial], n) => addCertificate.run(id, orderId, serial, Buffer.alloc(0), `2026-01-0${n + 1}T00:00:00Z`));
    db.close();
    const source = IssuanceDatabase.open(path, parseConfig({}).database);
    expect(source.keyKind).toBe('text');
    const orders = source.buildOrderStore();
    const joined = new Map(source.readRange({ afterId: null, lastId: 'c3' }).map(({ der: _der, recordedSerial: _serial, ...meta }) => [meta.ref, meta]));
    // Two parts (the first without a lower bound), and the whole table by default: the same lookups.
    for (const parts of [[source.buildSerialIndexPart({ afterId: null, lastId: 'a1' }), source.buildSerialIndexPart({ afterId: 'a1', lastId: 'c3' })], [source.buildSerialIndexPart()]]) {
      source.attachSerialIndex(SerialIndex.combine(parts.map((read) => resolveOrderReferences(read, orders))), orders);
      for (const [id, , serial] of rows) expect(source.lookupSerial(der(serial), 0, 1), id).toEqual(joined.get(id === 'a1' ? '9z' : id));
    }
    expect(joined.get('b2-ü')).toMatchObject({ orderId: 'ORD-GONE', order: null });
    expect(joined.get('9z')).toMatchObject({ orderId: 'ORD-1', order: { country: 'MM' } });
    expect(source.readDetails('b2-ü')).toMatchObject({ serial: '0b', issuedAt: '2026-01-02T00:00:00Z' });
    source.close();
  });

  it('leaves a field undefined when the mapping has no column for it, as the SQL join does', () => {
    const path = join(tempDir(), 'unmapped.sqlite');
    const db = new Database(path);
    db.exec(`CREATE TABLE vetting (ref TEXT PRIMARY KEY, legal_name TEXT, cc TEXT);
             CREATE TABLE certificates (id INTEGER PRIMARY KEY, order_id TEXT, serial TEXT, der BLOB, issued_at TEXT, revoked_at TEXT, revocation_reason INTEGER);
             INSERT INTO vetting VALUES ('V1', 'Acme', 'NL');
             INSERT INTO certificates (id, order_id, serial, der) VALUES (1, 'V1', 'abcd', x'')`);
    db.close();
    const config = parseConfig({
      database: { orders: { table: 'vetting', columns: { id: 'ref', organization: 'legal_name', country: 'cc', state: null, locality: null, jurisdictionCountry: null, validationType: null } } },
    }).database;
    const source = IssuanceDatabase.open(path, config);
    const orders = source.buildOrderStore();
    source.attachSerialIndex(SerialIndex.combine([resolveOrderReferences(source.buildSerialIndexPart(), orders)]), orders);
    const [row] = source.readRange({ afterId: 0, lastId: 1 });
    const { der: _der, recordedSerial: _serial, ...meta } = row!;
    expect(source.lookupSerial(der('abcd'), 0, 2)).toEqual(meta);
    expect(meta.order).toEqual({ id: 'V1', organization: 'Acme', country: 'NL', state: undefined, locality: undefined, jurisdictionCountry: undefined, validationType: undefined });
    source.close();
  });
});

describe('IssuanceDatabase.buildOrderStore', () => {
  /** A database with `count` orders (and one certificate per order) whose orders table is `ordersDdl`. */
  function ordersDatabase(ordersDdl: string, count: number, blobAt = -1): string {
    const path = join(tempDir(), 'orders.sqlite');
    const db = new Database(path);
    db.exec(`${ordersDdl};
             CREATE TABLE certificates (id INTEGER PRIMARY KEY, order_id TEXT, serial TEXT, der BLOB, issued_at TEXT, revoked_at TEXT, revocation_reason INTEGER)`);
    const addOrder = db.prepare('INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?)');
    const addCertificate = db.prepare('INSERT INTO certificates (id, order_id, serial, der) VALUES (?, ?, ?, ?)');
    db.transaction(() => {
      for (let n = 0; n < count; n++) {
        const organization = n === blobAt ? Buffer.from('Blob Org') : n % 7 === 0 ? null : `Org ${n} "quoted", ünïcode; \\ done`;
        addOrder.run(`ORD-${n}`, organization, ['NL', 'DE', 'MM'][n % 3], n % 5 === 0 ? null : 'State', `City ${n % 11}`, null, 'OV');
        addCertificate.run(n + 1, `ORD-${n}`, (n + 1).toString(16), Buffer.alloc(0));
      }
    })();
    db.close();
    return path;
  }

  /** Every certificate's order through the store equals the SQL join's. */
  function expectStoreMatchesJoin(path: string, count: number): void {
    const source = IssuanceDatabase.open(path, parseConfig({}).database);
    const orders = source.buildOrderStore();
    expect(orders.size).toBe(count);
    source.attachSerialIndex(SerialIndex.combine([resolveOrderReferences(source.buildSerialIndexPart(), orders)]), orders);
    for (const { der: _der, recordedSerial: _serial, ...meta } of source.readRange({ afterId: 0, lastId: count })) {
      const serial = der(meta.ref.toString(16).padStart(meta.ref.toString(16).length + (meta.ref.toString(16).length % 2), '0'));
      expect(source.lookupSerial(serial, 0, serial.length)).toEqual(meta);
    }
    source.close();
  }

  const ORDERS = 'CREATE TABLE orders (id TEXT PRIMARY KEY, organization, country TEXT, state TEXT, locality TEXT, jurisdiction_country TEXT, validation_type TEXT NOT NULL)';

  it('reads a unique-keyed orders table in pages (more than one) with the values the join gives', () => {
    expectStoreMatchesJoin(ordersDatabase(`${ORDERS} WITHOUT ROWID`, 45_000), 45_000);
  });

  it('reads an orders table without a unique key, and one holding a BLOB, row by row, with the same values', () => {
    expectStoreMatchesJoin(ordersDatabase(ORDERS.replace(' PRIMARY KEY', ''), 300), 300);
    expectStoreMatchesJoin(ordersDatabase(ORDERS, 300, 150), 300);
  });
});

describe('OrderStore', () => {
  const all = [true, true, true, true, true, true];

  it('holds each order as the orders table has it, NULLs as null', () => {
    const store = OrderStore.build(
      [
        ['A', 'Acme', 'NL', 'Noord-Holland', 'Amsterdam', null, 'OV'],
        ['B', 'Bäckerei Müller', 'DE', 'Bayern', 'München', 'DE', 'EV'],
        ['C', null, null, null, null, null, 'DV'],
      ],
      all,
      { orders: 3, bytes: 10 },
    );
    expect(store.size).toBe(3);
    expect(store.record(store.ordinalOf('B'))).toEqual({ id: 'B', organization: 'Bäckerei Müller', country: 'DE', state: 'Bayern', locality: 'München', jurisdictionCountry: 'DE', validationType: 'EV' });
    expect(store.record(store.ordinalOf('C'))).toEqual({ id: 'C', organization: null, country: null, state: null, locality: null, jurisdictionCountry: null, validationType: 'DV' });
    expect(store.ordinalOf('D')).toBe(OrderStore.NOT_FOUND);
    expect(store.ordinalOf('a')).toBe(OrderStore.NOT_FOUND);
  });

  it('sends lookups of a key that occurs twice, and of a NULL key, nowhere (SQLite decides those)', () => {
    const store = OrderStore.build(
      [
        ['X', 'First', 'NL', null, null, null, 'OV'],
        [null, 'No key', 'NL', null, null, null, 'OV'],
        ['X', 'Second', 'BE', null, null, null, 'OV'],
        [7, 'Seven', 'US', null, null, null, 'OV'],
      ],
      all,
      { orders: 1, bytes: 1 },
    );
    expect(store.size).toBe(3);
    expect(store.ordinalOf('X')).toBe(OrderStore.NOT_FOUND);
    expect(store.keyOf(store.ordinalOf(7))).toBe('7');
    expect(store.ordinalOf('7')).toBe(OrderStore.NOT_FOUND);
  });

  it('works from the shared buffers, as a worker sees them, with many orders', () => {
    const rows = Array.from({ length: 3000 }, (_, n) => [`ORD-${n}`, `Org ${n}`, ['NL', 'DE', 'MM'][n % 3], null, `City ${n % 10}`, null, 'OV']);
    const built = OrderStore.build(rows, all, { orders: 3000, bytes: 60_000 });
    const attached = OrderStore.attach(structuredClone(built.toShared()));
    for (const n of [0, 1, 1234, 2999]) {
      expect(attached.record(attached.ordinalOf(`ORD-${n}`))).toEqual({ id: `ORD-${n}`, organization: `Org ${n}`, country: ['NL', 'DE', 'MM'][n % 3], state: null, locality: `City ${n % 10}`, jurisdictionCountry: null, validationType: 'OV' });
    }
  });
});

describe('SerialIndex with a text certificate key (EJBCA\'s fingerprint)', () => {
  /** A part keyed by text, its order ids resolved against ORDERS. */
  function textPart(rows: Array<[string, string, string | null]>, expected = rows.length): SharedSerialIndexPart {
    const read = buildSerialIndexPart(
      expected,
      (add) => {
        for (const [id, serial, orderId] of rows) add(id, serial, orderId);
      },
      'text',
    );
    return resolveOrderReferences(read, ORDERS);
  }
  const sha1 = (n: number) => createHash('sha1').update(String(n)).digest('hex');

  it('gives back each key exactly, multibyte UTF-8 and the empty text included, from the shared buffers', () => {
    const keys = [sha1(1), 'Zertifikat-München-Ü', '証明書-𝒳-42', '', 'x'.repeat(300)];
    const built = SerialIndex.combine([textPart(keys.map((key, n): [string, string, string | null] => [key, (n + 1).toString(16), `O${n}`]), 1)]);
    const attached = SerialIndex.attach(structuredClone(built.toShared()));
    for (const index of [built, attached]) {
      keys.forEach((key, n) => expect(find(index, `0${n + 1}`)).toEqual({ id: key, orderRef: n }));
      expect(find(index, '06')).toBeNull();
    }
  });

  it('an empty part and an empty index find nothing', () => {
    expect(SerialIndex.combine([]).size).toBe(0);
    expect(find(SerialIndex.combine([]), '01')).toBeNull();
    const index = SerialIndex.combine([textPart([]), textPart([[sha1(7), '07', null]])]);
    expect(index.size).toBe(1);
    expect(find(index, '07')).toEqual({ id: sha1(7), orderRef: NO_ORDER_ID });
    expect(find(index, '08')).toBeNull();
  });

  it('finds many entries across parts grown past their expected size, and the first key in text order where a serial repeats', () => {
    const parts: Array<Array<[string, string, string | null]>> = [[], [], []];
    for (let n = 1; n <= 6000; n++) parts[n % 3]!.push([sha1(n), (n * 7919).toString(16), `O${n % 17}`]);
    // The serial of entry 1 again under a key that sorts before and one that sorts after it.
    parts[2]!.push(['0000-first', (7919).toString(16), 'O99'], ['zzzz-last', (7919).toString(16), 'O98']);
    const index = SerialIndex.combine(parts.map((rows) => textPart(rows, 10)));
    expect(index.size).toBe(6002);
    for (let n = 2; n <= 6000; n++) {
      const serial = (n * 7919).toString(16);
      expect(find(index, serial.length % 2 ? `0${serial}` : serial)).toEqual({ id: sha1(n), orderRef: n % 17 });
    }
    expect(find(index, '1eef')).toEqual({ id: '0000-first', orderRef: 99 });
  });
});
