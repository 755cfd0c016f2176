import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/clock.js';
import { parseConfig } from '../../../src/config.js';
import { writeDemoDatabase } from '../../../src/demo/demo_db.js';
import type { TaskBody } from '../../../src/pool/messages.js';
import { openDatabaseSource } from '../../../src/sources/database/database_source.js';
import { keyPart } from '../../../src/sources/database/key_parts.js';
import { PrecertificatePass, markPrecertificateRows, precertificateDatabase, refusePrecertificateRange } from '../../../src/sources/database/precertificates.js';
import type { RowFilter } from '../../../src/sources/issuance_db.js';
import { SCAN_TIME, tempDir } from '../../helpers.js';

describe('precertificateDatabase', () => {
  it("reads the precertificates table with the certificates' columns, encodings and revocation, but its own names and no DER table", () => {
    const database = parseConfig({
      database: {
        certificates: { table: 'certs', derFallback: { table: 'blobs', join: 'fp', der: 'b64' }, revocationTable: { table: 'status', serial: 'serial' }, timeEncoding: 'sql-datetime' },
        precertificates: { table: 'precerts', columns: { der: 'tbs_der', issuedAt: 'logged_at' } },
      },
    }).database;
    const read = precertificateDatabase(database);
    expect(read.certificates.table).toBe('precerts');
    expect(read.certificates.columns).toEqual({ ...database.certificates.columns, der: 'tbs_der', issuedAt: 'logged_at' });
    expect([read.certificates.derFallback, read.certificates.revocationTable, read.certificates.timeEncoding]).toEqual([null, { table: 'status', serial: 'serial' }, 'sql-datetime']);
    expect([read.precertificates, read.orders]).toEqual([null, database.orders]);
  });

  it('needs a precertificates table', () => {
    expect(() => precertificateDatabase(parseConfig({}).database)).toThrow(/database\.precertificates is null/);
  });
});

describe('refusePrecertificateRange', () => {
  it('refuses id ranges of the certificates alone, and lets a whole scan, a shard, an audit by dates or a nightly run with both bounds run', () => {
    expect(() => refusePrecertificateRange({ range: { afterId: 10 } })).toThrow(/id ranges/);
    expect(() => refusePrecertificateRange({ range: { throughId: 10 } })).toThrow(/id ranges/);
    expect(() => refusePrecertificateRange({ range: { afterId: null, throughId: null } })).not.toThrow();
    expect(() => refusePrecertificateRange({ range: { afterId: 10 } })).toThrow(/set "precertificates": null for those runs \(and scan the precertificates with a config whose certificates\.table names them\)$/);
    // A nightly run bounds each table by its own ids; without the precertificates' bound it is refused.
    expect(() => refusePrecertificateRange({ kind: 'nightly', range: { afterId: 10 } })).toThrow(/id ranges/);
    expect(() => refusePrecertificateRange({ kind: 'nightly' })).toThrow(/id ranges/);
    expect(() => refusePrecertificateRange({ kind: 'nightly', range: { afterId: 10 }, precertificateRange: { afterId: 4 } })).not.toThrow();
    expect(() => refusePrecertificateRange({ kind: 'nightly', range: {}, precertificateRange: { afterId: null } })).not.toThrow();
    // A shard's precertificates are chosen by its certificates (PrecertificatePass.open), not by a range.
    expect(() => refusePrecertificateRange({ shard: { index: 0, count: 2 } })).not.toThrow();
    expect(() => refusePrecertificateRange({ range: {} })).not.toThrow();
    expect(() => refusePrecertificateRange({ kind: 'audit' })).not.toThrow();
  });
});

