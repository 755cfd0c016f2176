// npm run bench: end-to-end certificates per second and peak RSS, on corpora the bench builds and
// caches itself (.bench-cache/). Prints the machine it ran on. Not a test: it asserts nothing.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { cpus, availableParallelism, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CACHE_DIR, ensureCorpus, ensureCtTree, issuerPath } from './corpus.js';
import { READ_ONLY_PASSWORD, loadSqliteInto, serversAvailable, startMariadb, startPostgres } from '../test/sources/servers.js';

interface RunResult {
  scanned: number;
  affected: number;
  findings: number;
  seconds: number;
  rate: number;
  peakRssMB: number;
  /** certscan's CPU seconds, all threads: on a shared machine steadier than its wall time. */
  cpuSeconds: number;
  /** The database server's CPU seconds during the scan (servers only). */
  serverCpuSeconds?: number;
  workers: number;
  fastPath: number;
  fallbacks: number;
}

const args = process.argv.slice(2);
const quick = args.includes('--quick');
/** Only the SQLite / PostgreSQL / MariaDB comparison, on the largest corpus. */
const serversOnly = args.includes('--servers');
const sizes = serversOnly ? (quick ? [100_000] : [1_000_000]) : quick ? [20_000, 100_000] : [100_000, 1_000_000];
const workers = availableParallelism();
const log = (line: string) => console.log(line);
const runner = fileURLToPath(new URL('./run_scan.js', import.meta.url));
/** The Node flags of the certscan command's shebang line: the bench scans as the CLI does. */
const cliNodeFlags = readFileSync(new URL('../src/cli.js', import.meta.url), 'utf8').split('\n', 1)[0]!.split(' ').filter((word) => word.startsWith('--'));

function run(db: string, mode: 'fast' | 'full', workerCount: number, ct: string[] = [], env: NodeJS.ProcessEnv = process.env): RunResult {
  const out = join(CACHE_DIR, `out-${mode}-${workerCount}`);
  // Report folders are never reused (a scan refuses one that holds a report set): each run starts clean.
  rmSync(out, { recursive: true, force: true });
  const stdout = execFileSync(process.execPath, [...cliNodeFlags, runner, db, out, mode, String(workerCount), ...ct], { encoding: 'utf8', env });
  return JSON.parse(stdout.trim().split('\n').pop()!) as RunResult;
}

/**
 * The machine a bench runs on may be shared: the same scan varies by up to 20% from one minute to
 * the next. Each fast-path scan runs RUNS times; the table gives the median rate (its run's
 * seconds), the lowest and highest rate, and the highest peak RSS of the runs.
 */
const runsArgument = args.find((arg) => arg.startsWith('--runs='));
/** `--runs=N` for a quicker look (one 1M run of each engine is about ten minutes on 2 cores). */
const RUNS = runsArgument ? Math.max(1, Number(runsArgument.slice('--runs='.length)) || 1) : 3;

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

const loadAverage = () => loadavg().map((load) => load.toFixed(1)).join(' ');

const format = (n: number) => Math.round(n).toLocaleString('en-US');
const row = (label: string, { median, lowest, highest, peakRssMB }: Measured) =>
  `| ${label} | ${format(median.scanned)} | ${median.workers} | ${format(median.rate)} | ${lowest === highest ? '' : `${format(lowest)} – ${format(highest)}`} | ${median.seconds.toFixed(2)} | ${peakRssMB.toFixed(0)} | ${median.affected} |`;

log(`certscan bench on ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load average ${loadAverage()}`);
const now = new Date();
const corpora = sizes.map((size) => ensureCorpus(size, now, log));

