import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCAN_TIME, runCli, tempDir } from '../../helpers.js';

describe('--orders with a CT export: the log entries joined with orders from the vetting export', () => {
  it('finds the same cases as with the orders in the database', () => {
    const dir = tempDir();
    const db = join(dir, 'issuance.sqlite');
    const env = { CERTSCAN_NOW: SCAN_TIME };
    expect(runCli(['demo-db', db, '--count', '100'], { cwd: dir, env }).code).toBe(0);
    // The vetting export: the orders table as CSV; then the database keeps only the certificates.
    const source = new Database(db);
    // Every column of the orders table, the vetted fields of issue #15 included.
    const select = source.prepare('SELECT * FROM orders').raw(true);
    const header = select.columns().map((column) => column.name);
    const orders = select.all() as unknown[][];
    const cell = (value: unknown) => (value === null ? '' : `"${String(value).replace(/"/g, '""')}"`);
    writeFileSync(join(dir, 'orders.csv'), [header.join(','), ...orders.map((row) => row.map(cell).join(','))].join('\n') + '\n');
    source.close();
    const ct = join(dir, 'issuance-ct');
    const issuer = join(dir, 'issuance-issuer.pem');
    const withTable = runCli(['scan', '--ct', ct, '--db', db, '--issuer', issuer, '--out', join(dir, 'table'), '--workers', '1'], { cwd: dir, env });
    const dropped = new Database(db);
    dropped.exec('DROP TABLE orders');
    dropped.close();
    const withExport = runCli(['scan', '--ct', ct, '--db', db, '--issuer', issuer, '--orders', join(dir, 'orders.csv'), '--out', join(dir, 'export'), '--workers', '1'], { cwd: dir, env });
    expect(withExport.stderr).toBe('');
    expect([withTable.code, withExport.code]).toEqual([1, 1]);
    const findings = (out: string) => readFileSync(join(dir, out, 'findings.csv'), 'utf8');
    expect(findings('export')).toBe(findings('table'));
    expect(findings('export')).toContain('e_subject_country_order_mismatch');
  });
});
