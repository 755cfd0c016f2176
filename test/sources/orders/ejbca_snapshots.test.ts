import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/clock.js';
import { parseConfig, type ScanConfig } from '../../../src/config.js';
import { openDatabaseSource } from '../../../src/sources/database/database_source.js';
import { OrderStore } from '../../../src/sources/order_store.js';
import { SnapshotJoin, endEntityDn, ejbcaFingerprint, readSnapshots } from '../../../src/sources/orders/ejbca_snapshots.js';
import type { SourceRow } from '../../../src/sources/types.js';
import { SCAN_TIME, tempDir } from '../../helpers.js';
import { addCertReqHistory, writeEjbcaDatabase } from '../database/presets/ejbca_layout.js';
import { loadSqliteInto, mustRunServerTests, serversAvailable, startPostgres, type TestServer } from '../servers.js';
import { userDataVO } from './ejbca_user_data_vo.js';

describe('endEntityDn: the DN of an EJBCA CertReqHistoryData.userDataVO', () => {
  it('reads the DN property of an EndEntityInformation, XML escapes undone, DN escapes kept for the DN parser', () => {
    expect(endEntityDn(userDataVO('CN=shop.example,O=Acme\\, Inc. & Sons <EU>,C=MM'))).toBe('CN=shop.example,O=Acme\\, Inc. & Sons <EU>,C=MM');
  });

  it('reads the UserDataVO that EJBCA before 5.0 wrote', () => {
    expect(endEntityDn(userDataVO('CN=old.example,C=LR', { className: 'org.ejbca.core.model.ra.UserDataVO' }))).toBe('CN=old.example,C=LR');
  });

  it('the DN property only, not a "DN" string elsewhere (a username that reads DN)', () => {
    expect(endEntityDn(userDataVO('C=LR', { username: 'DN' }))).toBe('C=LR');
  });

  it('is null (unreadable, never guessed) for XML cut short, as EJBCA 3.4 left some rows, for another shape, and for a DN with <char> elements', () => {
    const whole = userDataVO('CN=x,C=LR');
    expect(endEntityDn(whole.slice(0, whole.length - 30))).toBeNull();
    expect(endEntityDn('<java><object class="x"><void property="username"><string>u</string></void></object></java>')).toBeNull();
    expect(endEntityDn('<java><object class="x"/><object class="y"/></java>')).toBeNull();
    expect(endEntityDn('not xml')).toBeNull();
    // XMLEncoder writes characters XML cannot hold as <char code="#..."/> inside the string.
    expect(endEntityDn('<java><object class="x"><void property="DN"><string>CN=a<char code="#1"/>b</string></void></object></java>')).toBeNull();
  });

  it('is null, not an error, for XML with no <java> root, a <java> with no <object>, two objects, or an object with no properties', () => {
    expect(endEntityDn('<root><object class="x"/></root>')).toBeNull();
    expect(endEntityDn('<java version="1.8.0_392" class="java.beans.XMLDecoder"></java>')).toBeNull();
    expect(endEntityDn('<java>text</java>')).toBeNull();
    // Two top-level objects: not one EndEntityInformation, even if the first has a DN.
    expect(endEntityDn('<java><object class="a"><void property="DN"><string>CN=a</string></void></object><object class="b"/></java>')).toBeNull();
    expect(endEntityDn('<java><object class="x"/></java>')).toBeNull();
    expect(endEntityDn('<java><object class="x">text</object></java>')).toBeNull();
  });

  it('an empty DN is an empty string, not unreadable', () => {
    expect(endEntityDn('<java><object class="x"><void property="DN"><string></string></void></object></java>')).toBe('');
  });
});

describe('ejbcaFingerprint', () => {
  it("is EJBCA's CertificateData.fingerprint: SHA-1 of the DER in lowercase hex", () => {
    const der = Buffer.from('3003020101', 'hex');
    expect(ejbcaFingerprint(der)).toBe(createHash('sha1').update(der).digest('hex'));
    expect(ejbcaFingerprint(der)).toMatch(/^[0-9a-f]{40}$/);
  });
});

