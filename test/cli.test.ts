import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeIssuanceDatabase } from '../src/demo/demo_db.js';
import { ALL_CHECK_META, CHECKS } from '../src/checks/index.js';
import { ROOT, SCAN_TIME, certificateFor, order, tempDir } from './helpers.js';

const CLI = join(ROOT, 'dist', 'src', 'cli.js');

function certscan(args: string[], cwd = ROOT) {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

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
    ['an unknown option', ['scan', '--db', 'x', '--bogus'], "certscan: error: Unknown option '--bogus'"],
    ['a bad --workers', ['scan', '--db', 'x', '--workers', 'many'], 'certscan: error: --workers must be a positive integer'],
    ['an unknown command', ['frobnicate'], 'certscan: error: unknown command "frobnicate"'],
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
    expect(names).toHaveLength(CHECKS.length + 2);
    for (const meta of ALL_CHECK_META) expect(result.stdout, meta.name).toContain(`${meta.name}\n  ${meta.description}\n  rule: ${meta.citation}\n  source: ${meta.source}; effective ${meta.effectiveDate}`);
    expect(result.stdout).toContain('rule: BR 3.2.2.3');
  });
});
