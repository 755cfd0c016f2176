// certscan nightly through the real CLI: the state file belongs to one database (issue 14, point 5).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeIssuanceDatabase } from '../../src/demo/demo_db.js';
import { SCAN_TIME, certificateFor, order, runCli, stderrLines, tempDir } from '../helpers.js';

describe('nightly state and its database', () => {
  it("another database's nightly is refused, not silently suppressed; its own state file reports its findings", () => {
    const dir = tempDir();
    const mm = order('MM-1', { country: 'MM' });
    const plan = { orders: [mm], certificates: [certificateFor(mm), certificateFor(mm, { country: 'GH' })] };
    const [dbA, dbB] = [join(dir, 'a.sqlite'), join(dir, 'b.sqlite')];
    writeIssuanceDatabase(dbA, plan, { now: new Date(SCAN_TIME) });
    writeIssuanceDatabase(dbB, plan, { now: new Date(SCAN_TIME) });
    const config = (name: string) => {
      const path = join(dir, `${name}.json`);
      writeFileSync(path, JSON.stringify({ output: { baseDir: join(dir, 'reports') }, nightly: { stateFile: join(dir, `${name}-state.json`), lookbackIds: 0, outputDir: join(dir, 'nightly') } }));
      return path;
    };
    const shared = config('shared');
    expect(runCli(['nightly', '--config', shared, '--db', dbA]).code).toBe(1);
    expect(JSON.parse(readFileSync(join(dir, 'shared-state.json'), 'utf8')).source).toBe(dbA);

    const refused = runCli(['nightly', '--config', shared, '--db', dbB]);
    expect(refused.code).toBe(2);
    expect(stderrLines(refused.stderr)).toHaveLength(1);
    expect(JSON.parse(refused.stderr).message).toContain(`belongs to ${dbA}, not ${dbB}`);

    const own = runCli(['nightly', '--config', config('b'), '--db', dbB]);
    expect(own.code).toBe(1);
    expect(own.stdout).toContain('1 new findings');
    // Database A's own next night is still accepted (nothing new: exit 0).
    expect(runCli(['nightly', '--config', shared, '--db', dbA]).code).toBe(0);
  });
});
