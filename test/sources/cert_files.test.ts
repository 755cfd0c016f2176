// Certificate files as users hand them over: nothing in them is skipped in silence. A block that is
// not a readable certificate is an input problem naming the file, the block and its byte offset;
// two different certificates with one issuer and serial are both reported; a folder needs no issuer.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCertificate, createDemoCa, generateKeyPair } from '../../src/demo/certificate_builder.js';
import { ISSUANCE_SCHEMA } from '../../src/demo/demo_db.js';
import { ATTRIBUTE } from '../../src/decode/oids.js';
import { readCertificateFile } from '../../src/sources/cert_files.js';
import { ROOT, SCAN_TIME, tempDir } from '../helpers.js';

const readCsv = (path: string): Record<string, string>[] => parse(readFileSync(path), { columns: true });
const pem = (der: Buffer) => `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;

function certscan(args: string[]) {
  const result = spawnSync(process.execPath, [join(ROOT, 'dist/src/cli.js'), ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('certificate files', () => {
  const dir = tempDir();
  const ca = createDemoCa(new Date(SCAN_TIME));
  const key = generateKeyPair();
  const certificate = (serial: number, organization: string, country = 'DE') =>
    buildCertificate(
      {
        serial: Buffer.from([0x10, serial]),
        subject: [
          { oid: ATTRIBUTE.countryName, value: country, type: 'PrintableString' },
          { oid: ATTRIBUTE.organizationName, value: organization },
          { oid: ATTRIBUTE.commonName, value: `${organization.toLowerCase()}.example` },
        ],
        notBefore: new Date('2026-10-01T00:00:00Z'),
        notAfter: new Date('2026-12-30T00:00:00Z'),
        dnsNames: [`${organization.toLowerCase()}.example`],
        subjectPublicKeyInfo: key.spki,
      },
      ca.issuing,
    );
  const good = certificate(1, 'Good');
  const emptyDb = join(dir, 'empty.sqlite');

  beforeAll(() => {
    const db = new Database(emptyDb);
    db.exec(ISSUANCE_SCHEMA);
    db.close();
  });

  it('names each block that is not a readable certificate: cut short, bad base64, random bytes, no END line, a DER file cut short', () => {
    const mixed = join(dir, 'mixed.pem');
    const random = Buffer.from('8f2a51c0d9e3b4a7'.repeat(20), 'hex');
    const text = [
      'some openssl text first\n',
      pem(good), // block 0: fine
      pem(good.subarray(0, 300)), // block 1: cut short
      '-----BEGIN CERTIFICATE-----\nMIIB!!notbase64$$\n-----END CERTIFICATE-----\n', // block 2
      pem(random), // block 3: random bytes
      '-----BEGIN CERTIFICATE-----\nMIIBxzCCAW2gAwIBAgIU\n', // block 4: no END line
    ].join('');
    writeFileSync(mixed, text);
    const { entries, problems, otherObjects } = readCertificateFile(mixed);
    expect(entries.map((entry) => entry.leafIndex)).toEqual([0]);
    expect(Buffer.from(entries[0]!.der).equals(good)).toBe(true);
    expect(otherObjects).toBe(0);
    const offsetOf = (block: number) => {
      let at = -1;
      for (let index = 0; index <= block; index++) at = text.indexOf('-----BEGIN CERTIFICATE-----', at + 1);
      return at;
    };
    expect(problems.map((problem) => [problem.file, problem.at])).toEqual([1, 2, 3, 4].map((block) => [mixed, `PEM block ${block} at byte ${offsetOf(block)}`]));
    expect(problems.map((problem) => problem.message)).toEqual([
      `certificate cut short: 300 of ${good.length} bytes`,
      'bad base64 in the PEM block',
      'not a DER certificate (first byte 0x8f; a certificate starts with a SEQUENCE, 0x30)',
      'PEM block cut short: no END CERTIFICATE line',
    ]);

    const derFile = join(dir, 'short.der');
    writeFileSync(derFile, good.subarray(0, good.length - 1));
    expect(readCertificateFile(derFile).problems).toEqual([{ file: derFile, at: 'DER file', message: `certificate cut short: ${good.length - 1} of ${good.length} bytes` }]);
  });

  it('a CRL file is read and counted, not scanned and not an error; a file with nothing is an error', () => {
    const crlFile = join(dir, 'list.pem');
    writeFileSync(crlFile, '-----BEGIN X509 CRL-----\nMAA=\n-----END X509 CRL-----\n');
    expect(readCertificateFile(crlFile)).toMatchObject({ entries: [], problems: [], otherObjects: 1 });
    const nothing = join(dir, 'nothing.pem');
    writeFileSync(nothing, 'hello');
    expect(readCertificateFile(nothing).problems).toEqual([{ file: nothing, at: 'file', message: 'no CERTIFICATE PEM block and not DER' }]);
  });

  it('a scan lists each unreadable block in input-errors.csv and exits 2; the readable certificates are scanned', () => {
    const folder = join(dir, 'broken');
    mkdirSync(folder);
    writeFileSync(join(folder, 'a-good.pem'), pem(certificate(2, 'Other', 'de')));
    writeFileSync(join(folder, 'b-cut.pem'), pem(good.subarray(0, 200)));
    writeFileSync(join(folder, 'c-random.pem'), pem(Buffer.from('00ff'.repeat(50), 'hex')));
    const out = join(dir, 'broken-out');
    const result = certscan(['scan', '--pem', folder, '--db', emptyDb, '--out', out, '--workers', '1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('2 pieces of input could not be read');
    expect(readCsv(join(out, 'input-errors.csv')).map((row) => [row.file, row.at])).toEqual([
      [join(folder, 'b-cut.pem'), 'PEM block 0 at byte 0'],
      [join(folder, 'c-random.pem'), 'PEM block 0 at byte 0'],
    ]);
    // The good file was scanned (its lowercase C is reported), with no issuer given.
    expect(result.stdout).toContain('scanned 1 certificates');
    expect(readCsv(join(out, 'findings.csv')).map((row) => row.check)).toContain('e_subject_country_not_uppercase');
  });

  it('two different certificates with one issuer and serial: two appendix rows, each with e_serial_number_duplicate; one certificate in two files is one certificate', () => {
    const folder = join(dir, 'duplicates');
    mkdirSync(folder);
    const first = certificate(7, 'First');
    const second = certificate(7, 'Second');
    writeFileSync(join(folder, 'first.pem'), pem(first));
    writeFileSync(join(folder, 'first-again.der'), first);
    writeFileSync(join(folder, 'second.pem'), pem(second));
    writeFileSync(join(folder, 'unique.pem'), pem(certificate(8, 'Unique')));
    const out = join(dir, 'duplicates-out');
    const result = certscan(['scan', '--pem', folder, '--db', emptyDb, '--out', out, '--workers', '2']);
    expect(result.code).toBe(1);
    const duplicates = readCsv(join(out, 'findings.csv')).filter((row) => row.check === 'e_serial_number_duplicate');
    expect(duplicates.map((row) => row.log_origin).sort()).toEqual([join(folder, 'first-again.der'), join(folder, 'first.pem'), join(folder, 'second.pem')]);
    expect(duplicates.find((row) => row.log_origin!.endsWith('second.pem'))!.detail).toContain(`${join(folder, 'first')}`);
    expect(duplicates.every((row) => row.serial === '1007')).toBe(true);
    const appendix = readCsv(join(out, 'ccadb-appendix.csv')).filter((row) => row.checks!.includes('e_serial_number_duplicate'));
    // first.pem and first-again.der are one certificate; second.pem is another: two rows.
    expect(appendix.map((row) => row.Subject).sort()).toEqual(['C=DE, O=First, CN=first.example', 'C=DE, O=Second, CN=second.example']);
  });

  it('with --issuer, certificates of other issuers are skipped and counted on the summary line', () => {
    const folder = join(dir, 'filtered');
    mkdirSync(folder);
    const other = createDemoCa(new Date(SCAN_TIME), 'Another');
    writeFileSync(join(folder, 'ours.pem'), pem(good));
    writeFileSync(join(folder, 'theirs.pem'), pem(buildCertificate({ serial: Buffer.from([3]), subject: [{ oid: ATTRIBUTE.commonName, value: 'x' }], notBefore: new Date('2026-10-01T00:00:00Z'), notAfter: new Date('2026-12-01T00:00:00Z'), subjectPublicKeyInfo: key.spki }, other.issuing)));
    const issuer = join(dir, 'issuer.pem');
    writeFileSync(issuer, pem(ca.issuing.certificate));
    const result = certscan(['scan', '--pem', folder, '--db', emptyDb, '--issuer', issuer, '--out', join(dir, 'filtered-out'), '--workers', '1']);
    expect(result.stdout).toContain('2 entries read, 1 of other issuers skipped');
    expect(readFileSync(join(dir, 'filtered-out', 'summary.md'), 'utf8')).toContain("1 entries of the CA's own issuers (1 of other issuers skipped)");
  });
});
