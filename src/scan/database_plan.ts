// Database scans: which id range this process reads (`--shard K/N`) and whether the numbers read
// can be right.
import type { ScanConfig } from '../config.js';
import { OperationalError } from '../errors.js';
import { derEncodingOf, type DatabaseSource } from '../sources/database/database_source.js';
import type { RowFilter } from '../sources/issuance_db.js';
import { compareKeys } from '../sources/database/row_key.js';
import { keyPart } from '../sources/database/key_parts.js';
import type { RowKey } from '../sources/types.js';

export interface IdRangeRequest {
  /** Database rows: only keys in (afterId, throughId] (null or absent: unbounded). */
  range?: { afterId?: RowKey | null; throughId?: RowKey | null };
  shard?: { index: number; count: number };
}

/** The k-th of `count` equal slices of the id span [min, max] (an integer key's serial index parts). */
export function idSpanPart(bounds: { min: number; max: number }, k: number, count: number): { afterId: number; lastId: number } {
  const span = bounds.max - bounds.min + 1;
  const edge = (at: number) => bounds.min - 1 + Math.floor((at * span) / count);
  return { afterId: edge(k), lastId: edge(k + 1) };
}

/**
 * `--shard K/N` of database rows: the K-th of N key ranges of about equal rows (quantiles of the
 * key computed in SQL, so text keys such as EJBCA's fingerprint shard too; the first range has no
 * lower bound and the last no upper one), within the range asked for. Concatenated in shard order,
 * the slices are the whole scan in source order. (CT and file scans are sliced after planning: see log_plan.ts.)
 */
export async function shardIdRange<Request extends IdRangeRequest>(request: Request, database: DatabaseSource): Promise<Request> {
  const shard = request.shard;
  if (!shard) return request;
  const part = keyPart(await database.keyQuantiles(shard.count), shard.index);
  const range = request.range;
  // Narrowed by an explicit range, if any: the higher lower bound and the lower upper bound.
  const pick = (a: RowKey | null | undefined, b: RowKey | null | undefined, higher: boolean): RowKey | null =>
    a === null || a === undefined ? (b ?? null) : b === null || b === undefined ? a : (compareKeys(a, b) > 0) === higher ? a : b;
  return { ...request, range: { afterId: pick(part.afterId, range?.afterId, true), throughId: pick(part.throughId, range?.throughId, false) } };
}

/**
 * A database scan whose numbers cannot be right says so. Zero rows read from a table that has
 * rows (a column declared INTEGER holding text, which ranges of integers never reach) stops the scan. Most
 * rows undecodable usually means the DER column's encoding is set wrong: a warning names the one
 * the stored values look like.
 */
export async function checkRowsRead(
  database: DatabaseSource,
  mapping: ScanConfig['database'],
  scanned: number,
  undecodable: number,
  request: IdRangeRequest & { filter?: RowFilter },
): Promise<string[]> {
  if (scanned === 0 && !request.filter && !request.range && !request.shard) {
    const rows = await database.rowCount();
    if (rows > 0) {
      throw new OperationalError(
        `read 0 of the ${rows} rows of ${mapping.certificates.table}: its key column ${mapping.certificates.columns.id} (database.certificates.columns.id) pages as ${database.keyKind === 'integer' ? 'an integer (its declared type) but holds other values, such as text' : 'text but holds no value any page reaches'}; map a unique key whose values match its declared type`,
      );
    }
  }
  if (scanned >= 2 && undecodable * 2 > scanned) {
    const looksLike = derEncodingOf(await database.firstStoredDer());
    const hint = looksLike && looksLike !== mapping.certificates.derEncoding ? `; the stored values look like ${looksLike}: set database.certificates.derEncoding to ${looksLike}` : '';
    return [`${undecodable} of ${scanned} certificates did not decode with database.certificates.derEncoding "${mapping.certificates.derEncoding}"${hint}`];
  }
  return [];
}
