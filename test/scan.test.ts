import Database from 'better-sqlite3';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../src/clock.js';
import { runScan } from '../src/scan.js';
import { ISSUANCE_SCHEMA, writeDemoDatabase, writeIssuanceDatabase } from '../src/demo/demo_db.js';
import { OperationalError } from '../src/errors.js';
import { CCADB_COLUMNS } from '../src/reports/ccadb_appendix.js';
import { ROOT, SCAN_TIME, certificateFor, configFor, order, sha256File, tempDir } from './helpers.js';

const clock = fixedClock(SCAN_TIME);
const readCsv = (path: string): Record<string, string>[] => parse(readFileSync(path), { columns: true });

describe('scan of the demo corpus', () => {
  const dir = tempDir();
  const dbPath = join(dir, 'issuance.sqlite');
  let planted: Array<{ id: number; what: string }>;

  beforeAll(() => {
    planted = writeDemoDatabase(dbPath, { count: 600, clock }).planted;
  });

  it('finds both 2019 certificates, the orphan, the EV jurisdiction, the damaged row and each issue #15 case, and leaves the database untouched', async () => {
    const before = sha256File(dbPath);
    const { summary, outDir } = await runScan({ config: configFor(dbPath), outDir: join(dir, 'one') }, { clock });
    expect(sha256File(dbPath)).toBe(before);
    expect(summary.certificatesScanned).toBe(600);

    const findings = readCsv(join(outDir, 'findings.csv'));
    const byCheck = (check: string) => findings.filter((row) => row.check === check);
    const mismatches = byCheck('e_subject_country_order_mismatch');
    expect(mismatches.map((row) => [row.subject_country, row.vetted_country, row.order_id])).toEqual([
      ['AD', 'MM', 'ORD-2019-MM'],
      ['GH', 'LR', 'ORD-2019-LR'],
    ]);
    const plantedId = (text: string) => String(planted.find((item) => item.what.includes(text))!.id);
    expect(mismatches.map((row) => row.cert_id)).toEqual([plantedId('C=AD'), plantedId('C=GH')]);
    expect(byCheck('e_order_record_missing').map((row) => row.cert_id)).toEqual([plantedId('no order row')]);
    expect(byCheck('e_ev_jurisdiction_country_order_mismatch').map((row) => row.cert_id)).toEqual([plantedId('jurisdictionC=AT')]);
    expect(byCheck('e_certificate_undecodable').map((row) => row.cert_id)).toEqual([plantedId('truncated')]);
    // Issue #15: one planted certificate per vetted-field check, found by that check alone.
    const issue15: Array<[string, string]> = [
      ['e_ev_business_category_order_mismatch', 'Government Entity'],
      ['e_subject_registration_number_order_mismatch', 'serialNumber "00"'],
      ['e_ev_jurisdiction_state_order_mismatch', 'Utreht'],
      ['e_ev_jurisdiction_locality_order_mismatch', 'county'],
      ['e_subject_fields_swapped_order', 'swapped'],
      ['e_subject_postal_code_order_mismatch', 'cut short'],
      ['e_subject_org_identifier_order_mismatch', 'transposed'],
      ['e_ev_vetted_attribute_missing', 'without the vetted jurisdictionL'],
      ['e_validity_period_too_long', 'valid 400 days'],
      ['e_order_vetting_stale', '900 days after'],
      ['e_certificate_issued_before_vetting', 'before its order was vetted'],
    ];
    for (const [check, what] of issue15) {
      expect(findings.filter((row) => row.cert_id === plantedId(what)).map((row) => row.check), check).toEqual([check]);
      expect(byCheck(check).map((row) => row.cert_id), check).toEqual([plantedId(what)]);
    }
    // The XX order, the clean issue #15 certificate and the ordinary corpus produce nothing else.
    expect(new Set(findings.map((row) => row.cert_id)).size).toBe(5 + issue15.length);

    const appendix = readCsv(join(outDir, 'ccadb-appendix.csv'));
    expect(appendix).toHaveLength(16);
    const ad = appendix.find((row) => row.cert_id === plantedId('C=AD'))!;
    expect(ad['Is revoked?']).toBe('Yes');
    expect(ad['Revocation reason']).toBe('superseded');
    expect(ad.Subject).toMatch(/^C=AD, ST=Yangon Region/);
    expect(ad['Certificate SHA-256 hash']).toMatch(/^[0-9a-f]{64}$/);
    expect(ad['Precertificate SHA-256 hash']).toBe('');

    expect(summary.findingsByCheck).toMatchObject({ e_subject_country_order_mismatch: 2, e_order_record_missing: 1, e_certificate_undecodable: 1 });
    expect(summary.affectedCertificates).toBe(16);
    expect(summary.firstAffectedNotBefore).toBe('2019-06-12T08:30:00.000Z');
    expect(summary.revoked).toBe(1);
    expect(summary.source).toMatchObject({ firstId: 1, lastId: 600, certificatesTable: 'certificates' });
    const markdown = readFileSync(join(outDir, 'summary.md'), 'utf8');
    expect(markdown).toContain('e_subject_country_order_mismatch');
    expect(markdown).toContain('WHERE c."id" > ? AND c."id" <= ? ORDER BY c."id"');
    // Nothing but the reports: no temp files left behind.
    expect(readdirSync(outDir).sort()).toEqual(['affected-by-month.svg', 'ccadb-appendix.csv', 'crtsh.txt', 'findings.csv', 'input-errors.csv', 'report.html', 'summary.json', 'summary.md']);
  });

  it('the CCADB appendix header is exactly the v3.2 columns, in order, extras to the right', async () => {
    const { outDir } = await runScan({ config: configFor(dbPath), outDir: join(dir, 'header') }, { clock });
    const header = readFileSync(join(outDir, 'ccadb-appendix.csv'), 'utf8').split('\n')[0]!;
    expect(header.startsWith(
      'Precertificate SHA-256 hash,Certificate SHA-256 hash,Subject,Issuer,Not before,Not after,Serial # (hex),dNSNames,Is revoked?,Revocation date,Revocation reason',
    )).toBe(true);
    expect(header.split(',').slice(0, CCADB_COLUMNS.length)).toEqual([...CCADB_COLUMNS]);
  });

  it('a scan with 2 workers and small pages writes the same reports as one with 1 worker', async () => {
    const one = await runScan({ config: configFor(dbPath), outDir: join(dir, 'w1'), workers: 1 }, { clock });
    const config = configFor(dbPath);
    config.database.pageSize = 37;
    const two = await runScan({ config, outDir: join(dir, 'w2'), workers: 2 }, { clock });
    for (const file of ['findings.csv', 'ccadb-appendix.csv']) {
      expect(readFileSync(join(two.outDir, file), 'utf8')).toBe(readFileSync(join(one.outDir, file), 'utf8'));
    }
    const { workers: _w1, configSha256: _c1, scanId: _s1, ...summaryOne } = one.summary;
    const { workers: _w2, configSha256: _c2, scanId: _s2, ...summaryTwo } = two.summary;
    expect({ ...summaryTwo, source: { ...summaryTwo.source, pageSize: 0 } }).toEqual({ ...summaryOne, source: { ...summaryOne.source, pageSize: 0 } });
    expect(two.summary.workers).toBe(2);
  });
});