describe('readSnapshots and SnapshotJoin on a SQLite database in EJBCA layout, in this process', () => {
  const dir = tempDir();
  const clock = fixedClock(SCAN_TIME);
  const database = writeEjbcaDatabase(dir, clock, 20);
  const history = addCertReqHistory(database.path, database.planted);
  // validationType from a plain UserData column (status): never from a snapshot, whose DN has none.
  const configOf = (path: string, pageSize = 3): ScanConfig['database'] => {
    const config = parseConfig({ database: { preset: 'ejbca', path, pageSize } }).database;
    return { ...config, orders: { ...config.orders, columns: { ...config.orders.columns, validationType: 'status' } } };
  };
  const read = async (path: string, config = configOf(path)) => {
    const source = await openDatabaseSource(path, config);
    try {
      return await readSnapshots(source, path, config);
    } finally {
      await source.close();
    }
  };
  const rowsOf = async (path: string, config: ScanConfig['database']): Promise<SourceRow[]> => {
    const source = await openDatabaseSource(path, config);
    const rows: SourceRow[] = [];
    try {
      for await (const range of source.ranges(50)) rows.push(...(await source.readPage(range)).rows);
    } finally {
      await source.close();
    }
    return rows;
  };

  it('reads every snapshot, a page of 3 rows at a time, keyed by lowercase fingerprint, counting the unreadable one', async () => {
    const result = await read(database.path);
    const db = new Database(database.path, { readonly: true });
    const total = Number(db.prepare('SELECT count(*) FROM CertReqHistoryData').pluck().get());
    db.close();
    expect(result!.use).toEqual({ table: 'CertReqHistoryData', ordersTable: 'UserData', read: total, unreadable: 1, notRead: null });
    const store = result!.store!;
    expect(store.size).toBe(total - 1);
    expect(store.ordinalOf(history.unreadable)).toBe(OrderStore.NOT_FOUND);
    expect(store.ordinalOf(history.none)).toBe(OrderStore.NOT_FOUND);
    // The LR end entity as it was at issuance (UserData now says GH); validationType is UserData's alone.
    const lr = database.planted.find((item) => item.what.includes('vetted LR'))!.fingerprint;
    expect(store.record(store.ordinalOf(lr))).toMatchObject({ id: lr, country: 'LR', organization: expect.any(String) });
    // Not kept at all (undefined), not kept as empty (null): a plain column, and an unmapped field.
    expect([store.record(store.ordinalOf(lr)).validationType, store.record(store.ordinalOf(lr)).vettedAt]).toEqual([undefined, undefined]);
    // One page holding all rows reads the same.
    expect((await read(database.path, configOf(database.path, 10_000)))!.store!.size).toBe(total - 1);
  });

  it('counts a row with a fingerprint or userDataVO that is not text as unreadable; an uppercase fingerprint is found in lowercase', async () => {
    const path = join(dir, 'odd.sqlite');
    copyFileSync(database.path, path);
    const db = new Database(path);
    const some = db.prepare('SELECT fingerprint, userDataVO FROM CertReqHistoryData LIMIT 1').get() as { fingerprint: string; userDataVO: string };
    db.prepare('UPDATE CertReqHistoryData SET fingerprint = upper(fingerprint) WHERE fingerprint = ?').run(some.fingerprint);
    const insert = db.prepare("INSERT INTO CertReqHistoryData VALUES (?, 'CN=CA', NULL, 0, '1', 0, ?, 'u')");
    // A BLOB in the TEXT column (a number would be stored as text there).
    insert.run(Buffer.from('abcd', 'hex'), some.userDataVO);
    insert.run('00ff', Buffer.from(some.userDataVO));
    db.close();
    const result = await read(path);
    expect(result!.use).toMatchObject({ unreadable: 3 });
    expect(result!.store!.ordinalOf(some.fingerprint)).not.toBe(OrderStore.NOT_FOUND);
    expect(result!.store!.ordinalOf('00ff')).toBe(OrderStore.NOT_FOUND);
  });

  it('says why none were read: no such table, orders from --orders; refuses a table without a mapped column; null when not configured', async () => {
    const path = join(dir, 'without.sqlite');
    copyFileSync(database.path, path);
    const db = new Database(path);
    db.exec('ALTER TABLE CertReqHistoryData RENAME TO History');
    db.close();
    expect(await read(path)).toEqual({ store: null, use: { table: 'CertReqHistoryData', ordersTable: 'UserData', read: 0, unreadable: 0, notRead: 'the database has no table CertReqHistoryData' } });
    const config = configOf(database.path);
    expect(await read(database.path, { ...config, orders: { ...config.orders, source: 'vetting.csv' } })).toMatchObject({ store: null, use: { notRead: 'the vetted data comes from vetting.csv (--orders)' } });
    await expect(read(path, { ...config, orders: { ...config.orders, snapshots: { table: 'History', fingerprint: 'FINGERPRINT', userDataVO: 'xml' } } })).rejects.toThrow('History has no column "xml" (database.orders.snapshots.userDataVO)');
    await expect(read(path, { ...config, orders: { ...config.orders, snapshots: { table: 'History', fingerprint: 'sha1', userDataVO: 'userDataVO' } } })).rejects.toThrow('History has no column "sha1" (database.orders.snapshots.fingerprint)');
    // Column names in another case are the same columns.
    expect((await read(path, { ...config, orders: { ...config.orders, snapshots: { table: 'History', fingerprint: 'FingerPrint', userDataVO: 'USERDATAVO' } } }))!.use.read).toBeGreaterThan(0);
    expect(await read(database.path, { ...config, orders: { ...config.orders, snapshots: null } })).toBeNull();
  });

  it("SnapshotJoin puts a snapshot's DN fields over UserData's, keeps the other fields and says which it used", async () => {
    const config = configOf(database.path);
    const result = await read(database.path, config);
    const join_ = SnapshotJoin.attach(result!.store!.toShared(), config);
    const rows = await rowsOf(database.path, config);
    const before = new Map(rows.map((row) => [row, row.order === null ? null : { ...row.order }]));
    join_.apply(rows);
    const byFingerprint = new Map(rows.map((row) => [ejbcaFingerprint(row.der), row]));
    const lr = byFingerprint.get(database.planted.find((item) => item.what.includes('vetted LR'))!.fingerprint)!;
    expect(lr.vettedFrom).toBe('snapshot');
    expect(before.get(lr)).toMatchObject({ country: 'GH' });
    expect(lr.order).toMatchObject({ id: lr.orderId, country: 'LR', validationType: before.get(lr)!.validationType });
    expect(before.get(lr)!.validationType).toBe('40');
    for (const fingerprint of [history.none, history.unreadable]) {
      const row = byFingerprint.get(fingerprint)!;
      expect(row.vettedFrom, fingerprint).toBe('orders');
      expect(row.order, fingerprint).toEqual(before.get(row));
    }
    // The orphan (its end entity deleted) is compared with its snapshot, under its own order id.
    const orphan = byFingerprint.get(database.planted.find((item) => item.what.includes('no order row'))!.fingerprint)!;
    expect(before.get(orphan)).toBeNull();
    expect(orphan).toMatchObject({ vettedFrom: 'snapshot', order: { id: orphan.orderId, country: 'MM' } });
    expect(orphan.order!.validationType).toBeUndefined();
  });
});

