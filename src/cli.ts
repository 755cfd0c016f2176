#!/usr/bin/env -S node --max-semi-space-size=2
// certscan's command line: parse arguments -> load config -> run -> exit code. Nothing else.
// The shebang's flag: this thread only coordinates, and V8's default 16 MB semi-space made its
// young generation alone ~30-50 MB of a 1M scan's peak RSS (docs/performance.md, "main thread").
import { vettedDataSentence } from './reports/vetted_data.js';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { closest, distance } from 'fastest-levenshtein';
import { fixedClock, systemClock, type Clock } from './clock.js';
import { BUILT_IN_DEFAULTS, DEFAULT_CONFIG, loadConfigFile, parseConfig, type ScanConfig } from './config.js';
import { PRESETS } from './sources/database/presets/index.js';
import { OperationalError } from './errors.js';
import { runScan, type ScanOutcome } from './scan.js';
import { writeDemoDatabase } from './demo/demo_db.js';
import { writeDemoExports } from './demo/demo_exports.js';
import { auditReportDir, holdsInterruptedAudit, removeScratch } from './reports/report_dir.js';
import type { ScanSummary } from './reports/summary.js';
import { ALL_CHECK_META } from './checks/index.js';
import { VERSION } from './version.js';
import { createProgressBar } from './progress.js';
import { runNightly } from './jobs/nightly.js';
import { mergeShards } from './jobs/merge.js';
import { verifyLedger } from './ledger.js';
import { classBreakdown, REPORT_TEMPLATES, type ReportTemplate } from './reports/summary.js';
import { join, resolve } from 'node:path';

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

export const EXIT = { clean: 0, findings: 1, operationalError: 2, interrupted: 130, terminated: 143 } as const;

const COMMANDS = ['scan', 'audit', 'nightly', 'merge', 'ledger', 'demo', 'demo-db', 'checks', 'presets'] as const;
type Command = (typeof COMMANDS)[number];

/** Each command's usage: `certscan <command> --help`. */
const COMMAND_USAGE: Record<Command, string> = {
  scan: `certscan scan --db PATH [--out DIR] [--force] [--config FILE] [--workers N] [--discovered DATE] [--shard K/N]
certscan scan --ct PATH --db PATH [--issuer FILE]...   a static-ct tile mirror or RFC 6962 get-entries pages
certscan scan --pem PATH --db PATH [--issuer FILE]...  PEM / DER certificate files or a directory of them
  --db PATH          the issuance database (opened read-only; orders are joined from it)
  --orders FILE|URL  the vetted orders from the vetting system: a .csv (header) / .jsonl export, or another database
  --preset NAME      a CA product's schema (ejbca, boulder; see certscan presets) instead of database.certificates/orders
  --out DIR          report directory; default a new <output.baseDir>/<UTC time>/; one holding a report set is refused
  --force            replace the report set --out holds
  --workers N        worker threads, 1 to 4 x the cores
  --discovered DATE  when the CA first learned of the problem (revocation deadlines run from it)
  --shard K/N        scan slice K (from 0) of N; then certscan merge`,
  audit: `certscan audit --from DATE --to DATE [--country MM,LR] [--db PATH] [--out DIR] [--resume] [--force]
               [--ct PATH | --pem PATH] [--issuer FILE]... [--config FILE] [--workers N] [--discovered DATE]
  retroactive audit of the certificates issued from --from to --to, checkpointed as it goes;
  --resume finishes an interrupted audit in --out (default <output.baseDir>/audit-<from>-<to>[-<countries>])`,
  nightly: `certscan nightly [--config FILE] [--db PATH] [--workers N]
  incremental scan since the last successful night (nightly.stateFile; one state file per database)`,
  merge: `certscan merge --out DIR [--force] [--config FILE] SHARD_DIR...
  merge the report sets of shards 0..N-1 (certscan scan --shard K/N) of one source and config into one`,
  ledger: `certscan ledger verify [--ledger FILE] [--config FILE]
  check the scan ledger's hash chain and the report files it names`,
  demo: `certscan demo [--config FILE] [--out DIR] [--force] [--count N]
  build the demo database (database.path) if absent, with its issuer and CT/PEM exports, then scan it`,
  'demo-db': `certscan demo-db PATH [--count N] [--force]
  write a demo issuance database (default 2,000 certificates, at most 1,000,000) and next to it
  <name>-issuer.pem, <name>-pem/ and <name>-ct/ (the same corpus as PEM files and as a static-ct export)`,
  checks: `certscan checks
  list the checks with the rules they cite and their effective dates`,
  presets: `certscan presets
  list the CA products whose schema --preset NAME (database.preset) maps, and the script each was read from`,
};