describe('the incident report', () => {
  it('one appendix row and several findings rows per certificate; crt.sh links; BR 4.9.1.1 deadlines with overdue ones first', async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'incident.sqlite');
    const mm = order('MM-1', { country: 'MM' });
    const ev = order('EV-1', { validationType: 'EV', country: 'DE', jurisdictionCountry: 'DE' });
    writeIssuanceDatabase(
      dbPath,
      {
        orders: [mm, ev],
        certificates: [
          certificateFor(mm, { country: 'AD' }), // 1: mismatch + placeholder warning
          certificateFor(mm, { country: 'AD', revokedAt: new Date('2026-11-20T00:00:00Z'), revocationReason: 4 }), // 2: revoked
          certificateFor(ev, { jurisdictionCountry: 'AT', notBefore: new Date('2026-01-01T00:00:00Z') }), // 3: expired (90 days)
          certificateFor(mm),
        ],
      },
      { now: new Date(SCAN_TIME) },
    );
    const config = configFor(dbPath);
    config.checks.placeholderCountries = ['AD'];
    // The CA learned of the problem ten days before this scan: deadlines have passed.
    const { summary, outDir } = await runScan({ config, outDir: join(dir, 'out'), discoveredAt: new Date('2026-11-16T12:00:00Z') }, { clock });

    const findings = readCsv(join(outDir, 'findings.csv'));
    expect(findings.filter((row) => row.cert_id === '1').map((row) => row.check)).toEqual(['e_subject_country_order_mismatch', 'w_subject_country_placeholder']);
    const appendix = readCsv(join(outDir, 'ccadb-appendix.csv'));
    // Revoked and expired certificates have no deadline; an overdue one is a delayed revocation.
    expect(appendix.map((row) => [row.cert_id, row.revocation_status, row.revocation_deadline, row['Is revoked?'], row['Revocation date'], row.class])).toEqual([
      ['1', 'overdue', '2026-11-21T12:00:00Z', 'Delayed', '2026-11-21T12:00:00Z', 'still-valid'],
      ['2', 'revoked', '', 'Yes', '2026-11-20T00:00:00Z', 'revoked'],
      ['3', 'expired', '', 'N/A', 'N/A', 'expired'],
    ]);
    expect(appendix[0]!.checks).toBe('e_subject_country_order_mismatch w_subject_country_placeholder');

    const links = readFileSync(join(outDir, 'crtsh.txt'), 'utf8').trim().split('\n');
    expect(links).toEqual(appendix.map((row) => `https://crt.sh/?sha256=${row['Certificate SHA-256 hash']}`));

    expect(summary.revocation.byStatus).toEqual({ revoked: 1, expired: 1, overdue: 1, due: 0, review: 0 });
    expect(summary.revocation.overdue.map((item) => item.certId)).toEqual([1]);
    expect(summary.affectedByValidationType).toEqual({ OV: 2, EV: 1 });
    const markdown = readFileSync(join(outDir, 'summary.md'), 'utf8');
    expect(markdown).toContain('- **Total number of certificates:** 3 (still valid 1 + revoked 1 + expired 1 + undecodable 0).');
    expect(markdown).toContain('- **Affected certificate types:** OV 2, EV 1 ');
    expect(markdown).toContain('- **Analysis:** _(To be completed by the CA: 1 certificates are past their revocation deadline');
    expect(markdown.indexOf('Overdue certificates')).toBeLessThan(markdown.indexOf('### Timeline'));
    expect(markdown).toMatch(/\| 1 \| [0-9a-f]+ \| 2026-11-21T12:00:00Z \|/);
    expect(markdown).toMatch(/\| Revoke the 1 affected certificates .* \| Mitigate \| .* \| 2026-11-21T12:00:00Z \| Delayed \|/);
  });
});