// The same in this process on PostgreSQL (serverSnapshotTable: through the scan's planning connection).
describe.runIf(mustRunServerTests || serversAvailable().postgresql)('readSnapshots on PostgreSQL, in this process', () => {
  let server: TestServer | null = null;
  const dir = tempDir();
  const database = writeEjbcaDatabase(dir, fixedClock(SCAN_TIME), 20);
  const history = join(dir, 'history.sqlite');
  copyFileSync(database.path, history);
  const cases = addCertReqHistory(history, database.planted);
  const config = parseConfig({ database: { preset: 'ejbca', pageSize: 4 } }).database;
  const read = async (url: string, given = config) => {
    const source = await openDatabaseSource(url, given);
    try {
      return await readSnapshots(source, url, given);
    } finally {
      await source.close();
    }
  };

  beforeAll(async () => {
    server = await startPostgres();
    loadSqliteInto(server, history, 'ejbca_history');
    loadSqliteInto(server, database.path, 'ejbca_plain');
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('reads what the SQLite file holds, 4 rows a query, by the names PostgreSQL folded to lower case', async () => {
    const sqlite = (await read(history))!;
    const postgres = (await read(server!.readOnlyUrl('ejbca_history')))!;
    expect(postgres.use).toEqual(sqlite.use);
    expect(postgres.use).toMatchObject({ unreadable: 1, notRead: null });
    const [fromServer, fromFile] = [postgres.store!, sqlite.store!];
    expect(fromServer.size).toBe(fromFile.size);
    for (let ordinal = 0; ordinal < fromFile.size; ordinal++) {
      const fingerprint = fromFile.keyOf(ordinal);
      expect(fromServer.record(fromServer.ordinalOf(fingerprint)), fingerprint).toEqual(fromFile.record(ordinal));
    }
    expect(fromServer.ordinalOf(cases.none)).toBe(OrderStore.NOT_FOUND);
  });

  it('says the table is absent, and refuses a mapped column the table lacks', async () => {
    expect((await read(server!.readOnlyUrl('ejbca_plain')))!.use.notRead).toBe('the database has no table CertReqHistoryData');
    const wrong = { ...config, orders: { ...config.orders, snapshots: { table: 'CertReqHistoryData', fingerprint: 'fingerprint', userDataVO: 'xml' } } };
    await expect(read(server!.readOnlyUrl('ejbca_history'), wrong)).rejects.toThrow('CertReqHistoryData has no column "xml"');
  });
});
