// npm run bench: end-to-end certificates per second and peak RSS, on corpora the bench builds and
// caches itself (.bench-cache/). Prints the machine it ran on. Not a test: it asserts nothing.
import { execFileSync } from 'node:child_process';
import { cpus, availableParallelism, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CACHE_DIR, ensureCorpus, ensureCtTree, issuerPath } from './corpus.js';

interface RunResult {
  scanned: number;
  affected: number;
  findings: number;
  seconds: number;
  rate: number;
  peakRssMB: number;
  workers: number;
  fastPath: number;
  fallbacks: number;
}

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const sizes = quick ? [20_000, 100_000] : [100_000, 1_000_000];
const workers = availableParallelism();
const log = (line: string) => console.log(line);
const runner = fileURLToPath(new URL('./run_scan.js', import.meta.url));

function run(db: string, mode: 'fast' | 'full', workerCount: number, ct: string[] = []): RunResult {
  const out = join(CACHE_DIR, `out-${mode}-${workerCount}`);
  const stdout = execFileSync(process.execPath, [runner, db, out, mode, String(workerCount), ...ct], { encoding: 'utf8' });
  return JSON.parse(stdout.trim().split('\n').pop()!) as RunResult;
}

const format = (n: number) => Math.round(n).toLocaleString('en-US');
const row = (label: string, result: RunResult) =>
  `| ${label} | ${format(result.scanned)} | ${result.workers} | ${format(result.rate)} | ${result.seconds.toFixed(2)} | ${result.peakRssMB.toFixed(0)} | ${result.affected} |`;

log(`certscan bench on ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
const now = new Date();
const corpora = sizes.map((size) => ensureCorpus(size, now, log));

const lines = ['| run | certificates | workers | certificates/s | seconds | peak RSS MB | affected |', '|---|---|---|---|---|---|---|'];
sizes.forEach((size, index) => {
  const result = run(corpora[index]!, 'fast', workers);
  lines.push(row(`certscan, ${format(size)} corpus`, result));
  if (result.fallbacks) log(`  (${result.fallbacks} certificates fell back to a full pkijs decode)`);
});
// The same certificates read from a static-ct tile tree (x509 entries, leaf hashes checked).
const largest = sizes[sizes.length - 1]!;
const tree = ensureCtTree(largest, log);
lines.push(row(`certscan --ct, ${format(largest)}-entry tile tree`, run(corpora[corpora.length - 1]!, 'fast', workers, [tree, issuerPath(largest)])));
// The reference: a full pkijs decode of every certificate, on the smaller corpus (it is ~60x slower).
lines.push(row(`full pkijs decode of every certificate, ${format(sizes[0]!)} corpus`, run(corpora[0]!, 'full', workers)));
log('');
for (const line of lines) log(line);
