// Next to a demo database: the demo CA's issuing certificate (PEM), the corpus as PEM files and a
// static-ct export of it, so that `scan --pem` and `scan --ct` can be tried on the demo as well as `--db`.
import Database from 'better-sqlite3';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { readTlv } from '../decode/der_walk.js';
import { writeStaticCtTree, type LogEntrySpec } from './ct_export.js';

export interface DemoExports {
  issuerPem: string;
  pemDir: string;
  ctDir: string;
  ctEntries: number;
}

/** Certificates per PEM file: a file is one task of a --pem scan. */
const PEM_FILE_CERTIFICATES = 500;

/** `demo/issuance.sqlite` -> `demo/issuance-issuer.pem`, `demo/issuance-pem/`, `demo/issuance-ct/`. */
export function demoExportPaths(dbPath: string): { issuerPem: string; pemDir: string; ctDir: string } {
  const stem = join(dirname(dbPath), basename(dbPath, extname(dbPath)));
  return { issuerPem: `${stem}-issuer.pem`, pemDir: `${stem}-pem`, ctDir: `${stem}-ct` };
}

export function toPem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** A stored DER that is one whole TLV: the planted truncated row is not something a log would hold. */
function isWholeDer(der: Buffer): boolean {
  try {
    return readTlv(der, 0, der.length)?.end === der.length;
  } catch {
    return false;
  }
}

/** Reads the certificates back from the database in id order, one at a time, as log entries. */
function* logEntries(dbPath: string, issuer: Buffer): Generator<LogEntrySpec> {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT der, issued_at FROM certificates ORDER BY id').raw(true).iterate() as Iterable<[Buffer, string]>;
    for (const [der, issuedAt] of rows) if (isWholeDer(der)) yield { timestamp: Date.parse(issuedAt), certificate: der, chain: [issuer] };
  } finally {
    db.close();
  }
}

/** Writes (replacing) the issuer PEM and the CT export of the database at `dbPath`. */
export function writeDemoExports(dbPath: string, issuerCertificate: Buffer): DemoExports {
  const paths = demoExportPaths(dbPath);
  writeFileSync(paths.issuerPem, toPem(issuerCertificate));
  // The exports of an older, larger demo would leave files behind: they go first.
  rmSync(paths.ctDir, { recursive: true, force: true });
  rmSync(paths.pemDir, { recursive: true, force: true });
  mkdirSync(paths.pemDir);
  let bundle: string[] = [];
  let files = 0;
  const flush = () => {
    writeFileSync(join(paths.pemDir, `certificates-${String(files++).padStart(6, '0')}.pem`), bundle.join(''));
    bundle = [];
  };
  for (const entry of logEntries(dbPath, issuerCertificate)) {
    bundle.push(toPem(entry.certificate));
    if (bundle.length === PEM_FILE_CERTIFICATES) flush();
  }
  if (bundle.length) flush();
  const { size } = writeStaticCtTree(paths.ctDir, logEntries(dbPath, issuerCertificate), { origin: 'demo.certscan.example/log' });
  return { ...paths, ctEntries: size };
}
