// Report folders through the real CLI: never reused, refused when they cannot be made or hold a
// report set, and nothing left behind by an interrupted scan (issue 14, points 1 to 3).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeIssuanceDatabase } from '../../src/demo/demo_db.js';
import { CLI, SCAN_TIME, certificateFor, order, runCli, sha256File, stderrLines, tempDir } from '../helpers.js';

describe('report folders', () => {
  const dir = tempDir();
  const db = join(dir, 'db.sqlite');

  beforeAll(() => {
    const mm = order('MM-1', { country: 'MM' });
    writeIssuanceDatabase(db, { orders: [mm], certificates: [certificateFor(mm), certificateFor(mm, { country: 'GH' })] }, { now: new Date(SCAN_TIME) });
  });

  it.each([
    ['scan', ['scan', '--db', 'DB', '--out', '/proc/certscan-out'], '--out /proc/certscan-out: cannot create the report directory'],
    ['audit', ['audit', '--from', '2020-01-01', '--to', '2030-01-01', '--db', 'DB', '--out', '/proc/x/y'], '--out /proc/x/y: cannot create the report directory'],
  ])('a %s --out that cannot be made: one line naming --out, exit 2, at once', (_label, args, message) => {
    const started = Date.now();
    const result = spawnSync(process.execPath, [CLI, ...args.map((arg) => (arg === 'DB' ? db : arg))], { encoding: 'utf8', timeout: 20_000 });
    expect(result.status).toBe(2);
    expect(stderrLines(result.stderr)).toEqual([expect.stringContaining(message)]);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('an --out that is a file or cannot be written names --out, not EEXIST', () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a folder');
    const onFile = runCli(['scan', '--db', db, '--out', file]);
    expect(onFile.code).toBe(2);
    expect(stderrLines(onFile.stderr)).toEqual([`certscan: error: --out ${file}: exists and is not a directory`]);
    const under = runCli(['scan', '--db', db, '--out', join(file, 'below')]);
    expect(under.code).toBe(2);
    expect(stderrLines(under.stderr)).toEqual([expect.stringContaining(`--out ${join(file, 'below')}: cannot create the report directory (ENOTDIR`)]);
    expect(under.stderr).not.toMatch(/EEXIST|\n\s+at /);
  });

  it('default folders are unique, even two scans under the same fixed clock', () => {
    const base = join(dir, 'same-second');
    const config = join(dir, 'same-second.json');
    writeFileSync(config, JSON.stringify({ output: { baseDir: base } }));
    const env = { CERTSCAN_NOW: SCAN_TIME };
    expect(runCli(['scan', '--db', db, '--config', config, '--workers', '1'], { env }).code).toBe(1);
    expect(runCli(['scan', '--db', db, '--config', config, '--workers', '1'], { env }).code).toBe(1);
    const folders = readdirSync(base).filter((name) => name !== 'ledger.jsonl').sort();
    expect(folders).toEqual(['2026-11-26T12-00-00Z', '2026-11-26T12-00-00Z-2']);
    for (const folder of folders) expect(existsSync(join(base, folder, 'summary.json'))).toBe(true);
    expect(runCli(['ledger', 'verify', '--ledger', join(base, 'ledger.jsonl')]).code).toBe(0);
  });

  it("an audit's default folder is predictable, and a finished one is not reused: the next audit takes -2", () => {
    const base = join(dir, 'audits');
    const config = join(dir, 'audits.json');
    writeFileSync(config, JSON.stringify({ output: { baseDir: base } }));
    const audit = () => runCli(['audit', '--from', '2020-01-01', '--to', '2030-01-01', '--country', 'MM', '--db', db, '--config', config, '--workers', '1']);
    expect(audit().code).toBe(1);
    expect(audit().code).toBe(1);
    expect(readdirSync(base).filter((name) => name !== 'ledger.jsonl').sort()).toEqual(['audit-2020-01-01-2030-01-01-MM', 'audit-2020-01-01-2030-01-01-MM-2']);
  });

  it('an --out holding a report set is refused (exit 2, files untouched) unless --force replaces it', () => {
    const out = join(dir, 'kept');
    expect(runCli(['scan', '--db', db, '--out', out, '--workers', '1']).code).toBe(1);
    const before = sha256File(join(out, 'summary.json'));
    const again = runCli(['scan', '--db', db, '--out', out, '--workers', '1'], { env: { CERTSCAN_NOW: SCAN_TIME } });
    expect(again.code).toBe(2);
    expect(stderrLines(again.stderr)).toEqual([`certscan: error: --out ${out} already holds a report set; choose another --out, or add --force to replace it`]);
    expect(sha256File(join(out, 'summary.json'))).toBe(before);
    const forced = runCli(['scan', '--db', db, '--out', out, '--workers', '1', '--force'], { env: { CERTSCAN_NOW: SCAN_TIME } });
    expect(forced.code).toBe(1);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).startedAt).toBe('2026-11-26T12:00:00.000Z');
  });

  it('a rerun removes the temp files and CT scratch a dead process left', () => {
    const out = join(dir, 'stale');
    mkdirSync(out);
    const dead = spawnSync(process.execPath, ['-e', 'process.pid'], { encoding: 'utf8' }).pid!;
    const debris = [`.findings.csv.${dead}.tmp`, `.summary.json.${dead}.tmp`, '.certscan-ct-pairing.sqlite'];
    for (const name of debris) writeFileSync(join(out, name), 'left by a killed scan');
    expect(runCli(['scan', '--db', db, '--out', out, '--workers', '1']).code).toBe(1);
    expect(readdirSync(out).sort()).toEqual(['affected-by-month.svg', 'ccadb-appendix.csv', 'crtsh.txt', 'findings.csv', 'input-errors.csv', 'report.html', 'summary.json', 'summary.md']);
  });
});

