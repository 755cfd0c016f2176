import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { orderOfRow, type RawRow } from '../../src/sources/issuance_db.js';
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

describe('orderOfRow (the order of a page row joined in SQL)', () => {
  const mapping = parseConfig({}).database.orders;
  const row = (orderId: unknown, values: unknown[]): RawRow => [7, orderId, null, orderId, ...values];

  it('is null for a row without an order', () => {
    expect(orderOfRow(mapping, row(null, ORDER_FIELD_NAMES.map(() => 'x')))).toBeNull();
  });

  it('reads each kept field at its place; NULL stays null, a field not kept is undefined', () => {
    const withoutVettedAt = { ...mapping, columns: { ...mapping.columns, vettedAt: null } };
    const record = orderOfRow(withoutVettedAt, row(42, ORDER_FIELD_NAMES.map((name, position) => (position === 1 ? null : `${name} value`))))!;
    expect(record.id).toBe('42');
    expect(record.organization).toBe('organization value');
    expect(record.country).toBeNull();
    expect(record.postalCode).toBe('postalCode value');
    expect(record.vettedAt).toBeUndefined();
  });
});
