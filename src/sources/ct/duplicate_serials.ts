// RFC 5280 4.1.2.2 in CT scans: two different final certificates (or two different precertificates)
// of one issuer with one serial are two certificates, each with e_serial_number_duplicate; a
// precertificate and its final certificate are one certificate, and the same certificate logged
// twice is one certificate. Before the scan the workers read the whole log once for compact keys
// (hashes of issuer Name + serial + entry type, and a fingerprint of the certificate) of the own
// issuers' entries; the main thread groups them, and the scan's workers look each entry up.
import { fnv1a } from '../../fnv.js';
import type { CtEntry } from './entries.js';
import { issuerAndSerialTlvs } from './issuers.js';

/** Numbers per entry in a key list: issuer hash * 2 + precert bit, two serial hashes, two fingerprint hashes, leaf index. */
export const SERIAL_KEY_FIELDS = 6;

/**
 * Issuer + serial + entry type -> the different certificates using it: [fingerprint, where it was
 * logged]. Only keys with two or more. Plain data: it crosses to the workers.
 */
export type CtDuplicateSerials = Record<string, Array<[fingerprint: string, place: string]>>;

/** Bytes at the end of a signed certificate that identify it: they are its signature. */
const SIGNATURE_TAIL = 64;

interface EntryKey {
  key: string;
  /** Numbers that say which certificate this is. */
  fingerprint: [number, number];
  fields: [number, number, number, number, number];
}

/**
 * The entry's issuer + serial key and its certificate's fingerprint, or null when its issuer or
 * serial cannot be found (the scan reports it as undecodable). A signed certificate's last bytes
 * are its signature, so they tell two certificates apart as a hash of the whole DER would (the
 * same certificate logged twice has the same bytes); a TBSCertificate alone (a precert entry
 * without its precertificate) is hashed in full.
 */
function keyOf(entry: CtEntry): EntryKey | null {
  const isTbs = entry.entryType === 'precert';
  const found = issuerAndSerialTlvs(entry.der, isTbs);
  if (!found) return null;
  const { issuer, serial } = found;
  const issuerHash = fnv1a(entry.der, issuer.start, issuer.end);
  const nameAndType = issuerHash * 2 + (isTbs ? 1 : 0);
  const serialA = fnv1a(entry.der, serial.contentStart, serial.end);
  const serialB = fnv1a(entry.der, serial.contentStart, serial.end, 0x9e3779b9);
  const signed = isTbs ? entry.preCertificate : entry.der;
  const bytes = signed ?? entry.der;
  const from = signed ? Math.max(0, bytes.length - SIGNATURE_TAIL) : 0;
  const fingerprintA = fnv1a(bytes, from, bytes.length);
  const fingerprintB = Math.imul(fnv1a(bytes, from, bytes.length, 0x85ebca6b) ^ bytes.length, 0x01000193) >>> 0;
  return { key: `${nameAndType}:${serialA}:${serialB}`, fingerprint: [fingerprintA, fingerprintB], fields: [nameAndType, serialA, serialB, fingerprintA, fingerprintB] };
}

/** The key list of the own issuers' entries of one task (see SERIAL_KEY_FIELDS), in the worker. */
export function collectSerialKeys(entries: readonly CtEntry[], isOwn: (entry: CtEntry) => boolean): Float64Array {
  const keys = new Float64Array(entries.length * SERIAL_KEY_FIELDS);
  let at = 0;
  for (const entry of entries) {
    const key = isOwn(entry) ? keyOf(entry) : null;
    if (!key) continue;
    keys.set(key.fields, at);
    keys[at + 5] = entry.leafIndex;
    at += SERIAL_KEY_FIELDS;
  }
  return keys.slice(0, at);
}

/**
 * The keys that different certificates share, from every task's key list (on the main thread). A
 * first pass counts keys by a 53-bit number and keeps only the repeated ones (a precertificate and
 * its final certificate differ in entry type, so they do not repeat); a second pass groups those
 * by certificate.
 */
export function groupSerialKeys(parts: ReadonlyArray<{ keys: Float64Array; origin: string }>): CtDuplicateSerials {
  const number = (keys: Float64Array, at: number) => (keys[at + 1]! * 2 ** 20 + (keys[at + 2]! % 2 ** 20)) * 2 + (keys[at]! % 2);
  const seen = new Set<number>();
  const repeated = new Set<number>();
  for (const { keys } of parts) {
    for (let at = 0; at < keys.length; at += SERIAL_KEY_FIELDS) {
      const key = number(keys, at);
      if (seen.has(key)) repeated.add(key);
      else seen.add(key);
    }
  }
  seen.clear();
  const byKey = new Map<string, Map<string, string[]>>();
  for (const { keys, origin } of parts) {
    for (let at = 0; at < keys.length; at += SERIAL_KEY_FIELDS) {
      if (!repeated.has(number(keys, at))) continue;
      const key = `${keys[at]}:${keys[at + 1]}:${keys[at + 2]}`;
      let certificates = byKey.get(key);
      if (!certificates) byKey.set(key, (certificates = new Map()));
      const fingerprint = `${keys[at + 3]}:${keys[at + 4]}`;
      const places = certificates.get(fingerprint);
      const place = `${origin} leaf ${keys[at + 5]}`;
      if (places) places.push(place);
      else certificates.set(fingerprint, [place]);
    }
  }
  const duplicates: CtDuplicateSerials = {};
  for (const [key, certificates] of byKey) {
    if (certificates.size < 2) continue;
    duplicates[key] = [...certificates].map(([fingerprint, places]) => [fingerprint, places.length === 1 ? places[0]! : `${places[0]} (also ${places.slice(1).join(', ')})`]);
  }
  return duplicates;
}

/** Where the other certificates with this entry's issuer + serial are (in the scan's workers), or undefined. */
export function ctDuplicatesOf(duplicates: CtDuplicateSerials): (entry: CtEntry) => string[] | undefined {
  return (entry) => {
    const key = keyOf(entry);
    const others = key ? duplicates[key.key] : undefined;
    if (!key || !others) return undefined;
    const own = `${key.fingerprint[0]}:${key.fingerprint[1]}`;
    const places = others.filter(([fingerprint]) => fingerprint !== own).map(([, place]) => place);
    return places.length ? places : undefined;
  };
}
