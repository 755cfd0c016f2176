// The test files `npm run mutate` runs (stryker.config.json points here), and how. The files left
// out can kill no mutant: the CLI and the server scans run in subprocesses or worker threads on
// dist/, which Stryker does not mutate, and the browser test's scan runs in a beforeAll hook
// (coverage Stryker counts as static, which ignoreStatic leaves out). In a mutation run they only
// cost time. Why each, and the measurements: docs/mutation-testing.md.
import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';
import { endKeptThreads, keptThreadsPool } from './vitest.mutate.pool.js';

export const NOT_IN_MUTATION_RUNS = [
  // a real PostgreSQL / MariaDB server per file: database sources, read in worker threads
  'test/sources/database/server_database.test.ts',
  'test/sources/database/presets/boulder.test.ts',
  'test/sources/database/server_tls.test.ts',
  'test/jobs/merge_servers.test.ts',
  // chromium: report.html as a browser shows it; the scan behind it runs in beforeAll
  'test/reports/html_report.test.ts',
  // only `certscan ...` subprocesses (dist/), no scoped code runs in the test process
  'test/cli.test.ts',
  'test/jobs/merge.test.ts',
  'test/jobs/nightly.test.ts',
  'test/reports/report_dir.test.ts',
  'test/sources/orders/orders_ct.test.ts',
];

/**
 * Whole scans in the test process (runScan, the worker pool): they reach nearly every report, job
 * and ledger mutant, at 3 to 50 s a test, which put the default scope at hours on 2 cores. The
 * default run judges those mutants by the unit tests of their own folders (test/reports/*,
 * test/ledger.test.ts, test/jobs/merge_shards.test.ts); `CERTSCAN_MUTATE_TESTS=all npm run mutate`
 * adds these files back for a thorough run.
 */
export const WHOLE_SCAN_TESTS = [
  'test/scan.test.ts',
  'test/jobs/operations.test.ts',
  'test/pool/pool.test.ts',
  'test/reports/summary.test.ts',
  'test/sources/cert_files.test.ts',
  'test/sources/ct.test.ts',
  'test/sources/ct/duplicate_serials.test.ts',
  'test/sources/database/duplicate_serials.test.ts',
  'test/sources/database/presets/ejbca.test.ts',
  'test/sources/database/row_values.test.ts',
  'test/sources/issuance_db.test.ts',
  'test/sources/order_columns.test.ts',
  'test/sources/revocation.test.ts',
];

const thorough = process.env.CERTSCAN_MUTATE_TESTS === 'all';

export default mergeConfig(
  base,
  defineConfig({
    plugins: [
      {
        // Stryker's runner asks for the 'threads' pool; this replaces it, after the configuration
        // is resolved, with threads that outlive a run (vitest.mutate.pool.ts says why).
        name: 'certscan:kept-threads',
        configureVitest({ project, vitest }) {
          const pool = keptThreadsPool();
          project.config.pool = pool.name;
          project.config.poolRunner = pool;
          vitest.onClose(endKeptThreads);
        },
      },
    ],
    test: {
      // The switch of the previous mutant off first (why: vitest.mutate.setup.ts); then the suite's own.
      setupFiles: ['vitest.mutate.setup.ts', ...base.test!.setupFiles!],
      exclude: thorough ? NOT_IN_MUTATION_RUNS : [...NOT_IN_MUTATION_RUNS, ...WHOLE_SCAN_TESTS],
      // The decoder's differential fuzz (test/decode/facts.test.ts) at a tenth of its size in the
      // default run: a surviving facts.ts mutant runs all of it, 60 s and more under load.
      env: thorough ? {} : { CERTSCAN_FUZZ_SCALE: '0.1' },
      // Stryker switches mutants at run time (ignoreStatic: no mutant needs a fresh module load),
      // so each mutant's rerun can keep pkijs, asn1js and the sources loaded instead of importing
      // them again for every test file.
      isolate: false,
      // A loaded machine makes the 20,000-certificate fuzz of facts.test.ts take over 60 s; a test that
      // fails the initial run stops Stryker, and a mutant that hangs is ended by timeoutMS anyway.
      testTimeout: 300_000,
      hookTimeout: 300_000,
    },
  }),
);
