import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeIssuanceDatabase } from '../src/demo/demo_db.js';
import { toPem } from '../src/demo/demo_exports.js';
import { ALL_CHECK_META, CHECKS, PIPELINE_FINDINGS } from '../src/checks/index.js';
import { ROOT, SCAN_TIME, certificateFor, order, tempDir } from './helpers.js';

const CLI = join(ROOT, 'dist', 'src', 'cli.js');

function certscan(args: string[], cwd = ROOT) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the certscan command', () => {
  it('runs as an executable, starting Node with the small young generation of its shebang', () => {
    // The flag keeps the coordinating thread's young generation, and a 1M scan's peak RSS, small
    // (docs/performance.md); a probe module loaded into that process reports Node's own flags.
    const probe = join(tempDir(), 'probe.mjs');
    writeFileSync(probe, "process.on('exit', () => process.stderr.write('execArgv ' + JSON.stringify(process.execArgv)));\n");
    const result = spawnSync(CLI, ['presets'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: `--import=${pathToFileURL(probe).href}` } });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('ejbca');
    expect(result.stderr).toContain('execArgv ["--max-semi-space-size=2"]');
  });
});

describe('certscan CLI exit codes', () => {
  const dir = tempDir();
  const clean = join(dir, 'clean.sqlite');
  const dirty = join(dir, 'dirty.sqlite');

  beforeAll(() => {
    const mm = order('MM-1', { country: 'MM' });
    const now = { now: new Date(SCAN_TIME) };
    writeIssuanceDatabase(clean, { orders: [mm], certificates: [certificateFor(mm), certificateFor(mm)] }, now);
    writeIssuanceDatabase(dirty, { orders: [mm], certificates: [certificateFor(mm), certificateFor(mm, { country: 'AD' })] }, now);
  });

  it('0 when clean', () => {
    const result = certscan(['scan', '--db', clean, '--out', join(dir, 'clean-out'), '--workers', '1']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('scanned 2 certificates, 0 findings');
  });

  it('1 when there are findings, with the reports written', () => {
    const out = join(dir, 'dirty-out');
    const result = certscan(['scan', '--db', dirty, '--out', out, '--workers', '2']);
    expect(result.code).toBe(1);
    expect(readFileSync(join(out, 'findings.csv'), 'utf8')).toContain('subject C=AD but order MM-1 was vetted for MM');
  });

  it.each([
    ['a missing database', ['scan', '--db', '/nonexistent.sqlite'], 'certscan: error: database not found: /nonexistent.sqlite'],
    ['no --db', ['scan'], 'certscan: error: scan needs --db PATH'],
    ['an unknown option', ['scan', '--db', 'x', '--bogus'], 'certscan: error: unknown option --bogus for scan'],
    ['a bad --workers', ['scan', '--db', 'x', '--workers', 'many'], 'certscan: error: --workers must be an integer from 1 to'],
    ['an unknown command', ['frobnicate'], 'certscan: error: unknown command "frobnicate"'],
    ['a bad --report', ['scan', '--db', 'x', '--report', 'final'], 'certscan: error: --report must be full or preliminary, got "final"'],
    ['a discovery date in the future', ['scan', '--db', dirty, '--out', join(dir, 'future'), '--discovered', '2999-01-01'], 'certscan: error: --discovered 2999-01-01T00:00:00.000Z is after this scan'],
    [
      'a discovery date before the first affected certificate',
      ['scan', '--db', dirty, '--out', join(dir, 'early'), '--discovered', '2020-01-01'],
      'certscan: error: --discovered 2020-01-01T00:00:00.000Z is before the first affected certificate was issued',
    ],
  ])('2 with one clear line for %s', (_label, args, message) => {
    const result = certscan(args);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    ['an unknown key', { database: { pageSzie: 10 } }, 'config: database.pageSzie: unknown key'],
    ['a bad value', { workers: 0 }, 'config: workers: must be an integer from 1 to 256, got 0'],
    ['a bad encoding', { database: { certificates: { derEncoding: 'hex' } } }, 'config: database.certificates.derEncoding: must be one of blob, base64, pem'],
    ['an unsafe identifier', { database: { orders: { table: 'orders; DROP TABLE x' } } }, 'config: database.orders.table: must be a plain SQL identifier'],
  ])('2 naming the field for a config with %s', (_label, config, message) => {
    const path = join(dir, 'bad.config.json');
    writeFileSync(path, JSON.stringify(config));
    const result = certscan(['scan', '--db', clean, '--config', path]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toContain(message);
  });

  it('2 for a config that is not JSON', () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{ "workers": ');
    const result = certscan(['scan', '--db', clean, '--config', path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`config: ${path} is not valid JSON`);
  });
});

describe('certscan demo-db and demo', () => {
  it('demo-db writes a database and lists the planted cases; demo scans it and exits 0', () => {
    const dir = tempDir();
    const dbPath = join(dir, 'demo.sqlite');
    const built = certscan(['demo-db', dbPath, '--count', '200']);
    expect(built.code).toBe(0);
    expect(built.stdout).toContain('vetted MM, issued C=AD');
    expect(built.stdout).toContain('vetted LR, issued C=GH');
    expect(built.stdout).toContain('street and postalCode swapped');
    expect(built.stdout.match(/planted id/g)).toHaveLength(16);
    expect(certscan(['demo-db', dbPath]).code).toBe(2); // never overwrites without --force

    writeFileSync(join(dir, 'scan.config.json'), JSON.stringify({ database: { path: dbPath }, output: { baseDir: join(dir, 'reports') } }));
    const demo = certscan(['demo', '--out', join(dir, 'reports', 'demo')], dir);
    expect(demo.code).toBe(0);
    expect(demo.stdout).toContain('reports in');
    expect(existsSync(join(dir, 'reports', 'demo', 'ccadb-appendix.csv'))).toBe(true);
  });

  it('checks lists every check with its rule', () => {
    const result = certscan(['checks']);
    expect(result.code).toBe(0);
    // Every check and pipeline finding, once each, with its rule and effective date.
    const names = result.stdout.split('\n').filter((line) => /^[a-z]/.test(line));
    expect(names).toEqual(ALL_CHECK_META.map((meta) => meta.name));
    expect(names).toHaveLength(CHECKS.length + Object.keys(PIPELINE_FINDINGS).length);
    for (const meta of ALL_CHECK_META) expect(result.stdout, meta.name).toContain(`${meta.name}\n  ${meta.description}\n  rule: ${meta.citation}\n  source: ${meta.source}; effective ${meta.effectiveDate}`);
    expect(result.stdout).toContain('rule: BR 3.2.2.3');
  });
});

describe('help and arguments', () => {
  it.each(['scan', 'audit', 'nightly', 'merge', 'ledger', 'demo', 'demo-db', 'checks'])('certscan %s --help prints that command\'s usage and exits 0', (command) => {
    const result = certscan([command, '--help']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^Usage:\\n  certscan ${command}\\b`));
  });

  it.each([
    ['a misspelled flag', ['scan', '--db', 'x.sqlite', '--discoverd', '2026-01-01'], 'unknown option --discoverd for scan; did you mean --discovered?'],
    ['an extra positional argument', ['scan', '--db', 'x.sqlite', 'extra'], 'unexpected argument "extra" for scan'],
    ['a second demo-db path', ['demo-db', 'a.sqlite', 'b.sqlite'], 'unexpected argument "b.sqlite" for demo-db'],
    ['--workers beyond 4 x cores', ['scan', '--db', 'x.sqlite', '--workers', '300'], '--workers must be an integer from 1 to'],
    ['a demo-db --count beyond the cap', ['demo-db', 'x.sqlite', '--count', '5000000'], '--count must be an integer from 1 to 1000000'],
    ['an option without its value', ['scan', '--db', 'x.sqlite', '--out'], '--out needs a value'],
    ['a misspelled command', ['scna'], 'unknown command "scna"; did you mean scan?'],
  ])('%s: exit 2, one line', (_label, args, message) => {
    const result = certscan(args);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringContaining(`certscan: error: ${message}`)]);
  });
});

describe('exit 2 whenever input could not be read', () => {
  it('audit over files with one unreadable file: the reports are written, one line says so, exit 2', () => {
    const dir = tempDir();
    const mm = order('MM-1', { country: 'MM' });
    const written = writeIssuanceDatabase(join(dir, 'db.sqlite'), { orders: [mm], certificates: [certificateFor(mm), certificateFor(mm, { country: 'AD' })] }, { now: new Date(SCAN_TIME), keepIssued: true });
    const files = join(dir, 'files');
    mkdirSync(files);
    written.issued.forEach((der, index) => writeFileSync(join(files, `${index}.pem`), toPem(der)));
    writeFileSync(join(files, 'broken.pem'), 'no certificate here');
    writeFileSync(join(dir, 'issuer.pem'), toPem(written.issuerCertificate));
    const out = join(dir, 'audit');
    const result = certscan(['audit', '--from', '2020-01-01', '--to', '2030-01-01', '--db', join(dir, 'db.sqlite'), '--pem', files, '--issuer', join(dir, 'issuer.pem'), '--out', out, '--workers', '1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`certscan: error: 1 pieces of input could not be read; see ${join(out, 'input-errors.csv')}`);
    expect(readFileSync(join(out, 'input-errors.csv'), 'utf8')).toContain('broken.pem');
    expect(readFileSync(join(out, 'findings.csv'), 'utf8')).toContain('subject C=AD');
  });
});

describe('what was used is said', () => {
  const dir = tempDir();
  const db = join(dir, 'db.sqlite');

  beforeAll(() => {
    const mm = order('MM-1', { country: 'MM' });
    writeIssuanceDatabase(db, { orders: [mm], certificates: [certificateFor(mm), certificateFor(mm, { country: 'AD' })] }, { now: new Date(SCAN_TIME) });
  });

  it('outside the repository the built-in defaults apply, the same as scan.config.json: the C=AD placeholder warning stays', () => {
    const out = join(dir, 'defaults');
    const result = certscan(['scan', '--db', db, '--out', out, '--workers', '1'], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('config built-in defaults;');
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))).toMatchObject({ configFile: 'built-in defaults', findingsByCheck: { w_subject_country_placeholder: 1 } });
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('configuration `built-in defaults`');
  });

  it('a config file is named by its path', () => {
    const config = join(dir, 'partial.json');
    writeFileSync(config, JSON.stringify({ database: { pageSize: 100 } }));
    const out = join(dir, 'named');
    const result = certscan(['scan', '--db', db, '--out', out, '--config', config, '--workers', '1'], dir);
    expect(result.stdout).toContain(`config ${config};`);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).configFile).toBe(config);
  });

  it('warns about an unknown name in checks.disabled, an audit that matches nothing and an empty certificates table', () => {
    const config = join(dir, 'typo.json');
    writeFileSync(config, JSON.stringify({ checks: { disabled: ['e_subject_country_order_mismatsh'] }, output: { baseDir: join(dir, 'reports') } }));
    const typo = certscan(['scan', '--db', db, '--config', config, '--workers', '1'], dir);
    expect(typo.stderr).toContain('certscan: warning: checks.disabled: no check is named "e_subject_country_order_mismatsh"');

    const nothing = certscan(['audit', '--from', '2020-01-01', '--to', '2030-01-01', '--country', 'ZZ', '--db', db, '--out', join(dir, 'zz'), '--workers', '1'], dir);
    expect(nothing.code).toBe(0);
    expect(nothing.stderr).toContain('certscan: warning: no certificate matched the audit (issued 2020-01-01 to 2030-01-01, orders in ZZ)');

    const empty = join(dir, 'empty.sqlite');
    writeIssuanceDatabase(empty, { orders: [], certificates: [] }, { now: new Date(SCAN_TIME) });
    const none = certscan(['scan', '--db', empty, '--out', join(dir, 'empty'), '--workers', '1'], dir);
    expect(none.code).toBe(0);
    expect(none.stderr).toContain(`certscan: warning: the certificates table of ${empty} is empty`);
  });
});

describe('audit --resume after a kill before the first checkpoint', () => {
  it('starts over (nothing was checkpointed, nothing is lost) and finishes like an uninterrupted audit', async () => {
    const dir = tempDir();
    const db = join(dir, 'db.sqlite');
    expect(certscan(['demo-db', db, '--count', '8000']).code).toBe(0);
    const config = join(dir, 'never.json');
    // No checkpoint until the end: any kill lands before the first one.
    writeFileSync(config, JSON.stringify({ output: { baseDir: join(dir, 'reports'), checkpointIntervalMs: 3_600_000 } }));
    const args = (out: string) => ['audit', '--from', '2019-01-01', '--to', '2027-01-01', '--db', db, '--config', config, '--out', out, '--workers', '1'];
    const env = { ...process.env, CERTSCAN_NOW: SCAN_TIME };
    const reference = spawnSync(process.execPath, [CLI, ...args(join(dir, 'reference'))], { encoding: 'utf8', env });
    expect(reference.status).toBe(1);

    const out = join(dir, 'killed');
    const child = spawn(process.execPath, [CLI, ...args(out)], { env, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolveExit) => child.on('exit', (_code, signal) => resolveExit(signal)));
    while (!(existsSync(out) && readdirSync(out).some((name) => name.endsWith('.partial')))) await new Promise((wait) => setTimeout(wait, 2));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(existsSync(join(out, '.certscan-audit-state.json'))).toBe(false);

    const resumed = spawnSync(process.execPath, [CLI, ...args(out), '--resume'], { encoding: 'utf8', env });
    expect(resumed.stderr).toContain(`${out} holds an audit interrupted before its first checkpoint; starting it over`);
    expect(resumed.status).toBe(1);
    for (const file of ['findings.csv', 'ccadb-appendix.csv', 'summary.json']) expect(readFileSync(join(out, file), 'utf8'), file).toBe(readFileSync(join(dir, 'reference', file), 'utf8'));
    expect(readdirSync(out).filter((name) => name.startsWith('.'))).toEqual([]);
    // A folder with nothing of an audit in it is still "no interrupted audit".
    const nothing = certscan(['audit', '--from', '2019-01-01', '--to', '2027-01-01', '--db', db, '--out', join(dir, 'never-ran'), '--resume']);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('--resume: no interrupted audit in');
  }, 120_000);
});

describe('the demo for every source', () => {
  it('demo-db writes the issuer certificate, PEM files and a CT export of the same corpus; --db, --pem and --ct find the same cases', () => {
    const dir = tempDir();
    const db = join(dir, 'issuance.sqlite');
    const built = certscan(['demo-db', db, '--count', '300']);
    expect(built.code).toBe(0);
    const issuer = join(dir, 'issuance-issuer.pem');
    expect(readFileSync(issuer, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    const scan = (name: string, extra: string[]) => {
      const out = join(dir, name);
      const result = certscan(['scan', '--db', db, '--out', out, '--workers', '1', ...extra]);
      expect(result.code, result.stderr).toBe(1);
      return { summary: JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { certificatesScanned: number; findingsByCheck: Record<string, number> } };
    };
    const fromDb = scan('db', []);
    const fromCt = scan('ct', ['--ct', join(dir, 'issuance-ct'), '--issuer', issuer]);
    const fromPem = scan('pem', ['--pem', join(dir, 'issuance-pem'), '--issuer', issuer]);
    // The planted truncated row is in the database only: a log would not hold half a certificate.
    expect(fromCt.summary.certificatesScanned).toBe(fromDb.summary.certificatesScanned - 1);
    expect(fromPem.summary.certificatesScanned).toBe(fromDb.summary.certificatesScanned - 1);
    const { e_certificate_undecodable: _undecodable, ...fromDbChecks } = fromDb.summary.findingsByCheck;
    expect(fromCt.summary.findingsByCheck).toEqual(fromDbChecks);
    expect(fromPem.summary.findingsByCheck).toEqual(fromDbChecks);
    expect(fromCt.summary.findingsByCheck.e_subject_country_order_mismatch).toBeGreaterThanOrEqual(2);
    // Issue #15's cases are joined from the orders in CT and file scans too (through the order store).
    expect(fromCt.summary.findingsByCheck.e_subject_fields_swapped_order).toBe(1);
    expect(fromCt.summary.findingsByCheck.e_order_vetting_stale).toBe(1);
  });
});
