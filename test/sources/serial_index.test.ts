import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { IssuanceDatabase } from '../../src/sources/issuance_db.js';
import { SerialIndex, serialHash } from '../../src/sources/serial_index.js';
import { tempDir } from '../helpers.js';

/** Two different serials with one 32-bit hash (found by search: about 2^16 tries). */
function collidingSerials(): [string, string] {
  const seen = new Map<number, string>();
  for (let n = 1; ; n++) {
    const serial = (0x10000000 + n).toString(16);
    const other = seen.get(serialHash(serial));
    if (other !== undefined) return [other, serial];
    seen.set(serialHash(serial), serial);
  }
}

describe('SerialIndex', () => {
  it('finds every id of a serial, also after growing past its expected size', () => {
    const index = SerialIndex.build(10, (add) => {
      for (let id = 1; id <= 5000; id++) add(id, (id % 2500).toString(16));
    });
    expect(index.size).toBe(5000);
    const ids: number[] = [];
    index.candidates((7).toString(16), ids);
    expect(ids.sort((a, b) => a - b)).toEqual([7, 2507]);
    const none: number[] = [];
    index.candidates('deadbeefdeadbeef', none);
    expect(none.every((id) => (id % 2500).toString(16) !== 'deadbeefdeadbeef')).toBe(true);
  });

  it('works from the shared buffers, as a worker sees them', () => {
    const built = SerialIndex.build(100, (add) => add(42, 'abc'));
    const attached = SerialIndex.attach(structuredClone(built.toShared()));
    const ids: number[] = [];
    attached.candidates('abc', ids);
    expect(ids).toEqual([42]);
  });

  it('joins only rows whose serial is equal, not merely of equal hash', () => {
    const [stored, lookalike] = collidingSerials();
    expect(serialHash(stored)).toBe(serialHash(lookalike));
    const path = join(tempDir(), 'collide.sqlite');
    const db = new Database(path);
    db.exec(`CREATE TABLE orders (id TEXT PRIMARY KEY, organization TEXT, country TEXT, state TEXT, locality TEXT, jurisdiction_country TEXT, validation_type TEXT NOT NULL);
             CREATE TABLE certificates (id INTEGER PRIMARY KEY, order_id TEXT, serial TEXT, der BLOB, issued_at TEXT, revoked_at TEXT, revocation_reason INTEGER)`);
    db.prepare('INSERT INTO certificates (id, order_id, serial, der) VALUES (?, ?, ?, ?)').run(1, null, `00${stored.toUpperCase()}`, Buffer.alloc(0));
    db.prepare('INSERT INTO certificates (id, order_id, serial, der) VALUES (?, ?, ?, ?)').run(2, null, stored, Buffer.alloc(0));
    db.close();
    const source = IssuanceDatabase.open(path, parseConfig({}).database);
    source.attachSerialIndex([source.buildSerialIndex({ afterId: 0, lastId: 1 }), source.buildSerialIndex({ afterId: 1, lastId: 2 })]);
    expect(source.lookupSerials([lookalike]).size).toBe(0);
    // A serial stored twice (with a leading zero and in upper case, too): the lowest id.
    expect(source.lookupSerials([stored, lookalike]).get(stored)).toMatchObject({ ref: 1, orderId: null, order: null });
    source.close();
  });
});
