import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseConfig, type OrderTableMapping } from '../../../src/config.js';
import { isOrderExport, readOrderExport } from '../../../src/sources/orders/order_file.js';
import { tempDir } from '../../helpers.js';

const mapping: OrderTableMapping = { ...DEFAULT_CONFIG.database.orders, source: 'x.csv' };

function write(name: string, text: string): string {
  const path = join(tempDir(), name);
  writeFileSync(path, text);
  return path;
}

describe('orders from an export of the vetting system', () => {
  it('reads a CSV export; empty cells are no value, unmapped fields stay undefined', () => {
    const path = write(
      'orders.csv',
      'id,organization,country,state,locality,jurisdiction_country,validation_type,crm_owner\nORD-2019-MM,"Myanma Demo Economic Bank, Ltd",MM,Yangon Region,Yangon,,OV,alice\nORD-2019-LR,Liberia Demo Telecom Inc.,LR,,Monrovia,,OV,bob\n',
    );
    const store = readOrderExport(path, mapping);
    expect(store.size).toBe(2);
    expect(store.record(store.ordinalOf('ORD-2019-MM'))).toMatchObject({ id: 'ORD-2019-MM', organization: 'Myanma Demo Economic Bank, Ltd', country: 'MM', jurisdictionCountry: null, validationType: 'OV' });
    expect(store.record(store.ordinalOf('ORD-2019-LR'))).toMatchObject({ state: null, locality: 'Monrovia' });
    const withoutState = readOrderExport(path, { ...mapping, columns: { ...mapping.columns, state: null } });
    expect(withoutState.record(withoutState.ordinalOf('ORD-2019-MM')).state).toBeUndefined();
  });

  it('reads JSON Lines, with a DN column mapped per field', () => {
    const path = write('users.jsonl', `{"username":"shop","subjectDN":"CN=shop.example,O=Acme\\\\, Inc.,L=Yangon,C=MM"}\n\n{"username":"ev","subjectDN":"CN=ev.example,O=Rheinwerk,C=DE,JurisdictionCountry=DE"}\n`);
    const dn = (attribute: string) => ({ dn: 'subjectDN', attribute });
    const store = readOrderExport(path, { source: path, table: 'UserData', columns: { id: 'username', organization: dn('O'), country: dn('C'), state: dn('ST'), locality: dn('L'), jurisdictionCountry: dn('JurisdictionCountry'), validationType: null } as OrderTableMapping['columns'] });
    expect(store.record(store.ordinalOf('shop'))).toMatchObject({ organization: 'Acme, Inc.', country: 'MM', state: null, locality: 'Yangon', jurisdictionCountry: null });
    expect(store.record(store.ordinalOf('ev'))).toMatchObject({ country: 'DE', jurisdictionCountry: 'DE' });
  });

  it('refuses a missing column, a key that occurs twice, and a line that is not JSON, naming them', () => {
    expect(() => readOrderExport(write('a.csv', 'id,organization\nA,X\n'), mapping)).toThrow(/--orders: .*a\.csv has no column "country", "state", "locality", "jurisdiction_country", "validation_type"/);
    const header = 'id,organization,country,state,locality,jurisdiction_country,validation_type\n';
    expect(() => readOrderExport(write('b.csv', `${header}A,X,MM,,,,OV\nB,Y,LR,,,,OV\nA,Z,GH,,,,OV\n`), mapping)).toThrow(/order "A" occurs twice \(lines 2 and 4\)/);
    expect(() => readOrderExport(write('c.jsonl', '{"id":"A"}\n{oops\n'), mapping)).toThrow(/c\.jsonl line 2 is not JSON/);
    expect(() => readOrderExport(join(tempDir(), 'absent.csv'), mapping)).toThrow(/--orders: cannot read .*absent\.csv: ENOENT$/);
  });

  it('takes exports by their extension (anything else is a database), and validates orders.source', () => {
    expect(['a.csv', 'b.JSONL', 'c.ndjson', 'orders.sqlite', 'postgresql://ca@db/vetting'].map(isOrderExport)).toEqual([true, true, true, false, false]);
    expect(parseConfig({ database: { orders: { source: 'vetting.sqlite' } } }).database.orders.source).toBe('vetting.sqlite');
    expect(() => parseConfig({ database: { orders: { source: '' } } })).toThrow(/database\.orders\.source: must be a non-empty string/);
  });

  it('names the line of a JSON Lines record that is not an object, counting blank and space-only lines', () => {
    const first = '{"id":"A","organization":"X","country":"MM","state":null,"locality":null,"jurisdiction_country":null,"validation_type":"OV"}';
    for (const [line, value] of [[3, '"text"'], [3, 'null'], [3, '[1,2]'], [3, '5']] as const) {
      expect(() => readOrderExport(write('d.jsonl', `${first}\n   \n${value}\n`), mapping), value).toThrow(new RegExp(`d\\.jsonl line ${line} is not a JSON object$`));
    }
  });

  it('names the lines of a JSON Lines key that occurs twice, blank and space-only lines counted', () => {
    const first = '{"id":"A","organization":"X","country":"MM","state":null,"locality":null,"jurisdiction_country":null,"validation_type":"OV"}';
    expect(() => readOrderExport(write('e.jsonl', `\n${first}\n \t \n{"id":"B"}\n{"id":"A"}\n`), mapping)).toThrow(/e\.jsonl: order "A" occurs twice \(lines 2 and 5\)/);
  });

  it('orders without a key (null, absent, empty) are read, never "twice", and not kept; absent fields are no value', () => {
    const first = '{"id":null,"organization":"X","country":"MM","state":null,"locality":null,"jurisdiction_country":null,"validation_type":"OV"}';
    const path = write('f.jsonl', `${first}\n{"id":null}\n{"organization":"Y"}\n{}\n{"id":""}\n{"id":""}\n{"id":7,"country":"LR"}\n`);
    const store = readOrderExport(path, mapping);
    // The store holds the keyed order only: a certificate cannot be joined to the others.
    expect(store.size).toBe(1);
    expect(store.record(store.ordinalOf('7'))).toMatchObject({ id: '7', country: 'LR', organization: null, state: null, validationType: null });
    const csv = readOrderExport(write('g.csv', 'id,organization,country,state,locality,jurisdiction_country,validation_type\n,X,MM,,,,OV\n,Y,LR,,,,OV\n'), mapping);
    expect(csv.size).toBe(0);
  });

  it('keeps an optional field whose default column the export has, whatever its case; an unmapped field stays undefined', () => {
    const header = 'ID,Organization,Country,State,Locality,Jurisdiction_Country,Validation_Type,Postal_Code';
    const store = readOrderExport(write('h.csv', `${header}\nA,X,MM,,,,OV,11181\n`), { ...mapping, columns: { ...mapping.columns, id: 'ID', organization: 'Organization', country: 'Country', state: null, locality: 'Locality', jurisdictionCountry: 'Jurisdiction_Country', validationType: 'Validation_Type', postalCode: 'Postal_Code' } });
    expect(store.record(store.ordinalOf('A'))).toMatchObject({ organization: 'X', postalCode: '11181' });
    const lower = readOrderExport(write('i.csv', 'id,organization,country,state,locality,jurisdiction_country,validation_type,postal_code,null\nA,X,MM,,,,OV,11181,Z\n'), { ...mapping, columns: { ...mapping.columns, state: null } });
    expect(lower.record(lower.ordinalOf('A'))).toMatchObject({ postalCode: '11181' });
    // A column named "null" is not what an unmapped field reads.
    expect(lower.record(lower.ordinalOf('A')).state).toBeUndefined();
  });

  it('an export with no orders (a header only, or an empty JSON Lines file) is an empty store; bad CSV is named', () => {
    expect(readOrderExport(write('j.csv', 'id,organization,country,state,locality,jurisdiction_country,validation_type\n'), mapping).size).toBe(0);
    expect(readOrderExport(write('k.jsonl', '\n\n'), mapping).size).toBe(0);
    expect(() => readOrderExport(write('l.csv', 'id,organization\n"A,X\n'), mapping)).toThrow(/--orders: .*l\.csv is not valid CSV: /);
  });
});
