// Shared test helpers: temporary folders, fixture paths, and issuance databases built from specs.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { DEFAULT_CONFIG, type ScanConfig } from '../src/config.js';
import type { DemoCertificateSpec, DemoOrder } from '../src/demo/demo_db.js';
import { readPemCertificates } from '../src/decode/pem.js';
import { ORDER_FIELDS } from '../src/sources/order_fields.js';

export const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
export const FIXTURES = join(ROOT, 'test', 'fixtures');

const tempDirs: string[] = [];

/** A fresh temporary folder; test/setup.ts removes the file's folders after its tests. */
export function tempDir(prefix = 'certscan-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** Removes the folders tempDir made (kept when CERTSCAN_KEEP_TEST_DIRS is set, to look into a failure). */
export function removeTempDirs(): void {
  if (process.env.CERTSCAN_KEEP_TEST_DIRS) return;
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

export function configFor(dbPath: string, overrides: Partial<ScanConfig> = {}): ScanConfig {
  const config = structuredClone(DEFAULT_CONFIG);
  config.database.path = dbPath;
  config.workers = 1;
  // Reports and the ledger of a test stay in a temp folder.
  config.output.baseDir = tempDir('certscan-reports-');
  // Tests of other checks name the placeholder and embargo lists they use; the built-in ones
  // (AD; CU, IR, KP, SY) would add warnings to their planted C=AD cases.
  config.checks.placeholderCountries = [];
  config.checks.embargoedCountries = [];
  return { ...config, ...overrides };
}

/** The one certificate in a fixture file (PEM with leading text, or DER). */
export function fixtureCertificate(relative: string): Buffer {
  const bytes = readFileSync(join(FIXTURES, relative));
  if (relative.endsWith('.der')) return bytes;
  const [der] = readPemCertificates(bytes.toString('latin1'));
  if (!der) throw new Error(`no certificate in ${relative}`);
  return der;
}

export function order(id: string, fields: Partial<DemoOrder> = {}): DemoOrder {
  return {
    id,
    organization: 'Example Org',
    country: 'US',
    state: 'California',
    locality: 'San Francisco',
    jurisdictionCountry: null,
    validationType: 'OV',
    ...fields,
  };
}

/** A certificate issued exactly as `forOrder` was vetted, with overrides for the planted defect. */
export function certificateFor(forOrder: DemoOrder, fields: Partial<DemoCertificateSpec> = {}): DemoCertificateSpec {
  return {
    orderId: forOrder.id,
    validationType: forOrder.validationType,
    country: forOrder.country,
    state: forOrder.state,
    locality: forOrder.locality,
    organization: forOrder.organization,
    jurisdictionCountry: forOrder.jurisdictionCountry,
    commonName: `${forOrder.id.toLowerCase()}.example`,
    notBefore: new Date('2026-10-01T00:00:00Z'),
    revokedAt: null,
    revocationReason: null,
    ...fields,
  };
}

export const SCAN_TIME = '2026-11-26T12:00:00Z';

export const CLI = join(ROOT, 'dist', 'src', 'cli.js');

/** The real certscan CLI as a subprocess (the compiled one: npm test builds first). */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd: options.cwd ?? ROOT, env: { ...process.env, ...options.env }, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** stderr as its non-empty lines. */
export const stderrLines = (stderr: string): string[] => stderr.split('\n').filter((line) => line.trim() !== '');

/** The config with issue #15's optional order fields not kept: the six fields a DN-string or export test maps. */
export function withoutOptionalOrderFields(config: ScanConfig): ScanConfig {
  const columns = { ...config.database.orders.columns };
  for (const field of ORDER_FIELDS) if (field.optional) columns[field.name] = null;
  return { ...config, database: { ...config.database, orders: { ...config.database.orders, columns } } };
}
