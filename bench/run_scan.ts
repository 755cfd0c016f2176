// One measured scan in its own process, so that peak RSS belongs to that scan alone.
// Usage: node dist/bench/run_scan.js DB OUT_DIR fast|full WORKERS [CT_TREE ISSUER]
import { readFileSync } from 'node:fs';
import { systemClock } from '../src/clock.js';
import { DEFAULT_CONFIG } from '../src/config.js';
import { runScan } from '../src/scan.js';

/**
 * Peak RSS of this process (worker threads included) from /proc: VmHWM belongs to this process
 * image, unlike getrusage's maxrss, which Linux carries over from the parent across fork + exec.
 */
function peakRssKb(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) : Number.NaN;
}

const [dbPath, outDir, mode, workers, ctTree, issuer] = process.argv.slice(2);
const config = structuredClone(DEFAULT_CONFIG);
config.checks.placeholderCountries = ['AD'];
const started = performance.now();
const { summary } = await runScan(
  { config, dbPath, outDir, ledgerPath: null, workers: Number(workers), fullDecodeOnly: mode === 'full', ...(ctTree && issuer ? { ct: ctTree, issuers: [issuer] } : {}) },
  { clock: systemClock },
);
const seconds = (performance.now() - started) / 1000;
console.log(
  JSON.stringify({
    scanned: summary.certificatesScanned,
    affected: summary.affectedCertificates,
    findings: summary.findings,
    seconds,
    // All threads: with the wall time, it shows how busy the cores were.
    cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
    rate: summary.certificatesScanned / seconds,
    peakRssMB: peakRssKb() / 1024,
    workers: summary.workers,
    fastPath: summary.decoding.fastPath,
    fallbacks: summary.decoding.fastPathFallbacks,
  }),
);
