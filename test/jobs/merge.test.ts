// certscan merge through the real CLI: only exactly shards 0..N-1 of one source under one config
// merge (issue 14, point 4); unreadable input in a shard makes the merge exit 2 (point 7).
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeIssuanceDatabase } from '../../src/demo/demo_db.js';
import { toPem } from '../../src/demo/demo_exports.js';
import { SCAN_TIME, certificateFor, order, runCli, stderrLines, tempDir } from '../helpers.js';

describe('certscan merge validates the shard set', () => {
  const dir = tempDir();
  const dbA = join(dir, 'a.sqlite');
  const dbB = join(dir, 'b.sqlite');
  const shard = (db: string, k: number, n: number, name: string, extra: string[] = []) => {
    const out = join(dir, name);
    const result = runCli(['scan', '--db', db, '--shard', `${k}/${n}`, '--out', out, '--workers', '1', ...extra]);
    expect(result.code, result.stderr).toBeLessThan(2);
    return out;
  };
  const merge = (name: string, shards: string[]) => runCli(['merge', '--out', join(dir, name), ...shards]);

  beforeAll(() => {
    const mm = order('MM-1', { country: 'MM' });
    const now = { now: new Date(SCAN_TIME) };
    const certificates = Array.from({ length: 8 }, (_, index) => certificateFor(mm, index === 5 ? { country: 'GH' } : {}));
    writeIssuanceDatabase(dbA, { orders: [mm], certificates }, now);
    writeIssuanceDatabase(dbB, { orders: [mm], certificates }, now);
  });

  it('merges shards 0..N-1 of one source', () => {
    const result = merge('good', [join(dir, 'a-1of2'), join(dir, 'a-0of2')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('2 shards, 8 certificates, 1 findings');
    // Its --out is a report set now: not replaced without --force.
    const again = merge('good', [join(dir, 'a-0of2'), join(dir, 'a-1of2')]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already holds a report set');
  });

  it.each([
    ['a shard given twice', () => ['a-0of2', 'a-0of2'], 'is given twice'],
    ['two copies of one shard', () => ['a-0of2', 'a-0of2-copy'], 'are both shard 0/2'],
    ['three shards of a 4-way split', () => ['a-0of4', 'a-1of4', 'a-2of4'], 'shard 3/4 missing: a merge needs all 4 shards'],
    ['shards of different splits', () => ['a-0of2', 'a-1of4'], 'of a 2-way split'],
    ['shards of two databases', () => ['a-0of2', 'b-1of2'], 'b.sqlite'],
    ['shards under two configs', () => ['a-0of2', 'a-1of2-other-config'], 'different configurations'],
    ['a scan that is not a shard', () => ['whole'], 'is not a shard'],
  ])('refuses %s: exit 2 and one line naming the problem', (_label, names, message) => {
    const result = merge(`bad-${names().join('-')}`, names().map((name) => join(dir, name)));
    expect(result.code).toBe(2);
    expect(stderrLines(result.stderr)).toEqual([expect.stringContaining(message)]);
  });

  beforeAll(() => {
    shard(dbA, 0, 2, 'a-0of2');
    shard(dbA, 1, 2, 'a-1of2');
    cpSync(join(dir, 'a-0of2'), join(dir, 'a-0of2-copy'), { recursive: true });
    for (let k = 0; k < 3; k++) shard(dbA, k, 4, `a-${k}of4`);
    shard(dbB, 1, 2, 'b-1of2');
    const other = join(dir, 'other.json');
    writeFileSync(other, JSON.stringify({ checks: { disabled: ['w_order_country_embargoed'] } }));
    shard(dbA, 1, 2, 'a-1of2-other-config', ['--config', other]);
    expect(runCli(['scan', '--db', dbA, '--out', join(dir, 'whole'), '--workers', '1']).code).toBe(1);
  });

  it('exits 2 when a shard could not read some input, as the shards did', () => {
    const issued = writeIssuanceDatabase(join(dir, 'pem.sqlite'), { orders: [order('US-1')], certificates: [certificateFor(order('US-1')), certificateFor(order('US-1'))] }, { now: new Date(SCAN_TIME), keepIssued: true });
    const files = join(dir, 'pem-files');
    mkdirSync(files);
    writeFileSync(join(files, 'a.pem'), toPem(issued.issued[0]!));
    writeFileSync(join(files, 'b-broken.pem'), 'not a certificate');
    writeFileSync(join(files, 'c.pem'), toPem(issued.issued[1]!));
    const issuer = join(dir, 'issuer.pem');
    writeFileSync(issuer, toPem(issued.issuerCertificate));
    const shards = [0, 1].map((k) => {
      const out = join(dir, `pem-${k}`);
      runCli(['scan', '--db', join(dir, 'pem.sqlite'), '--pem', files, '--issuer', issuer, '--shard', `${k}/2`, '--out', out, '--workers', '1']);
      return out;
    });
    const result = merge('pem-merged', shards);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('1 pieces of input could not be read');
  });
});
