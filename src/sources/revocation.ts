// Revocation as CAs store it: a date column whose "not revoked" is NULL, -1, 0 or Go's zero time
// (EJBCA writes -1, Boulder 0001-01-01 00:00:00), a status column whose values say revoked or not
// (EJBCA 40, Boulder 'revoked'), possibly in another table joined by serial (Boulder's certificateStatus).
import type { CertificateTableMapping } from '../config.js';
import type { RowDetails } from './types.js';

/** What RowDetails.revokedAt says when the status column says revoked but no date is stored. */
export const REVOKED_DATE_UNKNOWN = 'date unknown';

/** A stored revocation date that means "not revoked": NULL, empty, a number <= 0, or a zero date. */
export function isNotRevokedDate(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (value instanceof Date) return Number.isNaN(value.getTime()) || value.getUTCFullYear() <= 1;
  if (typeof value === 'number' || typeof value === 'bigint') return value <= 0;
  const text = (Buffer.isBuffer(value) ? value.toString('latin1') : String(value)).trim();
  if (text === '') return true;
  if (/^[+-]?\d+$/.test(text)) return BigInt(text) <= 0n;
  // Go's time.Time{} as MySQL/MariaDB and SQLite text hold it, and MySQL's zero date.
  return /^(0001-01-01|0000-00-00)([ T]00:00:00(\.0+)?(Z|[+-]00:?00| UTC)?)?$/.test(text);
}

/**
 * The revocation of a row from its stored date, reason and status (all as read): the status column,
 * when mapped, decides whether the row is revoked; else the date does (a sentinel means not). A
 * negative reason (EJBCA's -1) is no reason. `toIso` converts a stored date as the mapping says.
 */
export function revocationOf(
  mapping: CertificateTableMapping,
  stored: { revokedAt: unknown; reason: unknown; status: unknown },
  toIso: (value: unknown) => string | null,
): Pick<RowDetails, 'revokedAt' | 'revocationReason'> {
  const hasStatus = mapping.columns.status !== null;
  const revoked = hasStatus ? stored.status !== null && stored.status !== undefined && mapping.revokedStatuses.includes(String(stored.status)) : !isNotRevokedDate(stored.revokedAt);
  if (!revoked) return { revokedAt: null, revocationReason: null };
  const revokedAt = isNotRevokedDate(stored.revokedAt) ? REVOKED_DATE_UNKNOWN : (toIso(stored.revokedAt) ?? REVOKED_DATE_UNKNOWN);
  const reason = stored.reason === null || stored.reason === undefined || stored.reason === '' ? null : Number(stored.reason);
  return { revokedAt, revocationReason: reason === null || !Number.isInteger(reason) || reason < 0 ? null : reason };
}

/** The alias of the table the revocation columns are read from: the certificates (c) or the joined one (r). */
export const revocationAlias = (mapping: CertificateTableMapping): 'c' | 'r' => (mapping.revocationTable ? 'r' : 'c');

/** The certificates' own columns, and those read from the revocation table, for the schema check. */
export function columnsByTable(mapping: CertificateTableMapping): { certificates: Array<[string, string | null]>; revocation: Array<[string, string | null]> } {
  const { revokedAt, revocationReason, status, ...own } = mapping.columns;
  const revocationColumns: Array<[string, string | null]> = [
    ['revokedAt', revokedAt],
    ['revocationReason', revocationReason],
    ['status', status],
  ];
  if (!mapping.revocationTable) return { certificates: [...Object.entries(own), ...revocationColumns], revocation: [] };
  return { certificates: Object.entries(own), revocation: [['revocationTable.serial', mapping.revocationTable.serial], ...revocationColumns] };
}
