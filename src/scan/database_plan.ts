// Database scans: which id range this process reads (`--shard K/N`) and whether the numbers read
// can be right.
import type { ScanConfig } from '../config.js';
import { OperationalError } from '../errors.js';
import { derEncodingOf, type DatabaseSource } from '../sources/database/database_source.js';
import type { IdRange, RowFilter } from '../sources/issuance_db.js';

export interface IdRangeRequest {
  range?: { afterId?: number; throughId?: number };
  shard?: { index: number; count: number };
}

/** The k-th of `count` equal slices of the id span [min, max]. */
export function idSpanPart(bounds: { min: number; max: number }, k: number, count: number): IdRange {
  const span = bounds.max - bounds.min + 1;
  const edge = (at: number) => bounds.min - 1 + Math.floor((at * span) / count);
  return { afterId: edge(k), lastId: edge(k + 1) };
}

/**
 * `--shard K/N` of database rows: the K-th of N equal id intervals, within the range asked for.
 * (CT and file scans are sliced after planning: see log_plan.ts.)
 */
export async function shardIdRange<Request extends IdRangeRequest>(request: Request, database: DatabaseSource): Promise<Request> {
  const shard = request.shard;
  if (!shard) return request;
  const bounds = await database.idBounds();
  if (!bounds) return { ...request, range: { afterId: 0, throughId: 0 } };
  const part = idSpanPart(bounds, shard.index, shard.count);
  return { ...request, range: { afterId: Math.max(part.afterId, request.range?.afterId ?? -Infinity), throughId: Math.min(part.lastId, request.range?.throughId ?? Infinity) } };
}

/**
 * A database scan whose numbers cannot be right says so. Zero rows read from a table that has
 * rows (an id column holding text, which ranges of integers never reach) stops the scan. Most
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
        `read 0 of the ${rows} rows of ${mapping.certificates.table}: its id column ${mapping.certificates.columns.id} (database.certificates.columns.id) must hold integers (map it to an INTEGER key, or rowid)`,
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