describe('a database in the documented schema built by hand', () => {
  it('finds exactly the planted cases and nothing in the clean rows', async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'handmade.sqlite');
    const mm = order('MM-1', { country: 'MM', state: 'Yangon Region', locality: 'Yangon', organization: 'Golden Myanmar Ltd' });
    const lr = order('LR-1', { country: 'LR', state: 'Montserrado', locality: 'Monrovia' });
    const xx = order('XX-1', { country: 'XX', state: null });
    const dv = order('DV-1', { validationType: 'DV', country: null, state: null, locality: null, organization: null });
    const ev = order('EV-1', { validationType: 'EV', country: 'CH', state: 'Zürich', locality: 'Zürich', jurisdictionCountry: 'CH' });
    writeIssuanceDatabase(
      dbPath,
      {
        orders: [mm, lr, xx, dv, ev],
        certificates: [
          certificateFor(mm),
          certificateFor(mm, { country: 'AD' }), // id 2
          certificateFor(lr, { country: 'GH' }), // id 3
          certificateFor(lr),
          certificateFor(xx),
          certificateFor(dv),
          certificateFor(ev),
          certificateFor(ev, { jurisdictionCountry: 'LI' }), // id 8
          { ...certificateFor(dv), orderId: 'NOPE-1' }, // id 9
          certificateFor(lr, { truncateTo: 90 }), // id 10
        ],
      },
      { now: new Date(SCAN_TIME) },
    );
    const { summary, outDir } = await runScan({ config: configFor(dbPath), outDir: join(dir, 'out'), workers: 2 }, { clock });
    const findings = readCsv(join(outDir, 'findings.csv')).map((row) => `${row.cert_id}:${row.check}`);
    expect(findings).toEqual([
      '2:e_subject_country_order_mismatch',
      '3:e_subject_country_order_mismatch',
      '8:e_ev_jurisdiction_country_order_mismatch',
      '9:e_order_record_missing',
      '10:e_certificate_undecodable',
    ]);
    expect(summary.certificatesScanned).toBe(10);
    expect(summary.stillValid).toBe(4);
  });
});

