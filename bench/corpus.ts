// Builds (and caches) the benchmark corpus: distinct certificates signed by a demo CA, 70% OV,
// 10% EV, 20% DV, about 5 per order, the planted mismatches of the demo, shuffled so that an
// order's certificates lie far apart as they do in a real issuance database.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { planDemoCorpus, seededRandom, writeIssuanceDatabase } from '../src/demo/demo_db.js';

export const CACHE_DIR = '.bench-cache';

export function corpusPath(count: number): string {
  return join(CACHE_DIR, `issuance-${count}.sqlite`);
}

export function ensureCorpus(count: number, now: Date, log: (line: string) => void): string {
  const path = corpusPath(count);
  if (existsSync(path)) return path;
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
  writeIssuanceDatabase(path, plan, { now, seed: count });
  log(`  built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return path;
}
