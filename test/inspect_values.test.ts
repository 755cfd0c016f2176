// The recorded serial compared with the certificate's, and order text that was not UTF-8.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ScanConfig } from '../src/config.js';
import type { InputProblem } from '../src/sources/ct/entries.js';
import { recordedSerialDisagrees, recordedValues, serialMismatchFinding, takeValueProblems, withReadableOrder } from '../src/inspect_values.js';
import { ORDER_FIELD_NAMES } from '../src/sources/order_fields.js';
import type { SourceRowMeta } from '../src/sources/types.js';

// Called inside each test, never at module load: a mutation run switches its mutants per test.
const defaultValues = () => recordedValues(DEFAULT_CONFIG.database, []);
const row = (recordedSerial?: string): SourceRowMeta => ({ ref: 3, orderId: 'O-1', order: null, ...(recordedSerial === undefined ? {} : { recordedSerial }) });
const withOrders = (orders: Partial<ScanConfig['database']['orders']>): ScanConfig['database'] => ({ ...DEFAULT_CONFIG.database, orders: { ...DEFAULT_CONFIG.database.orders, ...orders } });

describe('what a worker knows of the recorded values (recordedValues)', () => {
  it('without a database config: the orders table and column names, the serial finding on', () => {
    const names = Object.fromEntries(ORDER_FIELD_NAMES.map((name) => [name, name]));
    expect(recordedValues(undefined, [])).toEqual({ serialMismatchEnabled: true, ordersSource: 'orders', orderColumns: names });
  });

  it("names the orders' table, or the export file; a server URL never; mapped columns, DN attributes and unmapped ones as their field", () => {
    const columns = { ...DEFAULT_CONFIG.database.orders.columns, country: 'ctry', organization: { dn: 'subject_dn', attribute: 'O' }, state: null };
    const mapped = recordedValues(withOrders({ table: 'ca_orders', columns }), ['e_subject_country_order_mismatch']);
    expect(mapped.serialMismatchEnabled).toBe(true);
    expect(mapped.ordersSource).toBe('ca_orders');
    expect([mapped.orderColumns.country, mapped.orderColumns.organization, mapped.orderColumns.state, mapped.orderColumns.locality]).toEqual(['ctry', 'subject_dn (O)', 'state', 'locality']);
    expect(recordedValues(withOrders({ source: '/exports/Orders.CSV' }), []).ordersSource).toBe('/exports/Orders.CSV');
    expect(recordedValues(withOrders({ source: 'postgres://ro:secret@db/ca', table: 'ca_orders' }), []).ordersSource).toBe('ca_orders');
    expect(defaultValues().ordersSource).toBe('orders');
  });
});

describe('the serial a row records', () => {
  it('agrees with the certificate past its leading zeros; another number disagrees; none or a disabled check never does', () => {
    const values = defaultValues();
    expect(recordedSerialDisagrees(values, row('ab12'), '00ab12')).toBe(false);
    expect(recordedSerialDisagrees(values, row('ab12'), 'ab12')).toBe(false);
    expect(recordedSerialDisagrees(values, row('0'), '00')).toBe(false);
    expect(recordedSerialDisagrees(values, row('ab12'), '00ab13')).toBe(true);
    expect(recordedSerialDisagrees(values, row('ab1'), 'ab12')).toBe(true);
    expect(recordedSerialDisagrees(values, row('b12'), '0ab12')).toBe(true);
    expect(recordedSerialDisagrees(values, row(), 'ab12')).toBe(false);
    expect(recordedSerialDisagrees(recordedValues(DEFAULT_CONFIG.database, ['w_serial_number_record_mismatch']), row('ff'), 'ab12')).toBe(false);
  });

  it('disagreeing is a warning naming the row, both serials (the certificate\'s without leading zeros) and the citation', () => {
    const finding = serialMismatchFinding({ ...row('7e57'), ref: 4 }, '00ab12');
    expect(finding).toEqual({
      check: 'w_serial_number_record_mismatch',
      severity: 'warn',
      detail: "row 4 records serial 7e57 but the certificate's serial is ab12",
      citation: 'BR 5.4.1 and 5.5.1 (records of every issued certificate, kept accurately); RFC 5280 4.1.2.2 (the serial number identifies the certificate)',
    });
  });
});

describe('order text that was not UTF-8', () => {
  it('is left out of the order (not compared) with one problem per field naming the column; the original order is not changed', () => {
    const values = defaultValues();
    const order = { id: 'DE-1', country: 'DE', locality: 'K\ufffdln', organization: 'M\ufffdller GmbH', state: null };
    const meta: SourceRowMeta = { ref: 5, orderId: 'DE-1', order };
    const problems: InputProblem[] = [];
    withReadableOrder(values, meta, problems);
    expect(meta.order).toEqual({ id: 'DE-1', country: 'DE', state: null });
    expect(order.locality).toBe('K\ufffdln');
    expect(problems.map((problem) => [problem.file, problem.at, problem.column, problem.value, problem.message])).toEqual([
      ['orders', 'order DE-1', 'organization', 'M\\ufffdller GmbH', 'not valid UTF-8 text; not compared for certificate row 5'],
      ['orders', 'order DE-1', 'locality', 'K\\ufffdln', 'not valid UTF-8 text; not compared for certificate row 5'],
    ]);
    const clean: SourceRowMeta = { ref: 6, orderId: 'US-1', order: { id: 'US-1', locality: 'Köln' } };
    const before = clean.order;
    withReadableOrder(values, clean, problems);
    expect(clean.order).toBe(before);
    expect(problems).toHaveLength(2);
  });

  it('finds U+FFFD in every order field, each alone', () => {
    for (const name of ORDER_FIELD_NAMES) {
      const meta: SourceRowMeta = { ref: 7, orderId: 'X-1', order: { id: 'X-1', country: 'DE', [name]: 'a\ufffdb' } };
      const problems: InputProblem[] = [];
      withReadableOrder(defaultValues(), meta, problems);
      expect([name, problems.map((problem) => problem.column)]).toEqual([name, [defaultValues().orderColumns[name]]]);
      expect(meta.order![name]).toBeUndefined();
    }
  });

  it('a row without an order is left as it is', () => {
    const orphan = row();
    const problems: InputProblem[] = [];
    withReadableOrder(defaultValues(), orphan, problems);
    expect(orphan).toEqual(row());
    expect(problems).toEqual([]);
  });
});

describe('takeValueProblems', () => {
  it("moves a row's value problems to the list and takes them off the row; a row without any adds none", () => {
    const earlier: InputProblem = { file: 'certificates', at: 'id 1', message: 'earlier' };
    const moved: InputProblem = { file: 'certificates', at: 'id 2', column: 'serial', value: 'zz', message: 'bad' };
    const problems = [earlier];
    const carrier = { ...row(), valueProblems: [moved] };
    takeValueProblems(carrier, problems);
    expect(problems).toEqual([earlier, moved]);
    expect(carrier).not.toHaveProperty('valueProblems');
    takeValueProblems(carrier, problems);
    takeValueProblems({}, problems);
    expect(problems).toEqual([earlier, moved]);
  });
});
