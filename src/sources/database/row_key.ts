// The certificates' key (database.certificates.columns.id) pages the scan: `WHERE id > ? AND id <= ?`
// in the key's own order, whatever its type. An integer key is planned by id arithmetic (one index
// probe a page); any other unique ordered key (TEXT, as EJBCA's fingerprint) by a keyset walk. A
// key that is not unique would page wrongly: such a mapping is refused at open, with a line saying so.
import { OperationalError } from '../../errors.js';
import type { RowKey } from '../types.js';

/** How the key's values are compared and carried: as numbers, or as text in the engine's order. */
export type KeyKind = 'integer' | 'text';

/** Whether a stored key value can page as an integer (or integer text, as server clients return BIGINT). */
export function isIntegerKey(value: unknown): boolean {
  if (typeof value === 'number') return Number.isSafeInteger(value);
  if (typeof value === 'bigint') return true;
  return typeof value === 'string' && /^-?\d{1,15}$/.test(value);
}

/** The kind of key a column's declared SQL type gives (INT, INTEGER, BIGINT, ...), or null when it has none (a view's expression). */
export function keyKindOfType(declaredType: string | null | undefined): KeyKind | null {
  if (!declaredType) return null;
  // INTEGER, INT(11), BIGINT, SMALLINT, ... (not INTERVAL, not POINT)
  return /^\s*(tiny|small|medium|big|unsigned big )?int(eger)?\b/i.test(declaredType) ? 'integer' : 'text';
}

/** A key value as the client returned it, as the kind pages it (BIGINT text becomes a number). */
export function toRowKey(value: unknown, kind: KeyKind): RowKey {
  return kind === 'integer' ? Number(value) : value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : String(value);
}

/**
 * Compares two keys of one kind. Only used to narrow an explicit range by a shard; pages and
 * shards themselves are compared in SQL, in the engine's collation.
 */
export function compareKeys(a: RowKey, b: RowKey): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

export function refuseNonUniqueKey(table: string, column: string): never {
  throw new OperationalError(
    `database.certificates.columns.id: "${column}" of "${table}" is not unique (no primary key or unique index on it alone): pages by it would repeat or skip certificates`,
  );
}