const USAGE = `certscan ${VERSION}: cross-check issued certificates against vetted orders

Usage:
  certscan scan --db PATH|URL [--out DIR] [--force] [--config FILE] [--workers N] [--discovered DATE]
                [--report full|preliminary]     summary.md as the CCADB Full (default) or Preliminary Incident Report
  certscan scan --ct PATH --db PATH [--issuer FILE]...   a static-ct tile mirror or RFC 6962 get-entries pages
  certscan scan --pem PATH --db PATH [--issuer FILE]...  PEM / DER certificate files or a directory of them
  certscan scan ... --shard K/N                 scan slice K (from 0) of N; then certscan merge
  certscan nightly [--config FILE] [--db PATH]  incremental scan since the last successful night
  certscan audit --from DATE --to DATE [--country MM,LR] [--db PATH] [--out DIR] [--resume]
                [--ct PATH | --pem PATH] [--issuer FILE]...
                                                retroactive audit, checkpointed as it goes
  certscan merge --out DIR SHARD_DIR...         merge shard report sets into one
  certscan ledger verify [--ledger FILE]        check the scan ledger's hash chain and report files
  certscan demo [--config FILE] [--out DIR]     build the demo database if absent, then scan it
  certscan demo-db PATH [--count N] [--force]   write a demo issuance database, its issuer and CT/PEM exports
  certscan checks                               list the checks and the rules they cite
  certscan presets                              list the CA schemas --preset NAME maps (ejbca, boulder)
  certscan <command> --help                     that command's options

--db takes a SQLite file or a server URL: postgresql://USER@HOST[:PORT]/DB (socket: ?host=/dir),
mysql:// or mariadb://USER@HOST[:PORT]/DB (socket: ?socket=/path); password from PGPASSWORD,
MYSQL_PWD or database.passwordFile (never shown).

Exit codes: 0 clean, 1 findings, 2 operational error or unreadable input, 130 / 143 interrupted (SIGINT / SIGTERM).
Config: --config FILE, else ./scan.config.json when present, else the built-in defaults (equal to the shipped scan.config.json).`;

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses one command's arguments. Unknown options are found first (non-strict pass with tokens)
 * so the message can suggest the nearest known one; then the strict pass checks the values.
 */
function parse(command: Command, argv: string[], options: Options, maxPositionals: number) {
  const { tokens } = parseArgs({ args: argv, options, allowPositionals: true, strict: false, tokens: true });
  for (const token of tokens) {
    if (token.kind !== 'option' || token.name in options) continue;
    const known = Object.keys(options);
    const nearest = known.length ? closest(token.name, known) : undefined;
    const hint = nearest && distance(token.name, nearest) <= Math.max(2, Math.floor(token.name.length / 3)) ? `; did you mean --${nearest}?` : '';
    throw new OperationalError(`unknown option ${token.rawName} for ${command}${hint} (see certscan ${command} --help)`);
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    // Node's text spans lines and quotes; one line that names the option is enough.
    const message = (error as Error).message.split('\n')[0]!.replace(/^Option '(-+\w[\w-]*)(?: <value>)?' argument missing$/, '$1 needs a value');
    throw new OperationalError(`${message} (see certscan ${command} --help)`);
  }
  const extra = parsed.positionals.slice(maxPositionals);
  if (extra.length) throw new OperationalError(`unexpected argument ${JSON.stringify(extra[0])} for ${command} (see certscan ${command} --help)`);
  return parsed;
}

interface LoadedConfig {
  config: ScanConfig;
  /** The file it came from, or "built-in defaults". */
  file: string;
}

