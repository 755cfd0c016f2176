// RFC 5280 4.1.2.2: an issuer + serial pair names one certificate. Before a database scan, the
// rows whose stored serial is used more than once are found in SQL (one GROUP BY over the serial
// column, normalised as hex and decimal text need), only those rows' certificates are read, and
// their issuer Name and serial are taken from the DER: rows holding different certificates under
// one issuer + serial are named to each other, and the workers give each of them the finding.
// The whole table is looked at, whatever the shard, range or audit filter: a duplicate in another
// shard, night or year still counts.
import type { CertificateTableMapping } from '../../config.js';
import { sha256Hex } from '../../decode/digest.js';
import { serialHexOf } from '../../decode/serial.js';
import { issuerNameHex } from '../ct/issuers.js';
import { toDer } from '../issuance_db.js';
import type { RowKey, SourceRow } from '../types.js';
import { compareKeys, toRowKey, type KeyKind } from './row_key.js';
import { derExpression, derJoin } from './der_column.js';
import type { DatabaseEngine } from './location.js';

/**
 * Row key -> where the other certificates with its issuer + serial are (`row 17`), for the rows that
 * share an issuer + serial with a different certificate. Plain data: it crosses to the workers, so
 * the key is written as text (one table has one key kind: duplicateSerialMap turns it back).
 */
export type DuplicateSerialRows = Record<string, string[]>;

/** What the search needs from a connection: its quoting, parameters, and a read. */
export interface DuplicateSerialQueries {
  engine: DatabaseEngine;
  /** The key column's kind (integer or text, see row_key.ts): how its values are read. */
  keyKind: KeyKind;
  quote(identifier: string): string;
  /** The n-th (1-based) query parameter. */
  parameter(index: number): string;
  read(sql: string, parameters: ReadonlyArray<RowKey>): Promise<unknown[][]>;
}

/**
 * A stored serial as one text per number: trimmed, lower case, no leading zeros (hex `0A1B` and
 * `a1b`, decimal `0042` and `42` are one serial). Each engine spells it its own way; a number
 * column is cast to text first.
 */
const NORMALISED_SERIAL: Record<DatabaseEngine, (column: string) => string> = {
  sqlite: (column) => `ltrim(lower(trim(${column})), '0')`,
  postgresql: (column) => `ltrim(lower(trim(CAST(${column} AS TEXT))), '0')`,
  mysql: (column) => `TRIM(LEADING '0' FROM LOWER(TRIM(CAST(${column} AS CHAR))))`,
};

/** Rows read by id per query (an IN list). */
const ROWS_BY_ID = 500;

/**
 * The rows of the certificates table that share an issuer + serial with a different certificate.
 * Usually the first query returns nothing and that is all; otherwise the candidates' ids, then
 * their certificates, ROWS_BY_ID at a time.
 */
export async function findDuplicateSerialRows(queries: DuplicateSerialQueries, certificates: CertificateTableMapping): Promise<DuplicateSerialRows> {
  const q = (name: string) => queries.quote(name);
  const table = q(certificates.table);
  const id = `c.${q(certificates.columns.id)}`;
  const serial = NORMALISED_SERIAL[queries.engine](`c.${q(certificates.columns.serial)}`);
  const repeated = `SELECT ${serial} FROM ${table} AS c WHERE c.${q(certificates.columns.serial)} IS NOT NULL GROUP BY ${serial} HAVING count(*) > 1`;
  if ((await queries.read(`${repeated} LIMIT 1`, [])).length === 0) return {};
  const refs = (await queries.read(`SELECT ${id} FROM ${table} AS c WHERE ${serial} IN (${repeated}) ORDER BY ${id}`, [])).map((row) => toRowKey(row[0], queries.keyKind));
  const rows: Array<Pick<SourceRow, 'ref' | 'der'>> = [];
  for (let start = 0; start < refs.length; start += ROWS_BY_ID) {
    const chunk = refs.slice(start, start + ROWS_BY_ID);
    const sql = [`SELECT ${id}, ${derExpression(certificates, q)} FROM ${table} AS c`, ...derJoin(certificates, q), `WHERE ${id} IN (${chunk.map((_, k) => queries.parameter(k + 1)).join(', ')})`].join('\n');
    for (const [ref, der] of await queries.read(sql, chunk)) rows.push({ ref: toRowKey(ref, queries.keyKind), der: toDer(der, certificates.derEncoding) });
  }
  return duplicateSerialRows(rows);
}

/**
 * Groups rows by the issuer Name and serial of their certificates, and by the certificate itself
 * (its SHA-256): the same certificate stored in two rows is one certificate, not a duplicate. A row
 * that does not decode is left out here (the scan reports it as undecodable).
 */
export function duplicateSerialRows(rows: Iterable<Pick<SourceRow, 'ref' | 'der'>>): DuplicateSerialRows {
  const byKey = new Map<string, Map<string, RowKey[]>>();
  for (const { ref, der } of rows) {
    const name = issuerNameHex(der, false);
    const serial = serialHexOf(der, false);
    if (name === null || serial === null) continue;
    const key = `${name}:${serial}`;
    let certificates = byKey.get(key);
    if (!certificates) byKey.set(key, (certificates = new Map()));
    const fingerprint = sha256Hex(der);
    const refs = certificates.get(fingerprint);
    if (refs) refs.push(ref);
    else certificates.set(fingerprint, [ref]);
  }
  const duplicates: DuplicateSerialRows = {};
  for (const certificates of byKey.values()) {
    if (certificates.size < 2) continue;
    const groups = [...certificates.values()];
    for (const group of groups) {
      const others = groups.filter((other) => other !== group).flat().sort(compareKeys).map((ref) => `row ${ref}`);
      for (const ref of group) duplicates[ref] = others;
    }
  }
  return duplicates;
}

/** The rows found, keyed by RowKey again (in the worker, which knows the table's key kind). */
export function duplicateSerialMap(duplicates: DuplicateSerialRows | undefined, keyKind: KeyKind): Map<RowKey, string[]> {
  return new Map(Object.entries(duplicates ?? {}).map(([ref, others]) => [toRowKey(ref, keyKind), others]));
}

/** Marks the rows of a page that share an issuer + serial with another certificate (in the worker). */
export function markDuplicateSerials(rows: readonly SourceRow[], duplicates: ReadonlyMap<RowKey, string[]>): void {
  if (duplicates.size === 0) return;
  for (const row of rows) {
    const others = duplicates.get(row.ref);
    if (others) row.duplicateSerialOf = others;
  }
}