describe('SIGINT and SIGTERM', () => {
  const dir = tempDir();
  const db = join(dir, 'big.sqlite');

  beforeAll(() => {
    // Long enough to interrupt mid-way with one worker (about a second per 30,000 rows).
    const built = runCli(['demo-db', db, '--count', '30000']);
    expect(built.code).toBe(0);
  }, 120_000);

  /** Starts a scan, waits until `ready(outDir)` (work under way), sends `signal`; the exit code and stderr. */
  async function interrupt(args: string[], out: string, ready: (names: string[]) => boolean, signal: NodeJS.Signals) {
    const child = spawn(process.execPath, [CLI, ...args, '--out', out, '--workers', '1'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)));
    let seen = false;
    const deadline = Date.now() + 60_000;
    while (!seen && Date.now() < deadline) {
      await new Promise((wait) => setTimeout(wait, 5));
      seen = existsSync(out) && ready(readdirSync(out));
    }
    expect(seen).toBe(true);
    child.kill(signal);
    return { code: await exited, stderr };
  }

  it('SIGINT mid-scan: exit 130, one line, no temp file and no half report set', async () => {
    const out = join(dir, 'db-scan');
    const { code, stderr } = await interrupt(['scan', '--db', db], out, (names) => names.some((name) => name.endsWith('.tmp')), 'SIGINT');
    expect(code).toBe(130);
    expect(stderrLines(stderr)).toEqual(['certscan: interrupted by SIGINT; no report was written']);
    // The folder was made by the scan: with nothing finished in it, it goes too.
    expect(existsSync(out)).toBe(false);
  }, 90_000);

  it('SIGTERM mid CT scan: exit 143, the pairing scratch file removed with the temp files', async () => {
    const out = join(dir, 'ct-scan');
    mkdirSync(out); // made by the operator: it stays, empty
    const ct = join(dir, 'big-ct');
    const issuer = join(dir, 'big-issuer.pem');
    const { code, stderr } = await interrupt(['scan', '--db', db, '--ct', ct, '--issuer', issuer], out, (names) => names.includes('.certscan-ct-pairing.sqlite'), 'SIGTERM');
    expect(code).toBe(143);
    expect(stderrLines(stderr)).toEqual(['certscan: interrupted by SIGTERM; no report was written']);
    expect(readdirSync(out)).toEqual([]);
  }, 90_000);
});