describe('PrecertificatePass and its tasks, on a SQLite database with a precertificates table', () => {
  const dir = tempDir();
  const path = join(dir, 'issuance.sqlite');
  writeDemoDatabase(path, { count: 20, clock: fixedClock(SCAN_TIME) });
  {
    // The first 12 certificates again as precertificates, in a table of their own with the same ids.
    const db = new Database(path);
    db.exec('CREATE TABLE precerts AS SELECT * FROM certificates WHERE id <= 12; CREATE UNIQUE INDEX precerts_id ON precerts (id)');
    db.close();
  }
  const database = parseConfig({ database: { path, precertificates: { table: 'precerts' } } }).database;
  const certificateTasks = async function* (): AsyncGenerator<TaskBody> {
    yield { kind: 'db-range', afterId: null, lastId: 10 };
    yield { kind: 'db-range', afterId: 10, lastId: 20 };
  };
  const collect = async (tasks: AsyncIterable<TaskBody>): Promise<TaskBody[]> => {
    const all: TaskBody[] = [];
    for await (const task of tasks) all.push(task);
    return all;
  };

  it('is null without a precertificates table, or for a --ct or --pem scan', async () => {
    expect(await PrecertificatePass.open(path, parseConfig({ database: { path } }).database, {})).toBeNull();
    expect(await PrecertificatePass.open(path, database, { ct: 'tiles' })).toBeNull();
    expect(await PrecertificatePass.open(path, database, { pem: 'certs' })).toBeNull();
    await expect(PrecertificatePass.open(path, database, { range: { throughId: 5 } })).rejects.toThrow(/id ranges/);
  });

  it("plans the certificates' tasks, then the precertificates table's ranges; a nightly run from its own bound; a resumed audit from where it was", async () => {
    // The precertificates table's own ranges, as its source plans them (key windows of 5).
    const own = async (afterId: number | null) => {
      const source = await openDatabaseSource(path, precertificateDatabase(database));
      try {
        return (await collect((async function* () {
          for await (const range of source.ranges(5, afterId)) yield { kind: 'db-range' as const, ...range, precertificates: true as const };
        })()));
      } finally {
        await source.close();
      }
    };
    const all = await own(null);
    expect(all.length).toBeGreaterThan(1);
    expect(all[0]).toEqual({ kind: 'db-range', afterId: null, lastId: 5, precertificates: true });
    const certificates = await collect(certificateTasks());
    const pass = (await PrecertificatePass.open(path, database, {}))!;
    try {
      expect(pass.filter).toBeUndefined();
      expect(await collect(pass.tasks(certificateTasks(), 5, null))).toEqual([...certificates, ...all]);
      // Resumed in the certificates table: all of it again (the ledger skips what was written), and every precertificate.
      expect(await collect(pass.tasks(certificateTasks(), 5, { afterId: 15, inPrecertificates: false }))).toEqual([...certificates, ...all]);
      // Resumed in the precertificates table: none of the certificates', the precertificates after the key.
      const after7 = await own(7);
      expect(after7[0]).toMatchObject({ afterId: 7 });
      expect(await collect(pass.tasks(certificateTasks(), 5, { afterId: 7, inPrecertificates: true }))).toEqual(after7);
    } finally {
      await pass.close();
    }
    const nightly = (await PrecertificatePass.open(path, database, { kind: 'nightly', range: { afterId: 15 }, precertificateRange: { afterId: 8 } }))!;
    try {
      const after8 = await own(8);
      expect(after8[0]).toMatchObject({ afterId: 8 });
      expect(await collect(nightly.tasks(certificateTasks(), 5, null))).toEqual([...certificates, ...after8]);
      // A resumed nightly run in the precertificates table continues from the resume key, not its bound.
      expect(await collect(nightly.tasks(certificateTasks(), 5, { afterId: 10, inPrecertificates: true }))).toEqual(await own(10));
    } finally {
      await nightly.close();
    }
  });

  it('counts what was read of the precertificates: rows, first and last key; a checkpoint restores them', async () => {
    const pass = (await PrecertificatePass.open(path, database, {}))!;
    try {
      expect(pass.snapshot()).toEqual({ scanned: 0, firstId: null, lastId: null });
      pass.counted(0, null, null);
      pass.counted(5, 1, 5);
      pass.counted(4, 6, 9);
      pass.counted(0, null, null);
      expect(pass.snapshot()).toEqual({ scanned: 9, firstId: 1, lastId: 9 });
      const described = pass.describe();
      expect(described).toMatchObject({ table: 'precerts', scanned: 9, firstId: 1, lastId: 9 });
      expect(described.pageQuery).toContain('precerts');
      pass.restore(undefined);
      expect(pass.snapshot()).toEqual({ scanned: 9, firstId: 1, lastId: 9 });
      pass.restore({ scanned: 3, firstId: 2, lastId: 4 });
      expect(pass.snapshot()).toEqual({ scanned: 3, firstId: 2, lastId: 4 });
      pass.counted(2, 5, 6);
      expect(pass.snapshot()).toEqual({ scanned: 5, firstId: 2, lastId: 6 });
    } finally {
      await pass.close();
    }
  });

  it("a shard reads its certificates' precertificates and its part of the precertificates' own keys", async () => {
    const certificates = { afterId: 10, throughId: null };
    const filter: RowFilter = { issuedFrom: '2020-01-01T00:00:00Z' };
    const planning = await openDatabaseSource(path, precertificateDatabase(database));
    const quantiles = await planning.keyQuantiles(2);
    await planning.close();
    for (const index of [0, 1]) {
      const pass = (await PrecertificatePass.open(path, database, { shard: { index, count: 2 }, filter }, certificates))!;
      try {
        expect(pass.filter).toEqual({ ...filter, precertificateShard: { table: 'certificates', id: 'id', serial: 'serial', certificates, own: keyPart(quantiles, index) } });
        // The pass's source reads with that filter too: its page query has the shard's condition.
        expect(pass.describe().pageQuery).toContain('"certificates"');
      } finally {
        await pass.close();
      }
    }
    expect(keyPart(quantiles, 0)).not.toEqual(keyPart(quantiles, 1));
    // Without the shard's certificate keys (a scan that is not sharded), the request's filter alone.
    const whole = (await PrecertificatePass.open(path, database, { shard: { index: 0, count: 2 }, filter }))!;
    expect(whole.filter).toBe(filter);
    await whole.close();
  });

  it("marks a page's rows as precertificate rows", async () => {
    const source = await openDatabaseSource(path, precertificateDatabase(database));
    try {
      const page = await source.readPage({ afterId: null, lastId: 3 });
      expect(page.rows.map((row) => row.precertificateRow)).toEqual([undefined, undefined, undefined]);
      expect(markPrecertificateRows(page)).toBe(page);
      expect(page.rows.map((row) => row.precertificateRow)).toEqual([true, true, true]);
    } finally {
      await source.close();
    }
  });
});
