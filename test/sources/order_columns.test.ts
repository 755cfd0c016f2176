import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { parseConfig, type ScanConfig } from '../../src/config.js';
import { writeDemoDatabase } from '../../src/demo/demo_db.js';
import { runScan } from '../../src/scan.js';
import { orderFieldValue, orderFieldValues } from '../../src/sources/order_columns.js';
import { IssuanceDatabase } from '../../src/sources/issuance_db.js';
import { SCAN_TIME, configFor, tempDir, withoutOptionalOrderFields } from '../helpers.js';

const clock = fixedClock(SCAN_TIME);
const readCsv = (path: string): Record<string, string>[] => parse(readFileSync(path), { columns: true });

/** A DN value as EJBCA writes it: backslash before , + " \ and = (EJBCA escapes "=" too). */
const escapeDnValue = (value: string) => value.replace(/([,+"\\=;])/g, '\\$1');

/**
 * The demo corpus with its vetted subjects also kept as DN strings, as EJBCA keeps the registered
 * subject in UserData.subjectDN (with the EV jurisdiction as JurisdictionCountry=).
 */
function addUserData(dbPath: string): void {
  const db = new Database(dbPath);
  db.exec('CREATE TABLE UserData (username TEXT PRIMARY KEY, subjectDN TEXT, validation_type TEXT)');
  const insert = db.prepare('INSERT INTO UserData VALUES (?, ?, ?)');
  const orders = db.prepare('SELECT id, organization, country, state, locality, jurisdiction_country, validation_type FROM orders').all() as Array<Record<string, string | null>>;
  for (const row of orders) {
    const parts: string[] = [`CN=${escapeDnValue(row.id!.toLowerCase())}.example`];
    if (row.organization !== null) parts.push(`O=${escapeDnValue(row.organization!)}`);
    if (row.locality !== null) parts.push(`L=${escapeDnValue(row.locality!)}`);
    if (row.state !== null) parts.push(`ST=${escapeDnValue(row.state!)}`);
    if (row.country !== null) parts.push(`C=${row.country}`);
    if (row.jurisdiction_country !== null) parts.push(`JurisdictionCountry=${row.jurisdiction_country}`);
    insert.run(row.id, parts.join(','), row.validation_type);
  }
  db.close();
}

function userDataConfig(dbPath: string): ScanConfig {
  const config = configFor(dbPath);
  const dn = (attribute: string) => ({ dn: 'subjectDN', attribute });
  config.database.orders = {
    source: null,
    table: 'UserData',
    columns: { id: 'username', organization: dn('O'), country: dn('C'), state: dn('ST'), locality: dn('L'), jurisdictionCountry: dn('JurisdictionCountry'), validationType: 'validation_type' } as ScanConfig['database']['orders']['columns'],
  };
  return config;
}

describe('order fields from a DN string column', () => {
  const dir = tempDir();
  const dbPath = join(dir, 'issuance.sqlite');

  beforeAll(() => {
    writeDemoDatabase(dbPath, { count: 300, clock });
    addUserData(dbPath);
  });

  it('finds the same planted cases as the plain columns: both 2019 countries, the EV jurisdiction, the missing order', async () => {
    const plain = await runScan({ config: withoutOptionalOrderFields(configFor(dbPath)), outDir: join(dir, 'plain') }, { clock });
    const fromDn = await runScan({ config: userDataConfig(dbPath), outDir: join(dir, 'dn') }, { clock });
    const findings = (outDir: string) => readCsv(join(outDir, 'findings.csv')).map((row) => `${row.cert_id}:${row.check}:${row.subject_country}:${row.vetted_country}:${row.order_id}`);
    const dnFindings = findings(fromDn.outDir);
    expect(dnFindings).toEqual(findings(plain.outDir));
    const checks = readCsv(join(fromDn.outDir, 'findings.csv'));
    expect(checks.filter((row) => row.check === 'e_subject_country_order_mismatch').map((row) => [row.subject_country, row.vetted_country, row.order_id])).toEqual([
      ['AD', 'MM', 'ORD-2019-MM'],
      ['GH', 'LR', 'ORD-2019-LR'],
    ]);
    expect(checks.filter((row) => row.check === 'e_ev_jurisdiction_country_order_mismatch')).toHaveLength(1);
    expect(checks.filter((row) => row.check === 'e_order_record_missing')).toHaveLength(1);
  });

  it('builds the shared order store (CT and file scans) with the attributes, not the DN', () => {
    const database = IssuanceDatabase.open(dbPath, userDataConfig(dbPath).database);
    try {
      const store = database.buildOrderStore();
      const ordinal = store.ordinalOf('ORD-2019-MM');
      expect(store.record(ordinal)).toMatchObject({ id: 'ORD-2019-MM', organization: 'Myanma Demo Economic Bank', country: 'MM', state: 'Yangon Region', locality: 'Yangon', jurisdictionCountry: null, validationType: 'OV' });
      expect(store.record(store.ordinalOf('ORD-EV-DE-1'))).toMatchObject({ country: 'DE', jurisdictionCountry: 'DE', locality: 'Köln' });
    } finally {
      database.close();
    }
  });

  it('refuses --country on a DN-mapped country (it cannot be filtered in SQL)', () => {
    expect(() => IssuanceDatabase.open(dbPath, userDataConfig(dbPath).database, { orderCountries: ['MM'] })).toThrow(/--country needs database.orders.columns.country to be a plain column/);
  });

  it('reads escaped values, leaves unmapped fields undefined, and a DN that does not parse as null', () => {
    const column = { dn: 'subjectDN', attribute: 'O' };
    expect(orderFieldValue(column, 'CN=shop.example,O=Acme\\, Inc.,L=Yangon,C=MM')).toBe('Acme, Inc.');
    expect(orderFieldValue({ dn: 'subjectDN', attribute: 'C' }, 'CN=shop.example,O=Acme\\, Inc.,L=Yangon,C=MM')).toBe('MM');
    expect(orderFieldValue(column, 'CN=x,O=Foo, Dep')).toBeNull();
    expect(orderFieldValue(column, null)).toBeNull();
    expect(orderFieldValue(null, 'anything')).toBeUndefined();
    expect(orderFieldValue('organization', 'Acme')).toBe('Acme');
    expect([...orderFieldValues([['k1', 'C=LR,O=X']], [{ dn: 'd', attribute: 'C' }, 'plain'])]).toEqual([['k1', 'LR', null]]);
  });

  it('validates the mapping in the config, naming the key', () => {
    const withCountry = (country: unknown) => parseConfig({ database: { orders: { columns: { country } } } });
    expect(withCountry({ dn: 'subjectDN', attribute: 'C' }).database.orders.columns.country).toEqual({ dn: 'subjectDN', attribute: 'C' });
    expect(() => withCountry({ dn: 'subject DN', attribute: 'C' })).toThrow(/database\.orders\.columns\.country\.dn: must be a plain SQL identifier/);
    expect(() => withCountry({ dn: 'subjectDN', attribute: '' })).toThrow(/database\.orders\.columns\.country\.attribute: an attribute has no type/);
    expect(() => withCountry({ dn: 'subjectDN', attribute: 'C', column: 'x' })).toThrow(/database\.orders\.columns\.country\.column: unknown key/);
    expect(() => withCountry(3)).toThrow(/database\.orders\.columns\.country: must be a column name, null, or/);
  });
});
