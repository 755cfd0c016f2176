// Vetted orders from the CA's vetting system rather than its CA engine: a CSV export (header row
// naming the columns) or JSON Lines (one object per order), read once into the shared order store so
// that joining a certificate with its order costs no query. The mapping's column names (or DN columns)
// name the fields, as they would in a database table.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { OrderTableMapping } from '../../config.js';
import { OperationalError } from '../../errors.js';
import { orderFieldValues, selectedColumn } from '../order_columns.js';
import { orderFieldColumns } from '../order_fields.js';
import { withoutAbsentOptionalColumns } from '../issuance_db.js';
import { OrderStore } from '../order_store.js';

/** Whether --orders names an export file (else a database: a SQLite path or a server URL). */
export const isOrderExport = (location: string): boolean => ['.csv', '.jsonl', '.ndjson'].includes(extname(location).toLowerCase());

type Record_ = Readonly<Record<string, unknown>>;

function readRecords(path: string): { records: Record_[]; lineOf: (index: number) => number } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new OperationalError(`--orders: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (extname(path).toLowerCase() === '.csv') {
    try {
      const records = parse(text, { columns: true, skip_empty_lines: true, bom: true }) as Record_[];
      // Line numbers: the header is line 1 (multi-line quoted values aside, good enough to find a row).
      return { records, lineOf: (index) => index + 2 };
    } catch (error) {
      throw new OperationalError(`--orders: ${path} is not valid CSV: ${(error as Error).message}`);
    }
  }
  const records: Record_[] = [];
  const lines: number[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new OperationalError(`--orders: ${path} line ${index + 1} is not JSON: ${(error as Error).message}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new OperationalError(`--orders: ${path} line ${index + 1} is not a JSON object`);
    records.push(value as Record_);
    lines.push(index + 1);
  });
  return { records, lineOf: (index) => lines[index]! };
}

/**
 * Reads an order export into an order store. The key column and every mapped field's column must
 * be in the header (or in the first object); an order key that occurs twice is refused, naming both
 * lines, since a certificate could not be joined to one vetted order.
 */
export function readOrderExport(path: string, given: OrderTableMapping): OrderStore {
  const { records, lineOf } = readRecords(path);
  const header = records.length ? Object.keys(records[0]!) : null;
  // An optional field at its default column that the export does not have is not kept, as in a table.
  const mapping = header ? withoutAbsentOptionalColumns(given, new Set(header.map((name) => name.toLowerCase()))) : given;
  const o = mapping.columns;
  const fields = orderFieldColumns(o);
  const columns = [o.id, ...fields.map(selectedColumn)];
  const present = new Set(header ?? columns.filter((name): name is string => name !== null));
  const missing = columns.filter((name): name is string => name !== null && !present.has(name));
  if (missing.length) throw new OperationalError(`--orders: ${path} has no column ${missing.map((name) => JSON.stringify(name)).join(', ')} (database.orders.columns names them)`);
  const firstLine = new Map<string, number>();
  const rows = records.map((record, index) => {
    const key = record[o.id];
    const text = key === null || key === undefined || key === '' ? null : String(key);
    if (text !== null) {
      const seen = firstLine.get(text);
      if (seen !== undefined) throw new OperationalError(`--orders: ${path}: order ${JSON.stringify(text)} occurs twice (lines ${seen} and ${lineOf(index)}); a certificate must join one vetted order`);
      firstLine.set(text, lineOf(index));
    }
    // Empty CSV cells are no value, as NULL is in a table.
    return [text, ...fields.map((field) => {
      const name = selectedColumn(field);
      const value = name === null ? null : record[name];
      return value === '' || value === undefined ? null : value;
    })];
  });
  return OrderStore.build(orderFieldValues(rows, fields), fields.map((field) => field !== null), { orders: rows.length, bytes: rows.length * 64 + (1 << 16) });
}
