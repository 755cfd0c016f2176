// What inspecting a row does with the CA's recorded values besides the checks: a serial the row
// records that is not the certificate's own is a finding (the CA's records are wrong), and order
// text that was not valid UTF-8 is an input problem, never compared (no false mismatch, no
// deadline from it). Bad values the sources found (sources/database/row_values.ts) are collected.
import type { ScanConfig } from './config.js';
import { PIPELINE_FINDINGS } from './checks/index.js';
import type { Finding } from './checks/types.js';
import { normalizeSerialHex, type InputProblem } from './sources/ct/entries.js';
import { badValue, hasReplacementCharacter } from './sources/database/row_values.js';
import { isOrderExport } from './sources/orders/order_file.js';
import { ORDER_FIELD_NAMES, type OrderFieldName } from './sources/order_fields.js';
import type { OrderRecord, SourceRowMeta } from './sources/types.js';

/** How a worker names the order columns in input-errors.csv, and whether the serial finding is on. */
export interface RecordedValues {
  serialMismatchEnabled: boolean;
  /** The orders' table (or export file); never a server's URL. */
  ordersSource: string;
  orderColumns: Readonly<Record<OrderFieldName, string>>;
}

export function recordedValues(database: ScanConfig['database'] | undefined, disabledChecks: readonly string[]): RecordedValues {
  const orders = database?.orders;
  const source = orders?.source ?? null;
  const columns = Object.fromEntries(
    ORDER_FIELD_NAMES.map((name) => {
      const column = orders?.columns[name];
      return [name, column === null || column === undefined ? name : typeof column === 'string' ? column : `${column.dn} (${column.attribute})`];
    }),
  ) as Record<OrderFieldName, string>;
  return {
    serialMismatchEnabled: !disabledChecks.includes(PIPELINE_FINDINGS.serialRecordMismatch.name),
    ordersSource: source !== null && isOrderExport(source) ? source : (orders?.table ?? 'orders'),
    orderColumns: columns,
  };
}

/** Whether the row records a readable serial that is not the certificate's (DER INTEGER content, hex). */
export function recordedSerialDisagrees(values: RecordedValues, row: SourceRowMeta, serialHex: string): boolean {
  const recorded = row.recordedSerial;
  if (!values.serialMismatchEnabled || recorded === undefined) return false;
  // Per row: compared past the certificate's leading zeros without making a string (both are lowercase hex).
  let start = 0;
  while (start < serialHex.length - 1 && serialHex.charCodeAt(start) === 0x30) start++;
  return serialHex.length - start !== recorded.length || !serialHex.startsWith(recorded, start);
}

export function serialMismatchFinding(row: SourceRowMeta, serialHex: string): Finding {
  const meta = PIPELINE_FINDINGS.serialRecordMismatch;
  return {
    check: meta.name,
    // The certificate is not mis-issued: its records are wrong. A warning, so no revocation deadline.
    severity: 'warn',
    detail: `row ${row.ref} records serial ${row.recordedSerial} but the certificate's serial is ${normalizeSerialHex(serialHex)}`,
    citation: meta.citation,
  };
}

/**
 * The row's order with every field that holds U+FFFD (bytes that were not valid UTF-8: SQLite TEXT,
 * a MariaDB binary column, a PostgreSQL SQL_ASCII database, an export file) taken out as not kept,
 * so no check compares it; one problem per field. The row keeps its order when all is readable.
 */
export function withReadableOrder(values: RecordedValues, row: SourceRowMeta, problems: InputProblem[]): void {
  const order = row.order;
  if (!order || !anyUnreadable(order)) return;
  const readable: OrderRecord = { ...order };
  for (const name of ORDER_FIELD_NAMES) {
    const value = order[name];
    if (!unreadable(value)) continue;
    delete readable[name];
    problems.push(
      badValue({ table: values.ordersSource, row: `order ${order.id}`, column: values.orderColumns[name] }, value, `not valid UTF-8 text; not compared for certificate row ${row.ref}`),
    );
  }
  row.order = readable;
}

const unreadable = (value: string | null | undefined): value is string => typeof value === 'string' && hasReplacementCharacter(value);

/**
 * Whether any field of the order holds U+FFFD. Per row: each field by name, as orderRecord builds
 * them (one hidden class, monomorphic loads), where a loop over the names reads each by a computed
 * key; about a microsecond a row less. test/inspect_values.test.ts tries every field.
 */
function anyUnreadable(order: OrderRecord): boolean {
  return (
    unreadable(order.organization) ||
    unreadable(order.country) ||
    unreadable(order.state) ||
    unreadable(order.locality) ||
    unreadable(order.jurisdictionCountry) ||
    unreadable(order.validationType) ||
    unreadable(order.businessCategory) ||
    unreadable(order.registrationNumber) ||
    unreadable(order.jurisdictionState) ||
    unreadable(order.jurisdictionLocality) ||
    unreadable(order.streetAddress) ||
    unreadable(order.postalCode) ||
    unreadable(order.organizationIdentifier) ||
    unreadable(order.vettedAt)
  );
}

/** Moves the value problems a source left on a row (or its details) to `problems`. */
export function takeValueProblems(carrier: { valueProblems?: InputProblem[] }, problems: InputProblem[]): void {
  if (!carrier.valueProblems) return;
  problems.push(...carrier.valueProblems);
  delete carrier.valueProblems;
}
