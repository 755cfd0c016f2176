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
    expect(() => readOrderExport(join(tempDir(), 'absent.csv'), mapping)).toThrow(/--orders: cannot read .*absent\.csv: ENOENT/);
  });

  it('takes exports by their extension (anything else is a database), and validates orders.source', () => {
    expect(['a.csv', 'b.JSONL', 'c.ndjson', 'orders.sqlite', 'postgresql://ca@db/vetting'].map(isOrderExport)).toEqual([true, true, true, false, false]);
    expect(parseConfig({ database: { orders: { source: 'vetting.sqlite' } } }).database.orders.source).toBe('vetting.sqlite');
    expect(() => parseConfig({ database: { orders: { source: '' } } })).toThrow(/database\.orders\.source: must be a non-empty string/);
  });
});
