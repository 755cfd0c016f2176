// Worker CPU per certificate of several builds, measured in one process: each build (a checkout
// with its own dist/) reads the same pages of a corpus with its own database source and inspects
// them, page by page in turn, the order alternating. On a machine others are using, separate
// scans vary by tens of percent from run to run; in one process the load falls on every build
// alike. Not a test: it asserts nothing. Usage (after npm run build in each checkout):
//   node dist/bench/compare_builds.js DB ROUNDS NAME=CHECKOUT[:no15] ...
// `:no15` runs that build without the issue #15 order columns and checks (what they cost).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

interface Page {
  rows: unknown[];
  details: unknown;
  ordersReadable?: boolean;
}

interface Build {
  name: string;
  source: { ranges(pageSize: number): AsyncIterable<unknown>; readPage(range: unknown): Promise<Page> };
  inspectRows: (inspector: unknown, seq: number, rows: unknown[], details: unknown, skip?: unknown, ordersReadable?: boolean) => unknown;
  inspector: unknown;
  readMs: number[];
  inspectMs: number[];
}

/** The issue #15 checks and order fields, switched off by `:no15`. */
const ISSUE_15_CHECKS = [
  'e_ev_business_category_order_mismatch', 'e_subject_registration_number_order_mismatch', 'e_ev_jurisdiction_state_order_mismatch',
  'e_ev_jurisdiction_locality_order_mismatch', 'e_subject_street_address_order_mismatch', 'e_subject_postal_code_order_mismatch',
  'e_subject_org_identifier_order_mismatch', 'e_subject_fields_swapped_order', 'e_ev_vetted_attribute_missing', 'e_order_vetting_stale',
  'e_certificate_issued_before_vetting', 'e_validity_period_too_long',
];
const ISSUE_15_FIELDS = ['businessCategory', 'registrationNumber', 'jurisdictionState', 'jurisdictionLocality', 'streetAddress', 'postalCode', 'organizationIdentifier', 'vettedAt'];

const [databasePath, roundsText, ...specs] = process.argv.slice(2);
if (!databasePath || !roundsText || specs.length === 0) {
  console.error('usage: node dist/bench/compare_builds.js DB ROUNDS NAME=CHECKOUT[:no15] ...');
  process.exit(64);
}

const cpuMs = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

async function loadBuild(spec: string): Promise<Build> {
  const [name, location] = spec.split('=') as [string, string];
  const [checkout, variant] = location.split(':') as [string, string | undefined];
  const module = (path: string) => import(pathToFileURL(resolve(checkout, 'dist/src', path)).href);
  const { openDatabaseSource } = await module('sources/database/database_source.js');
  const { DEFAULT_CONFIG } = await module('config.js');
  const { createInspector, inspectRows } = await module('inspect.js');
  const config = structuredClone(DEFAULT_CONFIG);
  if (variant === 'no15') {
    config.checks.disabled = ISSUE_15_CHECKS;
    for (const field of ISSUE_15_FIELDS) config.database.orders.columns[field] = null;
  }
  // As bench/run_scan.ts configures a scan.
  config.checks.placeholderCountries = ['AD'];
  const source = await openDatabaseSource(resolve(databasePath!), config.database, {});
  const inspector = createInspector({ ...config.checks, disabledChecks: config.checks.disabled, database: config.database });
  return { name, source, inspectRows, inspector, readMs: [], inspectMs: [] };
}

const builds: Build[] = [];
for (const spec of specs) builds.push(await loadBuild(spec));
const ranges: unknown[] = [];
for await (const range of builds[0]!.source.ranges(1000)) ranges.push(range);

let rows = 0;
for (let round = 0; round < Number(roundsText); round++) {
  const read = builds.map(() => 0);
  const inspect = builds.map(() => 0);
  rows = 0;
  for (let page = 0; page < ranges.length; page++) {
    const order = (page + round) % 2 === 0 ? builds.keys() : [...builds.keys()].reverse();
    for (const at of order) {
      const build = builds[at]!;
      let started = cpuMs();
      const { rows: pageRows, details, ordersReadable } = await build.source.readPage(ranges[page]);
      read[at]! += cpuMs() - started;
      started = cpuMs();
      // As the worker does (an older build takes no ordersReadable, and ignores it).
      build.inspectRows(build.inspector, 0, pageRows, details, undefined, ordersReadable);
      inspect[at]! += cpuMs() - started;
      if (at === 0) rows += pageRows.length;
    }
  }
  builds.forEach((build, at) => {
    build.readMs.push(read[at]!);
    build.inspectMs.push(inspect[at]!);
  });
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const perRowUs = (ms: number): number => (ms * 1000) / rows;
const first = perRowUs(median(builds[0]!.readMs) + median(builds[0]!.inspectMs));
console.log(`${rows.toLocaleString('en-US')} certificates a round, ${roundsText} rounds; medians, worker CPU µs per certificate`);
for (const build of builds) {
  const total = perRowUs(median(build.readMs) + median(build.inspectMs));
  const versus = build === builds[0] ? '' : `  ${total >= first ? '+' : ''}${((total / first - 1) * 100).toFixed(1)} % vs ${builds[0]!.name}`;
  console.log(`${build.name.padEnd(12)} read ${perRowUs(median(build.readMs)).toFixed(2)}  inspect ${perRowUs(median(build.inspectMs)).toFixed(2)}  total ${total.toFixed(2)}${versus}`);
}