function loadConfig(path: string | undefined, preset?: string): LoadedConfig {
  const file = path ?? (existsSync('scan.config.json') ? 'scan.config.json' : undefined);
  const loaded = file
    ? { config: loadConfigFile(file, preset), file: resolve(file) }
    : { config: preset === undefined ? structuredClone(DEFAULT_CONFIG) : parseConfig({ database: { preset } }), file: BUILT_IN_DEFAULTS };
  const known = new Set(ALL_CHECK_META.map((meta) => meta.name));
  for (const name of loaded.config.checks.disabled) if (!known.has(name)) warn(`checks.disabled: no check is named ${JSON.stringify(name)} (see certscan checks)`);
  return loaded;
}

function warn(message: string): void {
  console.error(`certscan: warning: ${message}`);
}

function positiveInteger(text: string | undefined, flag: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new OperationalError(`${flag} must be ${max === Number.MAX_SAFE_INTEGER ? 'a positive integer' : `an integer from 1 to ${max}`}, got ${JSON.stringify(text)}`);
  }
  return value;
}

/** More threads than this only cost memory (--workers 300 took 3.6 GB). */
const MAX_WORKERS = 4 * availableParallelism();
/** demo-db writes as it goes, but plans the whole corpus first: a million is plenty for a demo. */
const MAX_DEMO_CERTIFICATES = 1_000_000;

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

function report(outcome: ScanOutcome, configFile: string): string {
  const s = outcome.summary;
  const log = s.logEntries ? `; ${s.logEntries.read} entries read, ${s.logEntries.issuerFilter ? `${s.logEntries.otherIssuers} of other issuers skipped` : 'no issuer filter'}${s.logEntries.otherObjects ? `, ${s.logEntries.otherObjects} PEM objects that are not certificates skipped` : ''}` : '';
  const restarts = s.workerRestarts ? `; ${s.workerRestarts} worker thread(s) died and were replaced (see findings.csv)` : '';
  const vetted = s.vettedData ? `; ${vettedDataSentence(s.vettedData).replace(/`/g, '')}` : '';
  return (
    `certscan: scanned ${s.certificatesScanned} certificates, ${s.findings} findings on ${s.affectedCertificates} certificates ` +
    `(${classBreakdown(s)})${log}${restarts}${vetted}; config ${configFile}; reports in ${outcome.outDir}`
  );
}

/**
 * The exit code of a finished run: 2 whenever some input could not be read (whatever else was
 * found), else 1 for findings, else 0. Says so on stderr.
 */
function exitCodeOf(summary: ScanSummary, outDir: string, say: (message: string) => void = (message) => console.error(`certscan: error: ${message}`)): number {
  for (const warning of summary.warnings ?? []) warn(warning);
  if (summary.inputProblems > 0) {
    say(`${summary.inputProblems} pieces of input could not be read; see ${join(outDir, 'input-errors.csv')}`);
    return EXIT.operationalError;
  }
  return summary.findings > 0 ? EXIT.findings : EXIT.clean;
}

/** What a signal handler says after removing the scratch files; set by the running command. */
let interruptNote = 'no report was written';

/**
 * SIGINT / SIGTERM: remove every temp and scratch file and a report folder left empty (the
 * workers end with the process), print one line, exit 130 / 143.
 */
function exitOnSignals(): void {
  const handle = (signal: 'SIGINT' | 'SIGTERM', code: number) =>
    process.once(signal, () => {
      removeScratch();
      console.error(`certscan: interrupted by ${signal}; ${interruptNote}`);
      process.exit(code);
    });
  handle('SIGINT', EXIT.interrupted);
  handle('SIGTERM', EXIT.terminated);
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
  force: { type: 'boolean' },
  config: { type: 'string' },
  workers: { type: 'string' },
  discovered: { type: 'string' },
  ct: { type: 'string' },
  pem: { type: 'string' },
  issuer: { type: 'string', multiple: true },
  report: { type: 'string' },
  preset: { type: 'string' },
  orders: { type: 'string' },
} as const satisfies Options;

type OptionValues = Record<string, string | boolean | Array<string | boolean> | undefined>;

/** The request fields those shared options give (the config is loaded from --config). */
function sourceRequest(values: OptionValues) {
  const issuers = values.issuer as string[] | undefined;
  const loaded = loadConfig(values.config as string | undefined, values.preset as string | undefined);
  if (values.orders !== undefined) loaded.config.database.orders.source = values.orders as string;
  return {
    config: loaded.config,
    configFile: loaded.file,
    dbPath: values.db as string | undefined,
    outDir: values.out as string | undefined,
    force: values.force === true,
    workers: positiveInteger(values.workers as string | undefined, '--workers', MAX_WORKERS),
    discoveredAt: parseDate(values.discovered as string | undefined, '--discovered'),
    ct: values.ct as string | undefined,
    pem: values.pem as string | undefined,
    issuers: issuers?.length ? issuers : undefined,
    reportTemplate: reportTemplate(values.report as string | undefined),
  };
}

/** An empty table or a filter that matched nothing is worth a line: the run was probably not the one meant. */
function warnIfNothingScanned(summary: ScanSummary, what: string): void {
  if (summary.certificatesScanned === 0) warn(what);
}

/** `--report full|preliminary`: which CCADB template summary.md follows. */
function reportTemplate(text: string | undefined): ReportTemplate | undefined {
  if (text === undefined) return undefined;
  if (!(REPORT_TEMPLATES as readonly string[]).includes(text)) throw new OperationalError(`--report must be ${REPORT_TEMPLATES.join(' or ')}, got ${JSON.stringify(text)}`);
  return text as ReportTemplate;
}

async function scanCommand(argv: string[]): Promise<number> {
  const { values } = parse('scan', argv, { ...SOURCE_OPTIONS, shard: { type: 'string' } }, 0);
  const request = { ...sourceRequest(values), shard: parseShard(values.shard as string | undefined) };
  if (!values.db && !request.config.database.url) throw new OperationalError('scan needs --db PATH or URL (see certscan scan --help)');
  const outcome = await scanWithProgress(request);
  console.log(report(outcome, request.configFile));
  if (!request.shard) warnIfNothingScanned(outcome.summary, request.ct || request.pem ? `no certificate of the CA's issuers in ${request.ct ?? request.pem}` : `the certificates table of ${outcome.summary.source.path} is empty`);
  return exitCodeOf(outcome.summary, outcome.outDir);
}

