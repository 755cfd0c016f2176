// Builds (and caches) the benchmark corpus: distinct certificates signed by a demo CA, 70% OV,
// 10% EV, 20% DV, about 5 per order, the planted mismatches of the demo, shuffled so that an
// order's certificates lie far apart as they do in a real issuance database.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planDemoCorpus, seededRandom, writeIssuanceDatabase } from '../src/demo/demo_db.js';
import { writeStaticCtTree, type LogEntrySpec } from '../src/demo/ct_export.js';

export const CACHE_DIR = '.bench-cache';
/** Bumped when the demo schema or corpus changes, so that a stale cached corpus is rebuilt. */
const CORPUS_VERSION = 2;

export function corpusPath(count: number): string {
  return join(CACHE_DIR, `issuance-v${CORPUS_VERSION}-${count}.sqlite`);
}

function ctTreePath(count: number): string {
  return join(CACHE_DIR, `ct-v${CORPUS_VERSION}-${count}`);
}

/** The demo CA's issuing certificate of a corpus (CT scans need it). */
export function issuerPath(count: number): string {
  return join(CACHE_DIR, `issuance-v${CORPUS_VERSION}-${count}.issuer.der`);
}

export function ensureCorpus(count: number, now: Date, log: (line: string) => void): string {
  const path = corpusPath(count);
  if (existsSync(path) && existsSync(issuerPath(count))) return path;
  rmSync(path, { force: true });
  // A new corpus has a new demo CA: a tile tree built from the old one no longer matches it.
  rmSync(ctTreePath(count), { recursive: true, force: true });
  mkdirSync(CACHE_DIR, { recursive: true });
  const started = performance.now();
  log(`building ${count.toLocaleString('en-US')}-certificate corpus in ${path} (cached for later runs)...`);
  const plan = planDemoCorpus(count, now, 20191559);
  const random = seededRandom(376);
  const certificates = plan.certificates;
  for (let index = certificates.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [certificates[index], certificates[other]] = [certificates[other]!, certificates[index]!];
  }
  const { issuerCertificate } = writeIssuanceDatabase(path, plan, { now, seed: count });
  writeFileSync(issuerPath(count), issuerCertificate);
  log(`  built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return path;
}

/**
 * A static-ct tile tree (data tiles, level-0 hash tiles, issuer, checkpoint) holding every
 * certificate of a corpus as an x509 entry, in id order.
 */
export function ensureCtTree(count: number, log: (line: string) => void): string {
  const root = ctTreePath(count);
  if (existsSync(join(root, 'checkpoint'))) return root;
  const started = performance.now();
  log(`building a ${count.toLocaleString('en-US')}-entry static-ct tile tree in ${root}...`);
  const issuer = readFileSync(issuerPath(count));
  const db = new Database(corpusPath(count), { readonly: true });
  const entries: LogEntrySpec[] = [];
  let timestamp = 1_780_000_000_000;
  for (const der of db.prepare('SELECT der FROM certificates ORDER BY id').pluck().iterate() as Iterable<Buffer>) {
    entries.push({ timestamp: timestamp++, certificate: der, chain: [issuer] });
  }
  db.close();
  rmSync(root, { recursive: true, force: true });
  writeStaticCtTree(root, entries, { origin: `bench.example/ct-${count}` });
  log(`  built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return root;
}
