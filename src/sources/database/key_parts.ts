// `--shard K/N` of a table: its K-th key range, from the last key of each part (keyQuantiles).
import type { RowKey } from '../types.js';

/**
 * The k-th part given the last key of each part (keyQuantiles). A table with fewer rows than
 * shards has fewer parts: the shards past them are empty ranges after the last key.
 */
export function keyPart(ends: RowKey[], k: number): { afterId: RowKey | null; throughId: RowKey | null } {
  const last = ends[ends.length - 1];
  if (last === undefined) return { afterId: null, throughId: null }; // an empty table
  if (k >= ends.length) return { afterId: last, throughId: last };
  return { afterId: k === 0 ? null : ends[k - 1]!, throughId: k === ends.length - 1 ? null : ends[k]! };
}
