// The recorded serial compared with the certificate's, and order text that was not UTF-8.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../src/config.js';
import type { InputProblem } from '../src/sources/ct/entries.js';
import { recordedSerialDisagrees, recordedValues, withReadableOrder } from '../src/inspect_values.js';
import type { SourceRowMeta } from '../src/sources/types.js';

const values = recordedValues(DEFAULT_CONFIG.database, []);
const row = (recordedSerial?: string): SourceRowMeta => ({ ref: 3, orderId: 'O-1', order: null, ...(recordedSerial === undefined ? {} : { recordedSerial }) });

describe('the serial a row records', () => {
  it('agrees with the certificate past its leading zeros; another number disagrees; none or a disabled check never does', () => {
    expect(recordedSerialDisagrees(values, row('ab12'), '00ab12')).toBe(false);
    expect(recordedSerialDisagrees(values, row('ab12'), 'ab12')).toBe(false);
    expect(recordedSerialDisagrees(values, row('0'), '00')).toBe(false);
    expect(recordedSerialDisagrees(values, row('ab12'), '00ab13')).toBe(true);
    expect(recordedSerialDisagrees(values, row('ab1'), 'ab12')).toBe(true);
    expect(recordedSerialDisagrees(values, row('b12'), '0ab12')).toBe(true);
    expect(recordedSerialDisagrees(values, row(), 'ab12')).toBe(false);
    expect(recordedSerialDisagrees(recordedValues(DEFAULT_CONFIG.database, ['w_serial_number_record_mismatch']), row('ff'), 'ab12')).toBe(false);
  });
});

describe('order text that was not UTF-8', () => {
  it('is left out of the order (not compared) with one problem per field naming the column; the original order is not changed', () => {
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
});
