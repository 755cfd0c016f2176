// The certificates' key (database.certificates.columns.id) pages the scan: `WHERE id > ? AND id <= ?`.
// A key that is not an integer, or not unique, would page wrongly (a text key read as numbers scanned
// 0 rows and exited 0): such a mapping is refused at open, with a line saying which and why.
import { OperationalError } from '../../errors.js';

/** Whether a stored key value can page: an integer (or integer text, as server clients return BIGINT). */
export function isIntegerKey(value: unknown): boolean {
  if (typeof value === 'number') return Number.isSafeInteger(value);
  if (typeof value === 'bigint') return true;
  return typeof value === 'string' && /^-?\d{1,15}$/.test(value);
}

/** Throws when the first non-NULL key is not an integer (an empty table passes). */
export function requireIntegerKey(sample: unknown, table: string, column: string, hint: string): void {
  if (sample === null || sample === undefined || isIntegerKey(sample)) return;
  const shown = String(sample).length > 24 ? `${String(sample).slice(0, 24)}…` : String(sample);
  throw new OperationalError(
    `database.certificates.columns.id: "${column}" of "${table}" holds ${typeof sample === 'string' ? 'text' : typeof sample} such as ${JSON.stringify(shown)}, ` +
      `but scans page by an integer key; ${hint}`,
  );
}

export function refuseNonUniqueKey(table: string, column: string): never {
  throw new OperationalError(
    `database.certificates.columns.id: "${column}" of "${table}" is not unique (no primary key or unique index on it alone): pages by it would repeat or skip certificates`,
  );
}
