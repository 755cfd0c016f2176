#!/usr/bin/env node
// certscan's command line: parse arguments -> load config -> run -> exit code. Nothing else.
import { existsSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { fixedClock, systemClock, type Clock } from './clock.js';
import { DEFAULT_CONFIG, loadConfigFile, type ScanConfig } from './config.js';
import { OperationalError } from './errors.js';
import { runScan, type ScanOutcome } from './scan.js';
import { writeDemoDatabase } from './demo/demo_db.js';
import { ALL_CHECK_META } from './checks/index.js';
import { VERSION } from './version.js';
import { createProgressBar } from './progress.js';
import { runNightly } from './jobs/nightly.js';
import { mergeShards } from './jobs/merge.js';
import { verifyLedger } from './ledger.js';
import { join } from 'node:path';

/**
 * The clock: the system's, unless CERTSCAN_NOW fixes it (reproducible runs: the same audit
 * twice gives byte-identical reports, timestamps included).
 */
function clockFromEnvironment(): Clock {
  const fixed = process.env.CERTSCAN_NOW;
  if (!fixed) return systemClock;
  if (Number.isNaN(Date.parse(fixed))) throw new OperationalError(`CERTSCAN_NOW must be an ISO 8601 time, got ${JSON.stringify(fixed)}`);
  return fixedClock(fixed);
}

export const EXIT = { clean: 0, findings: 1, operationalError: 2 } as const;

const USAGE = `certscan ${VERSION}: cross-check issued certificates against vetted orders

Usage:
  certscan scan --db PATH|URL [--out DIR] [--config FILE] [--workers N] [--discovered DATE]
  certscan scan --ct PATH --db PATH [--issuer FILE]...   a static-ct tile mirror or RFC 6962 get-entries pages
  certscan scan --pem PATH --db PATH [--issuer FILE]...  PEM / DER certificate files or a directory of them
  certscan scan ... --shard K/N                 scan slice K (from 0) of N; then certscan merge
  certscan nightly [--config FILE] [--db PATH]  incremental scan since the last successful night
  certscan audit --from DATE --to DATE [--country MM,LR] [--db PATH] [--out DIR] [--resume]
                [--ct PATH | --pem PATH] [--issuer FILE]...
                                                retroactive audit, checkpointed after every batch
  certscan merge --out DIR SHARD_DIR...         merge shard report sets into one
  certscan ledger verify [--ledger FILE]        check the scan ledger's hash chain and report files
  certscan demo [--config FILE] [--out DIR]     build the demo database if absent, then scan it
  certscan demo-db PATH [--count N] [--force]   write a demo issuance database
  certscan checks                               list the checks and the rules they cite

--db takes a SQLite file or a server URL: postgresql://USER@HOST[:PORT]/DB (socket: ?host=/dir),
mysql:// or mariadb://USER@HOST[:PORT]/DB (socket: ?socket=/path); password from PGPASSWORD,
MYSQL_PWD or database.passwordFile (never shown).

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

/** `--shard K/N`, K from 0 (Kubernetes' JOB_COMPLETION_INDEX). */
function parseShard(text: string | undefined): { index: number; count: number } | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index >= count) throw new OperationalError(`--shard must be K/N with 0 <= K < N, got ${JSON.stringify(text)}`);
  return { index, count };
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
      clock: clockFromEnvironment(),
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

/** The options scan and audit share: where to read, where to write, how. */
const SOURCE_OPTIONS = {
  db: { type: 'string' },
  out: { type: 'string' },
  config: { type: 'string' },
  workers: { type: 'string' },
  discovered: { type: 'string' },
  ct: { type: 'string' },
  pem: { type: 'string' },
  issuer: { type: 'string', multiple: true },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

type OptionValues = Record<string, string | boolean | Array<string | boolean> | undefined>;

/** The request fields those shared options give (the config is loaded from --config). */
function sourceRequest(values: OptionValues) {
  const issuers = values.issuer as string[] | undefined;
  return {
    config: loadConfig(values.config as string | undefined),
    dbPath: values.db as string | undefined,
    outDir: values.out as string | undefined,
    workers: positiveInteger(values.workers as string | undefined, '--workers'),
    discoveredAt: parseDate(values.discovered as string | undefined, '--discovered'),
    ct: values.ct as string | undefined,
    pem: values.pem as string | undefined,
    issuers: issuers?.length ? issuers : undefined,
  };
}

async function scanCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { ...SOURCE_OPTIONS, shard: { type: 'string' } });
  const request = sourceRequest(values);
  if (!values.db && !request.config.database.url) throw new OperationalError('scan needs --db PATH or URL (see certscan --help)');
  const outcome = await scanWithProgress({ ...request, shard: parseShard(values.shard as string | undefined) });
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
    const built = writeDemoDatabase(dbPath, { count: positiveInteger(values.count as string | undefined, '--count') ?? 2000, clock: clockFromEnvironment() });
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

/** Without a terminal (cron), errors go to stderr as one JSON line each. */
function logError(message: string): void {
  if (process.stderr.isTTY) console.error(`certscan: error: ${message}`);
  else console.error(JSON.stringify({ level: 'error', time: new Date().toISOString(), message }));
}

async function nightlyCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { config: { type: 'string' }, db: { type: 'string' }, workers: { type: 'string' } });
  const config = loadConfig(values.config as string | undefined);
  try {
    const outcome = await runNightly(config, { clock: clockFromEnvironment() }, {
      dbPath: values.db as string | undefined,
      workers: positiveInteger(values.workers as string | undefined, '--workers'),
    });
    const s = outcome.summary;
    console.log(
      `certscan nightly: ids ${s.source.firstId ?? '-'}..${s.source.lastId ?? '-'}, ${s.certificatesScanned} certificates, ` +
        `${s.findings} new findings on ${s.affectedCertificates} certificates; checkpoint id ${outcome.state.highestId ?? '-'}; reports in ${outcome.outDir}`,
    );
    if (s.inputProblems > 0) return EXIT.operationalError;
    return s.findings > 0 ? EXIT.findings : EXIT.clean;
  } catch (error) {
    logError((error as Error).message.split('\n')[0]!);
    return EXIT.operationalError;
  }
}

async function auditCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, { ...SOURCE_OPTIONS, from: { type: 'string' }, to: { type: 'string' }, country: { type: 'string' }, resume: { type: 'boolean' } });
  const from = parseDate(values.from as string | undefined, '--from');
  const to = parseDate(values.to as string | undefined, '--to');
  if (!from || !to) throw new OperationalError('audit needs --from DATE and --to DATE (see certscan --help)');
  if (from >= to) throw new OperationalError('--from must be before --to');
  const countries = (values.country as string | undefined)?.split(',').map((code) => code.trim().toUpperCase()).filter(Boolean);
  if (countries?.some((code) => !/^[A-Z]{2}$/.test(code))) throw new OperationalError(`--country takes two-letter codes separated by commas, got ${JSON.stringify(values.country)}`);
  const request = sourceRequest(values);
  const config = request.config;
  const day = (date: Date) => date.toISOString().slice(0, 10);
  const outDir = request.outDir ?? join(config.output.baseDir, `audit-${day(from)}-${day(to)}${countries?.length ? `-${countries.join('-')}` : ''}`);
  const resuming = values.resume === true;
  if (!resuming && existsSync(join(outDir, '.certscan-audit-state.json'))) {
    throw new OperationalError(`an interrupted audit is in ${outDir}: add --resume to finish it, or choose another --out`);
  }
  if (resuming && !existsSync(join(outDir, '.certscan-audit-state.json'))) {
    throw new OperationalError(`--resume: no interrupted audit in ${outDir}`);
  }
  const outcome = await scanWithProgress({
    ...request,
    outDir,
    filter: { issuedFrom: from.toISOString(), issuedTo: to.toISOString(), ...(countries?.length ? { orderCountries: countries } : {}) },
    resumable: true,
    kind: 'audit',
  });
  console.log(report(outcome));
  return outcome.summary.findings > 0 ? EXIT.findings : EXIT.clean;
}

function ledgerCommand(argv: string[]): number {
  const { values, positionals } = parse(argv, { config: { type: 'string' }, ledger: { type: 'string' } });
  if (positionals[0] !== 'verify') throw new OperationalError('usage: certscan ledger verify [--ledger FILE]');
  const path = (values.ledger as string | undefined) ?? join(loadConfig(values.config as string | undefined).output.baseDir, 'ledger.jsonl');
  if (!existsSync(path)) throw new OperationalError(`no ledger at ${path}`);
  const { entries, problems, head } = verifyLedger(path);
  for (const problem of problems) console.log(`line ${problem.line}: ${problem.problem}`);
  console.log(`certscan ledger: ${entries} entries, ${problems.length} problems; head ${head}`);
  return problems.length ? EXIT.findings : EXIT.clean;
}

function mergeCommand(argv: string[]): number {
  const { values, positionals } = parse(argv, { out: { type: 'string' }, config: { type: 'string' } });
  if (!values.out) throw new OperationalError('merge needs --out DIR and the shard report directories');
  const config = loadConfig(values.config as string | undefined);
  const summary = mergeShards(positionals, values.out as string, { now: clockFromEnvironment()(), ledgerPath: join(config.output.baseDir, 'ledger.jsonl') });
  console.log(`certscan merge: ${positionals.length} shards, ${summary.certificatesScanned} certificates, ${summary.findings} findings on ${summary.affectedCertificates} certificates; reports in ${values.out}`);
  return summary.findings > 0 ? EXIT.findings : EXIT.clean;
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
    case 'nightly':
      return nightlyCommand(rest);
    case 'audit':
      return auditCommand(rest);
    case 'ledger':
      return ledgerCommand(rest);
    case 'merge':
      return mergeCommand(rest);
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