describe('bad input gives one clear operational error', () => {
  it('a missing database', async () => {
    await expect(runScan({ config: configFor('/nonexistent/issuance.sqlite') }, { clock })).rejects.toThrow(
      new OperationalError('database not found: /nonexistent/issuance.sqlite'),
    );
  });

  it('a database without the expected tables and columns names them', async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'other.sqlite');
    const db = new Database(dbPath);
    db.exec('CREATE TABLE certificates (id INTEGER PRIMARY KEY, serial TEXT, der BLOB)');
    db.close();
    const error = (await runScan({ config: configFor(dbPath) }, { clock }).catch((caught: unknown) => caught)) as Error;
    expect(error).toBeInstanceOf(OperationalError);
    expect(error.message).toContain('table "certificates" has no column "order_id" (database.certificates.columns.orderId)');
    expect(error.message).toContain('"issued_at" (database.certificates.columns.issuedAt)');
    expect(error.message).toContain('no table "orders" (database.orders.table)');
  });

  it('a file that is not SQLite', async () => {
    const dir = tempDir();
    const path = join(dir, 'not.sqlite');
    writeFileSync(path, 'hello');
    await expect(runScan({ config: configFor(path) }, { clock })).rejects.toBeInstanceOf(OperationalError);
  });
});

describe('numbers that tell the truth', () => {
  const dir = tempDir();
  const dbPath = join(dir, 'issuance.sqlite');
  let issued: Buffer[];

  beforeAll(() => {
    const mm = order('MM-1', { country: 'MM' });
    issued = writeIssuanceDatabase(dbPath, { orders: [mm], certificates: [certificateFor(mm), certificateFor(mm), certificateFor(mm)] }, { now: new Date(SCAN_TIME), keepIssued: true }).issued;
  });

  it('a TEXT key (as EJBCA\'s fingerprint) pages by a keyset walk: every row read, the same findings, named by the key', async () => {
    const copy = join(dir, 'text-key.sqlite');
    const db = new Database(copy);
    db.exec(`ATTACH '${dbPath}' AS source; CREATE TABLE orders AS SELECT * FROM source.orders;
      CREATE TABLE certificates (fingerprint TEXT PRIMARY KEY, order_id TEXT, serial TEXT, der BLOB, issued_at TEXT, revoked_at TEXT, revocation_reason INTEGER);
      INSERT INTO certificates SELECT lower(hex(randomblob(32))), order_id, serial, der, issued_at, revoked_at, revocation_reason FROM source.certificates; DETACH source;`);
    db.close();
    const config = configFor(copy);
    config.database.certificates.columns.id = 'fingerprint';
    config.database.pageSize = 4;
    const byText = await runScan({ config, outDir: join(dir, 'text-out') }, { clock });
    const byInteger = await runScan({ config: configFor(dbPath), outDir: join(dir, 'integer-out') }, { clock });
    expect(byText.summary.certificatesScanned).toBe(byInteger.summary.certificatesScanned);
    expect(byText.summary.findingsByCheck).toEqual(byInteger.summary.findingsByCheck);
    const ids = (parse(readFileSync(join(byText.outDir, 'findings.csv')), { columns: true }) as Array<{ cert_id: string }>).map((row) => row.cert_id);
    expect(byText.summary.certificatesScanned).toBeGreaterThan(0);
    expect(byText.summary.findings).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{64}$/);
  });

  it('PEM text stored in a BLOB column: the certificates are reported undecodable and a warning names the derEncoding that reads them', async () => {
    const copy = join(dir, 'pem-blob.sqlite');
    const db = new Database(copy);
    db.exec(ISSUANCE_SCHEMA);
    db.prepare("INSERT INTO orders (id, organization, country, state, locality, jurisdiction_country, validation_type) VALUES ('MM-1', 'Example Org', 'MM', 'California', 'San Francisco', NULL, 'OV')").run();
    const insert = db.prepare("INSERT INTO certificates (order_id, serial, der, issued_at) VALUES ('MM-1', ?, ?, '2026-10-01T00:00:00Z')");
    issued.forEach((der, index) => insert.run(String(index + 1), Buffer.from(`-----BEGIN CERTIFICATE-----\n${der.toString('base64')}\n-----END CERTIFICATE-----\n`)));
    db.close();
    const { summary } = await runScan({ config: configFor(copy), outDir: join(dir, 'pem-out') }, { clock });
    expect(summary.undecodable).toBe(3);
    expect(summary.warnings).toEqual(['3 of 3 certificates did not decode with database.certificates.derEncoding "blob"; the stored values look like pem: set database.certificates.derEncoding to pem']);
    const config = configFor(copy);
    config.database.certificates.derEncoding = 'pem';
    const fixed = await runScan({ config, outDir: join(dir, 'pem-fixed') }, { clock });
    expect(fixed.summary.undecodable).toBe(0);
    expect(fixed.summary.warnings).toBeUndefined();
  });
});

