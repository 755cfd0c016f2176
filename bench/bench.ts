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

/**
 * The machine a bench runs on may be shared: the same scan varies by up to 20% from one minute to
 * the next. Each fast-path scan runs RUNS times; the table gives the median rate (its run's
 * seconds), the lowest and highest rate, and the highest peak RSS of the runs.
 */
const RUNS = 3;

interface Measured {
  median: RunResult;
  lowest: number;
  highest: number;
  peakRssMB: number;
}

function measure(times: number, once: () => RunResult): Measured {
  const results = Array.from({ length: times }, once).sort((a, b) => a.rate - b.rate);
  return {
    median: results[Math.floor(results.length / 2)]!,
    lowest: results[0]!.rate,
    highest: results[results.length - 1]!.rate,
    peakRssMB: Math.max(...results.map((result) => result.peakRssMB)),
  };
}

const format = (n: number) => Math.round(n).toLocaleString('en-US');
const row = (label: string, { median, lowest, highest, peakRssMB }: Measured) =>
  `| ${label} | ${format(median.scanned)} | ${median.workers} | ${format(median.rate)} | ${lowest === highest ? '' : `${format(lowest)} – ${format(highest)}`} | ${median.seconds.toFixed(2)} | ${peakRssMB.toFixed(0)} | ${median.affected} |`;

log(`certscan bench on ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
const now = new Date();
const corpora = sizes.map((size) => ensureCorpus(size, now, log));

const lines = [
  `| run | certificates | workers | certificates/s (median of ${RUNS}) | lowest – highest | seconds | peak RSS MB | affected |`,
  '|---|---|---|---|---|---|---|---|',
];
sizes.forEach((size, index) => {
  const measured = measure(RUNS, () => run(corpora[index]!, 'fast', workers));
  lines.push(row(`certscan, ${format(size)} corpus`, measured));
  if (measured.median.fallbacks) log(`  (${measured.median.fallbacks} certificates fell back to a full pkijs decode)`);
});
// The same certificates read from a static-ct tile tree (x509 entries, leaf hashes checked).
const largest = sizes[sizes.length - 1]!;
const tree = ensureCtTree(largest, log);
lines.push(row(`certscan --ct, ${format(largest)}-entry tile tree`, measure(RUNS, () => run(corpora[corpora.length - 1]!, 'fast', workers, [tree, issuerPath(largest)]))));
// The reference: a full pkijs decode of every certificate, on the smaller corpus (it is ~80x slower: one run).
lines.push(row(`full pkijs decode of every certificate, ${format(sizes[0]!)} corpus`, measure(1, () => run(corpora[0]!, 'full', workers))));
log('');
for (const line of lines) log(line);
