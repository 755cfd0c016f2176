// The identity of a scan's effective configuration, for the summary, the ledger and audit checkpoints.
import { createHash } from 'node:crypto';
import type { ScanConfig } from '../config.js';

/** SHA-256 of the effective configuration, keys sorted, so equal configs hash equal. */
export function configHash(config: ScanConfig): string {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value && typeof value === 'object'
        ? Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]))
        : value;
  return createHash('sha256').update(JSON.stringify(canonical(config))).digest('hex');
}
