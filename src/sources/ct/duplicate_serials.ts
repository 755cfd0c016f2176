// RFC 5280 4.1.2.2 in CT scans: two different final certificates (or two different precertificates)
// of one issuer with one serial are two certificates, each with e_serial_number_duplicate; a
// precertificate and its final certificate are one certificate, and the same certificate logged
// twice is one certificate. Before the scan the workers read the whole log once for compact keys
// (hashes of issuer Name + serial + entry type, and a fingerprint of the certificate) of the own
// issuers' entries; the main thread groups them, and the scan's workers look each entry up.
import { fnv1a } from '../../fnv.js';
import { readTlvInto, scratchTlv } from '../../decode/der_walk.js';
import { findSerial } from '../../decode/serial.js';
import type { CtEntry } from './entries.js';

/** Numbers per entry in a key list: issuer hash * 2 + precert bit, two serial hashes, two fingerprint hashes, leaf index. */
export const SERIAL_KEY_FIELDS = 6;

/**
 * Issuer + serial + entry type -> the different certificates using it: [fingerprint, where it was
 * logged]. Only keys with two or more. Plain data: it crosses to the workers.
 */
export type CtDuplicateSerials = Record<string, Array<[fingerprint: string, place: string]>>;

/** Bytes at the end of a signed certificate that identify it: they are its signature. */
const SIGNATURE_TAIL = 64;

/** Filled by keyFields, entry after entry (no allocation per entry: this runs over the whole log). */
const fields = new Float64Array(SERIAL_KEY_FIELDS - 1);
const serialTlv = scratchTlv();
const issuerTlv = scratchTlv();

/**
 * Fills `fields` with the entry's issuer + serial key and its certificate's fingerprint; false
 * when its serial or issuer cannot be found (the scan reports it as undecodable). A signed
 * certificate's last bytes are its signature, so they tell two certificates apart as a hash of
 * the whole DER would (the same certificate logged twice has the same bytes); a TBSCertificate
 * alone (a precert entry without its precertificate) is hashed in full.
 */
function keyFields(entry: CtEntry): boolean {
  const isTbs = entry.entryType === 'precert';
  const der = entry.der;
  if (!findSerial(der, isTbs, serialTlv)) return false;
  // After the serial: the signature AlgorithmIdentifier, then the issuer Name.
  const tbsEnd = tbsEndOf(der, isTbs);
  if (!readTlvInto(der, serialTlv.end, tbsEnd, issuerTlv) || !readTlvInto(der, issuerTlv.end, tbsEnd, issuerTlv) || issuerTlv.tag !== 0x30) return false;
  fields[0] = fnv1a(der, issuerTlv.start, issuerTlv.end) * 2 + (isTbs ? 1 : 0);
  fields[1] = fnv1a(der, serialTlv.contentStart, serialTlv.end);
  fields[2] = fnv1a(der, serialTlv.contentStart, serialTlv.end, 0x9e3779b9);
  const signed = isTbs ? entry.preCertificate : der;
  const bytes = signed ?? der;
  const from = signed ? Math.max(0, bytes.length - SIGNATURE_TAIL) : 0;
  fields[3] = fnv1a(bytes, from, bytes.length);
  fields[4] = Math.imul(fnv1a(bytes, from, bytes.length, 0x85ebca6b) ^ bytes.length, 0x01000193) >>> 0;
  return true;
}

/** Where the TBSCertificate ends (findSerial has checked the outer SEQUENCEs). */
function tbsEndOf(der: Uint8Array, isTbs: boolean): number {
  readTlvInto(der, 0, der.length, issuerTlv);
  if (!isTbs) readTlvInto(der, issuerTlv.contentStart, issuerTlv.end, issuerTlv);
  return issuerTlv.end;
}

/** The key list of the own issuers' entries of one task (see SERIAL_KEY_FIELDS), in the worker. */
export function collectSerialKeys(entries: readonly CtEntry[], isOwn: (entry: CtEntry) => boolean): Float64Array {
  const keys = new Float64Array(entries.length * SERIAL_KEY_FIELDS);
  let at = 0;
  for (const entry of entries) {
    if (!isOwn(entry) || !keyFields(entry)) continue;
    keys.set(fields, at);
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
    const others = keyFields(entry) ? duplicates[`${fields[0]}:${fields[1]}:${fields[2]}`] : undefined;
    if (!others) return undefined;
    const own = `${fields[3]}:${fields[4]}`;
    const places = others.filter(([fingerprint]) => fingerprint !== own).map(([, place]) => place);
    return places.length ? places : undefined;
  };
}
