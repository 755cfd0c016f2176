// PEM and DER certificate files, or directories of them. PEM blocks may follow other text (zlint's
// test files start with an openssl dump). Whatever in a file is not a readable certificate (a PEM
// block cut short or with bad base64, bytes that are not one whole DER SEQUENCE) is an input
// problem naming the file, the block and its byte offset: never skipped in silence.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { serialHexOf } from '../decode/serial.js';
import { sha256Hex } from '../decode/digest.js';
import type { CtEntry, InputProblem } from './ct/entries.js';
import { issuerNameHex } from './ct/issuers.js';

export function listCertificateFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => {
      const child = join(path, name);
      return statSync(child).isDirectory() ? listCertificateFiles(child) : /\.(pem|crt|cer|der)$/i.test(name) ? [child] : [];
    });
}

const BEGIN = '-----BEGIN CERTIFICATE-----';
const END = '-----END CERTIFICATE-----';
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Why these bytes are not one whole SEQUENCE (a certificate's outer shape), or null when they are.
 * Only the outer header is read here: what is inside is for the decoder to judge.
 */
function notOneSequence(der: Uint8Array): string | null {
  if (der.length === 0) return 'empty';
  if (der[0] !== 0x30) return `not a DER certificate (first byte 0x${der[0]!.toString(16).padStart(2, '0')}; a certificate starts with a SEQUENCE, 0x30)`;
  if (der.length < 2) return 'certificate cut short: 1 byte';
  let length = der[1]!;
  let headerLength = 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) return 'not a DER certificate (indefinite or oversized SEQUENCE length)';
    if (der.length < 2 + count) return `certificate cut short: ${der.length} bytes, inside the SEQUENCE header`;
    length = 0;
    for (let index = 0; index < count; index++) length = length * 256 + der[2 + index]!;
    headerLength = 2 + count;
  }
  const total = headerLength + length;
  if (total > der.length) return `certificate cut short: ${der.length} of ${total} bytes`;
  if (total < der.length) return `${der.length - total} bytes after the certificate's SEQUENCE`;
  return null;
}

/** The certificates of one file as entries (index = position in the file), and what could not be read. */
export interface CertificateFile {
  entries: CtEntry[];
  problems: InputProblem[];
  /** PEM blocks of other kinds (X509 CRL, CERTIFICATE REQUEST, ...): read, not certificates, not scanned. */
  otherObjects: number;
}

/** A certificate read outside a log (a file), as the CT inspection takes it: no timestamp, chain or precertificate. */
export function plainCertificateEntry(der: Uint8Array, leafIndex: number, location: () => string): CtEntry {
  return { leafIndex, entryType: 'x509', timestamp: 0, der, issuerKeyHash: null, preCertificate: null, issuerFingerprint: null, chainCertificates: [], location };
}

export function readCertificateFile(path: string): CertificateFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    return { entries: [], problems: [{ file: path, at: 'file', message: `cannot read: ${(error as Error).message}` }], otherObjects: 0 };
  }
  const entries: CtEntry[] = [];
  const problems: InputProblem[] = [];
  const entry = (der: Uint8Array, index: number, at: string): CtEntry => plainCertificateEntry(der, index, () => `${path} ${at}`);
  if (bytes[0] === 0x30) {
    const why = notOneSequence(bytes);
    if (why) problems.push({ file: path, at: 'DER file', message: why });
    else entries.push(entry(bytes, 0, 'DER'));
    return { entries, problems, otherObjects: 0 };
  }
  // latin1: one character per byte, so a character offset is the byte offset.
  const text = bytes.toString('latin1');
  let block = 0;
  for (let begin = text.indexOf(BEGIN); begin !== -1; begin = text.indexOf(BEGIN, begin + BEGIN.length), block++) {
    const at = `PEM block ${block} at byte ${begin}`;
    const end = text.indexOf(END, begin + BEGIN.length);
    const nextBegin = text.indexOf(BEGIN, begin + BEGIN.length);
    if (end === -1 || (nextBegin !== -1 && nextBegin < end)) {
      problems.push({ file: path, at, message: 'PEM block cut short: no END CERTIFICATE line' });
      continue;
    }
    const body = text.slice(begin + BEGIN.length, end).replace(/[\r\n\t ]/g, '');
    if (body.length % 4 !== 0 || !BASE64.test(body)) {
      problems.push({ file: path, at, message: 'bad base64 in the PEM block' });
      continue;
    }
    const der = Buffer.from(body, 'base64');
    const why = notOneSequence(der);
    if (why) problems.push({ file: path, at, message: why });
    else entries.push(entry(der, block, at));
  }
  const otherObjects = block === 0 ? [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)].filter((match) => match[1] !== 'CERTIFICATE').length : 0;
  if (block === 0 && otherObjects === 0) problems.push({ file: path, at: 'file', message: 'no CERTIFICATE PEM block and not DER' });
  return { entries, problems, otherObjects };
}

/**
 * Issuer + serial pairs that more than one distinct certificate of these files uses (RFC 5280
 * 4.1.2.2), with where each of those certificates is. A file scan is a user's selection, small
 * enough to read twice: once here on the main thread, once in the workers.
 */
export function findDuplicateSerials(files: readonly string[], keyOf: (issuerName: string, serialHex: string) => string): Record<string, string[]> {
  const byKey = new Map<string, Map<string, string>>();
  for (const file of files) {
    for (const entry of readCertificateFile(file).entries) {
      const name = issuerNameHex(entry.der, false);
      const serial = serialHexOf(entry.der, false);
      if (!name || serial === null) continue;
      const key = keyOf(name, serial);
      let certificates = byKey.get(key);
      if (!certificates) byKey.set(key, (certificates = new Map()));
      const fingerprint = sha256Hex(entry.der);
      // The same certificate in two files is one certificate.
      if (!certificates.has(fingerprint)) certificates.set(fingerprint, entry.location());
    }
  }
  const duplicates: Record<string, string[]> = {};
  for (const [key, certificates] of byKey) if (certificates.size > 1) duplicates[key] = [...certificates.values()];
  return duplicates;
}