const lines = [
  `| run | certificates | workers | certificates/s (median of ${RUNS}) | lowest – highest | seconds | peak RSS MB | affected |`,
  '|---|---|---|---|---|---|---|---|',
];
if (!serversOnly) sizes.forEach((size, index) => {
  const measured = measure(RUNS, () => run(corpora[index]!, 'fast', workers));
  lines.push(row(`certscan, ${format(size)} corpus`, measured));
  if (measured.median.fallbacks) log(`  (${measured.median.fallbacks} certificates fell back to a full pkijs decode)`);
});
const largest = sizes[sizes.length - 1]!;
if (!serversOnly) {
  // The same certificates read from a static-ct tile tree (x509 entries, leaf hashes checked).
  const tree = ensureCtTree(largest, log);
  lines.push(row(`certscan --ct, ${format(largest)}-entry tile tree`, measure(RUNS, () => run(corpora[corpora.length - 1]!, 'fast', workers, [tree, issuerPath(largest)]))));
  // The reference: a full pkijs decode of every certificate, on the smaller corpus (it is ~80x slower: one run).
  lines.push(row(`full pkijs decode of every certificate, ${format(sizes[0]!)} corpus`, measure(1, () => run(corpora[0]!, 'full', workers))));
}
const serverRates = await measureServers(corpora[corpora.length - 1]!, largest);
log('');
for (const line of lines) log(line);
if (serverRates) log(`\n${serverRates}`);

/**
 * CPU seconds of a server so far: its main process and the children it has reaped (PostgreSQL's
 * backends end with their connections); MariaDB's threads are all in its one process.
 */
function serverCpuSeconds(pidFile: string): number {
  const pid = readFileSync(pidFile, 'utf8').split('\n')[0]!.trim();
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime, stime, cutime, cstime: fields 14-17 of proc(5), in clock ticks (100 a second on Linux).
  return fields.slice(11, 15).reduce((sum, ticks) => sum + Number(ticks), 0) / 100;
}

/**
 * The largest corpus loaded into a throwaway PostgreSQL and MariaDB (the tests' servers: temp
 * directories, Unix sockets) and scanned from each, beside SQLite. Peak RSS is certscan's alone.
 */
async function measureServers(corpus: string, size: number): Promise<string | null> {
  const available = serversAvailable();
  if (!available.postgresql || !available.mysql) {
    log('PostgreSQL or MariaDB binaries not found: no server rows');
    return null;
  }
  const sqlite = measure(RUNS, () => run(corpus, 'fast', workers));
  const cpu = (result: RunResult) => `${result.cpuSeconds.toFixed(1)} CPU s${result.serverCpuSeconds === undefined ? '' : ` + ${result.serverCpuSeconds.toFixed(1)} server`}`;
  const rates: string[] = [`SQLite ${format(sqlite.median.rate)}/s (${cpu(sqlite.median)})`];
  for (const start of [startPostgres, startMariadb]) {
    const server = await start();
    try {
      const started = performance.now();
      loadSqliteInto(server, corpus, 'certscan');
      log(`loaded the ${format(size)} corpus into ${server.engine} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      // The password goes by environment, not on a command line that ps shows.
      const url = server.readOnlyUrl('certscan').replace(`:${READ_ONLY_PASSWORD}@`, '@');
      const env = { ...process.env, [server.engine === 'postgresql' ? 'PGPASSWORD' : 'MYSQL_PWD']: READ_ONLY_PASSWORD };
      const pidFile = server.engine === 'postgresql' ? join(server.dir, 'data', 'postmaster.pid') : join(server.dir, 'pid');
      const measured = measure(RUNS, () => {
        const before = serverCpuSeconds(pidFile);
        const result = run(url, 'fast', workers, [], env);
        return { ...result, serverCpuSeconds: serverCpuSeconds(pidFile) - before };
      });
      const name = server.engine === 'postgresql' ? 'PostgreSQL' : 'MariaDB';
      lines.push(row(`certscan from ${name} (Unix socket), ${format(size)} corpus`, measured));
      rates.push(`${name} ${format(measured.median.rate)}/s (${Math.round((100 * measured.median.rate) / sqlite.median.rate)}% of SQLite, peak RSS ${measured.peakRssMB.toFixed(0)} MB, ${cpu(measured.median)})`);
    } finally {
      await server.stop();
    }
  }
  return `Same corpus, same run (load average at the end ${loadAverage()}): ${rates.join(' · ')}`;
}
