// The test files `npm run mutate` runs (stryker.config.json points here), and how. The files left
// out can kill no mutant: the CLI and the server scans run in subprocesses or worker threads on
// dist/, which Stryker does not mutate, and the browser test's scan runs in a beforeAll hook
// (coverage Stryker counts as static, which ignoreStatic leaves out). In a mutation run they only
// cost time. Why each, and the measurements: docs/mutation-testing.md.
import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

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

export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: NOT_IN_MUTATION_RUNS,
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
