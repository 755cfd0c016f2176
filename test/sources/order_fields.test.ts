import { describe, expect, it } from 'vitest';
import { ORDER_FIELD_NAMES, orderRecord } from '../../src/sources/order_fields.js';

describe('orderRecord (the one shape every order record has)', () => {
  it('puts each value under the field of its position in ORDER_FIELDS, the id first', () => {
    const record = orderRecord('ORD-1', ORDER_FIELD_NAMES.map((name) => `value of ${name}`));
    expect(Object.keys(record)).toEqual(['id', ...ORDER_FIELD_NAMES]);
    for (const name of ORDER_FIELD_NAMES) expect(record[name], name).toBe(`value of ${name}`);
    expect(record.id).toBe('ORD-1');
  });

  it('keeps null (kept, empty) apart from undefined (not kept)', () => {
    const record = orderRecord('ORD-2', ORDER_FIELD_NAMES.map((_, position) => (position % 2 ? null : undefined)));
    expect(ORDER_FIELD_NAMES.map((name) => record[name])).toEqual(ORDER_FIELD_NAMES.map((_, position) => (position % 2 ? null : undefined)));
  });
});
