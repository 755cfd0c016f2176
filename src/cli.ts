#!/usr/bin/env node
// certscan's command line: parse arguments -> load config -> run -> exit code. Nothing else.
import { existsSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { systemClock } from './clock.js';
import { DEFAULT_CONFIG, loadConfigFile, type ScanConfig } from './config.js';
import { OperationalError } from './errors.js';
import { runScan, type ScanOutcome } from './scan.js';
import { writeDemoDatabase } from './demo/demo_db.js';
import { ALL_CHECK_META } from './checks/index.js';
import { VERSION } from './version.js';
import { createProgressBar } from './progress.js';

export const EXIT = { clean: 0, findings: 1, operationalError: 2 } as const;

const USAGE = `certscan ${VERSION}: cross-check issued certificates against vetted orders

Usage:
  certscan scan --db PATH [--out DIR] [--config FILE] [--workers N] [--discovered DATE]
  certscan scan --ct PATH --db PATH [--issuer FILE]...   a static-ct tile mirror or RFC 6962 get-entries pages
  certscan scan --pem PATH --db PATH [--issuer FILE]...  PEM / DER certificate files or a directory of them
  certscan demo [--config FILE] [--out DIR]     build the demo database if absent, then scan it
  certscan demo-db PATH [--count N] [--force]   write a demo issuance database
  certscan checks                               list the checks and the rules they cite

Exit codes: 0 clean, 1 findings, 2 operational error.
Config: --config FILE, else ./scan.config.json when present, else built-in defaults.`;

function parse(argv: string[], options: NonNullable<ParseArgsConfig['options']>) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new OperationalError(`${(error as Error).message.split('\n')[0]} (see certscan --help)`);
  }
}

function loadConfig(path: string | undefined): ScanConfig {
  if (path) return loadConfigFile(path);
  return existsSync('scan.config.json') ? loadConfigFile('scan.config.json') : structuredClone(DEFAULT_CONFIG);
}

function positiveInteger(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new OperationalError(`${flag} must be a positive integer, got ${JSON.stringify(text)}`);
  return value;
}

function parseDate(text: string | undefined, flag: string): Date | undefined {
  if (text === undefined) return undefined;
  const date = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(date.getTime())) throw new OperationalError(`${flag} must be an ISO 8601 date, got ${JSON.stringify(text)}`);
  return date;
}

function report(outcome: ScanOutcome): string {
  const s = outcome.summary;
  const log = s.logEntries ? `; ${s.logEntries.read} log entries read, ${s.logEntries.otherIssuers} of other issuers skipped` : '';
  return (
    `certscan: scanned ${s.certificatesScanned} certificates, ${s.findings} findings on ${s.affectedCertificates} certificates ` +
    `(${s.stillValid} still valid)${log}; reports in ${outcome.outDir}`
  );
}

/** runScan with a progress line when stderr is a terminal. */
async function scanWithProgress(request: Parameters<typeof runScan>[0]): Promise<ScanOutcome> {
  const bar = createProgressBar(process.stderr);
  try {
    let shown = 0;
    return await runScan(request, {
      clock: systemClock,
      onProgress: bar ? (progress) => bar.update(progress) : undefined,
      // One line per unreadable piece of input (the first 20; all are in input-errors.csv).
      onInputProblem: (problem) => {
        if (shown++ < 20) console.error(`certscan: input: ${problem.file} ${problem.at}: ${problem.message}`);
      },
    });
  } finally {
    bar?.finish();
  }
}

async function scanCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    db: { type: 'string' },
    out: { type: 'string' },
    config: { type: 'string' },
    workers: { type: 'string' },
    discovered: { type: 'string' },
    ct: { type: 'string' },
    pem: { type: 'string' },
    issuer: { type: 'string', multiple: true },
  });
  if (!values.db) throw new OperationalError('scan needs --db PATH (see certscan --help)');
  const issuers = values.issuer as string[] | undefined;
  const outcome = await scanWithProgress({
    config: loadConfig(values.config as string | undefined),
    dbPath: values.db as string,
    outDir: values.out as string | undefined,
    workers: positiveInteger(values.workers as string | undefined, '--workers'),
    discoveredAt: parseDate(values.discovered as string | undefined, '--discovered'),
    ct: values.ct as string | undefined,
    pem: values.pem as string | undefined,
    issuers: issuers?.length ? issuers : undefined,
  });
  console.log(report(outcome));
  if (outcome.summary.inputProblems > 0) {
    console.error(`certscan: error: ${outcome.summary.inputProblems} pieces of input could not be read; see ${outcome.outDir}/input-errors.csv`);
    return EXIT.operationalError;
  }
  return outcome.summary.findings > 0 ? EXIT.findings : EXIT.clean;
}

async function demoCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { config: { type: 'string' }, out: { type: 'string' }, count: { type: 'string' } });
  const config = loadConfig(values.config as string | undefined);
  const dbPath = config.database.path;
  if (!existsSync(dbPath)) {
    const built = writeDemoDatabase(dbPath, { count: positiveInteger(values.count as string | undefined, '--count') ?? 2000, clock: systemClock });
    console.log(`certscan: built demo issuance database ${dbPath} (${built.certificates} certificates, ${built.orders} orders)`);
  }
  const outcome = await scanWithProgress({ config, outDir: values.out as string | undefined });
  console.log(report(outcome));
  // The demo's findings are planted: finding them is success.
  return EXIT.clean;
}

function demoDbCommand(argv: string[]): number {
  const { values, positionals } = parse(argv, { count: { type: 'string' }, force: { type: 'boolean' } });
  const path = positionals[0];
  if (!path || positionals.length > 1) throw new OperationalError('demo-db needs exactly one PATH (see certscan --help)');
  const result = writeDemoDatabase(path, {
    count: positiveInteger(values.count as string | undefined, '--count') ?? 2000,
    clock: systemClock,
    overwrite: values.force === true,
  });
  console.log(`certscan: wrote ${result.path}: ${result.certificates} certificates, ${result.orders} orders`);
  for (const item of result.planted) console.log(`  planted id ${item.id} (order ${item.orderId ?? '-'}): ${item.what}`);
  return EXIT.clean;
}

function checksCommand(): number {
  for (const meta of ALL_CHECK_META) {
    console.log(`${meta.name}\n  ${meta.description}\n  rule: ${meta.citation}\n  source: ${meta.source}; effective ${meta.effectiveDate}${meta.ineffectiveDate ? `, retired ${meta.ineffectiveDate}` : ''}`);
  }
  return EXIT.clean;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'scan':
      return scanCommand(rest);
    case 'demo':
      return demoCommand(rest);
    case 'demo-db':
      return demoDbCommand(rest);
    case 'checks':
      return checksCommand();
    case '--version':
    case '-v':
      console.log(VERSION);
      return EXIT.clean;
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      console.log(USAGE);
      return command === undefined ? EXIT.operationalError : EXIT.clean;
    default:
      throw new OperationalError(`unknown command ${JSON.stringify(command)} (see certscan --help)`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`certscan: error: ${message.split('\n')[0]}`);
    if (process.env.CERTSCAN_DEBUG && error instanceof Error) console.error(error.stack);
    process.exitCode = EXIT.operationalError;
  },
);
