// The SHA-256 of DER bytes, in a module of its own: the scan's own thread needs it (duplicate
// serials, certificate files) without loading pkijs and asn1js, which only the workers use.
import { createHash } from 'node:crypto';

/** SHA-256 of the bytes, lowercase hex. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
