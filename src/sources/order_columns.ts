// How a vetted order field is read: a plain column of the orders table, or one attribute of a DN
// string column (`{ "dn": "subjectDN", "attribute": "C" }`, EJBCA's UserData). Per field, so any
// order field can be mapped either way.
import type { OrderFieldColumn } from '../config.js';
import { OperationalError } from '../errors.js';
import { dnAttributeValues, DnSyntaxError } from './database/dn_string.js';

/** The column selected for a field (the DN column for a DN attribute), or null when unmapped. */
export function selectedColumn(column: OrderFieldColumn | undefined): string | null {
  return column === null || column === undefined ? null : typeof column === 'string' ? column : column.dn;
}

/** A field's plain column, for SQL conditions on it; a DN-mapped field cannot be filtered in SQL. */
export function plainColumn(column: OrderFieldColumn, key: string, what: string): string {
  if (column === null) throw new OperationalError(`${what} needs ${key}`);
  if (typeof column !== 'string') throw new OperationalError(`${what} needs ${key} to be a plain column, not an attribute of the DN column "${column.dn}"`);
  return column;
}

// Several fields read the same DN of a row one after the other: parse it once.
let lastDn: { text: string; parsed: Map<string, string | null> } | null = null;

/**
 * A field's value from the selected column's value: undefined when the field is not mapped (the
 * CA's database does not keep it), null when the order has no value. A DN attribute: its first
 * value in the string; a DN string that does not parse gives null for every attribute (the checks
 * then say the order has no vetted value, naming the order).
 */
export function orderFieldValue(column: OrderFieldColumn | undefined, value: unknown): string | null | undefined {
  if (column === null || column === undefined) return undefined;
  if (value === null || value === undefined) return null;
  const text = typeof value === 'string' ? value : Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
  if (typeof column === 'string') return text;
  if (lastDn?.text !== text) lastDn = { text, parsed: new Map() };
  const cached = lastDn.parsed.get(column.attribute);
  if (cached !== undefined) return cached;
  let attribute: string | null;
  try {
    attribute = dnAttributeValues(text, column.attribute)[0] ?? null;
  } catch (error) {
    if (!(error instanceof DnSyntaxError)) throw error;
    attribute = null;
  }
  lastDn.parsed.set(column.attribute, attribute);
  return attribute;
}

/** Whether any of these fields is read from a DN string (then rows need orderFieldValues). */
export const anyDnField = (columns: readonly OrderFieldColumn[]): boolean => columns.some((column) => column !== null && typeof column !== 'string');

/**
 * Rows of (key, field columns...) as selected -> rows of (key, field values...) for the order
 * store; rows pass through unchanged when no field is a DN attribute.
 */
export function* orderFieldValues(rows: Iterable<readonly unknown[]>, columns: readonly OrderFieldColumn[]): Generator<readonly unknown[]> {
  if (!anyDnField(columns)) {
    yield* rows;
    return;
  }
  for (const row of rows) yield [row[0], ...columns.map((column, index) => orderFieldValue(column, row[index + 1]) ?? null)];
}