/** Builds a demo database with its issuer and CT / PEM exports, and says where they are. */
function buildDemo(path: string, count: number, clock: Clock, overwrite: boolean): void {
  const result = writeDemoDatabase(path, { count, clock, overwrite });
  const exports = writeDemoExports(path, result.issuerCertificate);
  console.log(`certscan: wrote ${result.path}: ${result.certificates} certificates, ${result.orders} orders`);
  for (const item of result.planted) console.log(`  planted id ${item.id} (order ${item.orderId ?? '-'}): ${item.what}`);
  console.log(`  issuer certificate ${exports.issuerPem}; the same corpus as PEM files in ${exports.pemDir}/ and as a static-ct export (${exports.ctEntries} entries) in ${exports.ctDir}/`);
  console.log(`  try: certscan scan --db ${path} --ct ${exports.ctDir} --issuer ${exports.issuerPem}`);
}

async function demoCommand(argv: string[]): Promise<number> {
  const { values } = parse('demo', argv, { config: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' }, count: { type: 'string' } }, 0);
  const { config, file } = loadConfig(values.config as string | undefined);
  const dbPath = config.database.path;
  if (!existsSync(dbPath)) buildDemo(dbPath, positiveInteger(values.count as string | undefined, '--count', MAX_DEMO_CERTIFICATES) ?? 2000, clockFromEnvironment(), false);
  const outcome = await scanWithProgress({ config, configFile: file, outDir: values.out as string | undefined, force: values.force === true });
  console.log(report(outcome, file));
  // The demo's findings are planted: finding them is success; unreadable input is not.
  return exitCodeOf(outcome.summary, outcome.outDir) === EXIT.operationalError ? EXIT.operationalError : EXIT.clean;
}

function demoDbCommand(argv: string[]): number {
  const { values, positionals } = parse('demo-db', argv, { count: { type: 'string' }, force: { type: 'boolean' } }, 1);
  const path = positionals[0];
  if (!path) throw new OperationalError('demo-db needs a PATH (see certscan demo-db --help)');
  buildDemo(path, positiveInteger(values.count as string | undefined, '--count', MAX_DEMO_CERTIFICATES) ?? 2000, systemClock, values.force === true);
  return EXIT.clean;
}

/** Without a terminal (cron), errors go to stderr as one JSON line each. */
function logError(message: string): void {
  if (process.stderr.isTTY) console.error(`certscan: error: ${message}`);
  else console.error(JSON.stringify({ level: 'error', time: new Date().toISOString(), message }));
}

async function nightlyCommand(argv: string[]): Promise<number> {
  const { values } = parse('nightly', argv, { config: { type: 'string' }, db: { type: 'string' }, workers: { type: 'string' }, preset: { type: 'string' } }, 0);
  const { config, file } = loadConfig(values.config as string | undefined, values.preset as string | undefined);
  interruptNote = 'the nightly checkpoint did not move; the next run scans this night again';
  try {
    const outcome = await runNightly(config, { clock: clockFromEnvironment() }, {
      dbPath: values.db as string | undefined,
      workers: positiveInteger(values.workers as string | undefined, '--workers', MAX_WORKERS),
      configFile: file,
    });
    const s = outcome.summary;
    console.log(
      `certscan nightly: ids ${s.source.firstId ?? '-'}..${s.source.lastId ?? '-'}, ${s.certificatesScanned} certificates, ` +
        `${s.findings} new findings on ${s.affectedCertificates} certificates; checkpoint id ${outcome.state.highestId ?? '-'}; config ${file}; reports in ${outcome.outDir}`,
    );
    return exitCodeOf(s, outcome.outDir, logError);
  } catch (error) {
    logError((error as Error).message.split('\n')[0]!);
    return EXIT.operationalError;
  }
}

async function auditCommand(argv: string[]): Promise<number> {
  const { values } = parse('audit', argv, { ...SOURCE_OPTIONS, from: { type: 'string' }, to: { type: 'string' }, country: { type: 'string' }, resume: { type: 'boolean' } }, 0);
  const from = parseDate(values.from as string | undefined, '--from');
  const to = parseDate(values.to as string | undefined, '--to');
  if (!from || !to) throw new OperationalError('audit needs --from DATE and --to DATE (see certscan audit --help)');
  if (from >= to) throw new OperationalError('--from must be before --to');
  const countries = (values.country as string | undefined)?.split(',').map((code) => code.trim().toUpperCase()).filter(Boolean);
  if (countries?.some((code) => !/^[A-Z]{2}$/.test(code))) throw new OperationalError(`--country takes two-letter codes separated by commas, got ${JSON.stringify(values.country)}`);
  const request = sourceRequest(values);
  const config = request.config;
  const day = (date: Date) => date.toISOString().slice(0, 10);
  const outDir = request.outDir ?? auditReportDir(join(config.output.baseDir, `audit-${day(from)}-${day(to)}${countries?.length ? `-${countries.join('-')}` : ''}`));
  const resuming = values.resume === true;
  const interrupted = holdsInterruptedAudit(outDir);
  if (!resuming && (interrupted.checkpointed || interrupted.partial)) {
    throw new OperationalError(`an interrupted audit is in ${outDir}: add --resume to finish it, or choose another --out`);
  }
  if (resuming && !interrupted.checkpointed) {
    if (!interrupted.partial) throw new OperationalError(`--resume: no interrupted audit in ${outDir}`);
    // Killed before its first checkpoint: nothing was kept, so nothing is lost by starting over.
    warn(`${outDir} holds an audit interrupted before its first checkpoint; starting it over`);
  }
  interruptNote = `the audit's checkpoint stays in ${outDir}: run the same command with --resume to finish it`;
  const outcome = await scanWithProgress({
    ...request,
    outDir,
    filter: { issuedFrom: from.toISOString(), issuedTo: to.toISOString(), ...(countries?.length ? { orderCountries: countries } : {}) },
    resumable: true,
    kind: 'audit',
  });
  console.log(report(outcome, request.configFile));
  warnIfNothingScanned(outcome.summary, `no certificate matched the audit (issued ${day(from)} to ${day(to)}${countries?.length ? `, orders in ${countries.join(', ')}` : ''})`);
  return exitCodeOf(outcome.summary, outcome.outDir);
}

function ledgerCommand(argv: string[]): number {
  const { values, positionals } = parse('ledger', argv, { config: { type: 'string' }, ledger: { type: 'string' } }, 1);
  if (positionals[0] !== 'verify') throw new OperationalError('usage: certscan ledger verify [--ledger FILE]');
  const path = (values.ledger as string | undefined) ?? join(loadConfig(values.config as string | undefined).config.output.baseDir, 'ledger.jsonl');
  if (!existsSync(path)) throw new OperationalError(`no ledger at ${path}`);
  const { entries, problems, head } = verifyLedger(path);
  for (const problem of problems) console.log(`line ${problem.line}: ${problem.problem}`);
  console.log(`certscan ledger: ${entries} entries, ${problems.length} problems; head ${head}`);
  return problems.length ? EXIT.findings : EXIT.clean;
}

async function mergeCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse('merge', argv, { out: { type: 'string' }, force: { type: 'boolean' }, config: { type: 'string' } }, Number.MAX_SAFE_INTEGER);
  if (!values.out) throw new OperationalError('merge needs --out DIR and the shard report directories (see certscan merge --help)');
  const { config } = loadConfig(values.config as string | undefined);
  const summary = await mergeShards(positionals, values.out as string, { now: clockFromEnvironment()(), ledgerPath: join(config.output.baseDir, 'ledger.jsonl'), force: values.force === true });
  console.log(`certscan merge: ${positionals.length} shards, ${summary.certificatesScanned} certificates, ${summary.findings} findings on ${summary.affectedCertificates} certificates; reports in ${values.out}`);
  return exitCodeOf(summary, values.out as string);
}

function checksCommand(argv: string[]): number {
  parse('checks', argv, {}, 0);
  for (const meta of ALL_CHECK_META) {
    console.log(`${meta.name}\n  ${meta.description}\n  rule: ${meta.citation}\n  source: ${meta.source}; effective ${meta.effectiveDate}${meta.ineffectiveDate ? `, retired ${meta.ineffectiveDate}` : ''}`);
  }
  return EXIT.clean;
}

function presetsCommand(argv: string[]): number {
  parse('presets', argv, {}, 0);
  for (const preset of PRESETS) {
    const { certificates, orders } = preset.database;
    console.log(`${preset.name}\n  ${preset.product}: ${certificates.table} and ${orders.table}\n  ${preset.notes}\n  schema read from: ${preset.schemaSource}`);
  }
  return EXIT.clean;
}

const isCommand = (name: string | undefined): name is Command => (COMMANDS as readonly string[]).includes(name ?? '');

/** `--help` or `-h` among a command's options (not after `--`). */
function asksForHelp(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (isCommand(command) && asksForHelp(rest)) {
    console.log(`Usage:\n${COMMAND_USAGE[command].replace(/^/gm, '  ')}`);
    return EXIT.clean;
  }
  if (command === 'help' && isCommand(rest[0])) return main([rest[0], '--help']);
  // demo-db writes synchronously: a handler would only run once it is done, so it keeps Node's default.
  if (command !== 'demo-db') exitOnSignals();
  switch (command) {
    case 'scan':
      return scanCommand(rest);
    case 'demo':
      return demoCommand(rest);
    case 'demo-db':
      return demoDbCommand(rest);
    case 'checks':
      return checksCommand(rest);
    case 'presets':
      return presetsCommand(rest);
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
    default: {
      const nearest = closest(command, [...COMMANDS]);
      const hint = distance(command, nearest) <= 2 ? `; did you mean ${nearest}?` : '';
      throw new OperationalError(`unknown command ${JSON.stringify(command)}${hint} (see certscan --help)`);
    }
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
