// PEM and DER certificate files, or directories of them. PEM blocks may follow other text (zlint's
// test files start with an openssl dump).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readPemBlocks } from '../decode/pem.js';
import type { CtEntry, InputProblem } from './ct/entries.js';

export function listCertificateFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => {
      const child = join(path, name);
      return statSync(child).isDirectory() ? listCertificateFiles(child) : /\.(pem|crt|cer|der)$/i.test(name) ? [child] : [];
    });
}

/** The certificates of one file as entries (index = position in the file). */
export function readCertificateFile(path: string): { entries: CtEntry[]; problems: InputProblem[] } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    return { entries: [], problems: [{ file: path, at: 'file', message: `cannot read: ${(error as Error).message}` }] };
  }
  const entry = (der: Uint8Array, index: number, at: string): CtEntry => ({
    leafIndex: index,
    entryType: 'x509',
    timestamp: 0,
    der,
    issuerKeyHash: null,
    preCertificate: null,
    issuerFingerprint: null,
    chainCertificates: [],
    location: () => `${path} ${at}`,
  });
  if (bytes[0] === 0x30) return { entries: [entry(bytes, 0, 'DER')], problems: [] };
  const blocks = readPemBlocks(bytes.toString('latin1')).filter((block) => block.label === 'CERTIFICATE');
  if (blocks.length === 0) return { entries: [], problems: [{ file: path, at: 'file', message: 'no CERTIFICATE PEM block and not DER' }] };
  return { entries: blocks.map((block, index) => entry(block.der, index, `PEM block ${index} at character ${block.offset}`)), problems: [] };
}