/** The packages a module reaches through its static (not type-only) imports and its require calls, and through whose. */
function packagesReached(entry: string): Map<string, string> {
  const packages = new Map<string, string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/^(?:import|export)\s+(?!type\b)[^'";]*?from\s+'([^']+)'|^import\s+'([^']+)'|\brequire\('([^']+)'\)/gm)) {
      const specifier = (match[1] ?? match[2] ?? match[3])!;
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else if (!specifier.startsWith('node:') && !packages.has(specifier)) packages.set(specifier, file);
    }
  };
  visit(join(ROOT, entry));
  return packages;
}

describe("the scan's own thread", () => {
  it('does not load pkijs or asn1js (only workers decode; loading them took 0.3 s of every start, before the workers were started)', () => {
    const packages = packagesReached('src/scan.ts');
    expect(packages.get('better-sqlite3')).toBeDefined(); // the walk follows the imports
    expect(packages.get('pkijs')).toBeUndefined();
    expect(packages.get('asn1js')).toBeUndefined();
    // pkijs_module.ts loads both by require (an ESM import of CommonJS scans its source first).
    expect(packagesReached('src/pool/worker.ts').get('pkijs')).toMatch(/pkijs_module\.ts$/);
    expect(packagesReached('src/pool/worker.ts').get('asn1js')).toMatch(/pkijs_module\.ts$/);
  });
});

