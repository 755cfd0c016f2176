// A nightly state file is for one kind of night: by ids (an integer key) or by issue time (a text
// key, EJBCA's fingerprint). The other kind's state is refused before anything is read.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import { parseConfig } from '../../src/config.js';
import { OperationalError } from '../../src/errors.js';
import { writeDemoDatabase } from '../../src/demo/demo_db.js';
import { runNightly } from '../../src/jobs/nightly.js';
import { SCAN_TIME, tempDir } from '../helpers.js';
import { writeEjbcaDatabase } from '../sources/database/presets/ejbca_layout.js';
import { expectIssueTimeNights } from './issue_time_nights.js';

const clock = fixedClock(SCAN_TIME);

describe('nightly state kinds', () => {
  it('refuses an id checkpoint for a text key, and an issue-time checkpoint for an integer key', async () => {
    const dir = tempDir();
    const { path: ejbca } = writeEjbcaDatabase(dir, clock, 20);
    const integerDb = join(dir, 'integer.sqlite');
    writeDemoDatabase(integerDb, { count: 20, clock });
    const stateFile = join(dir, 'state.json');
    const nightly = (preset: boolean, path: string) =>
      runNightly(
        parseConfig({ database: { ...(preset ? { preset: 'ejbca' } : {}), path }, workers: 1, output: { baseDir: join(dir, 'reports') }, nightly: { stateFile, outputDir: join(dir, 'nightly') } }),
        { clock },
        {},
      );

    writeFileSync(stateFile, JSON.stringify({ source: ejbca, highestId: 20, reported: [] }));
    const idState = await nightly(true, ejbca).catch((error: unknown) => error);
    expect(idState).toBeInstanceOf(OperationalError);
    expect((idState as Error).message).toBe(`nightly state ${stateFile} holds an id checkpoint (20), but "fingerprint" is a text key now; give this mapping its own nightly.stateFile`);

    writeFileSync(stateFile, JSON.stringify({ source: integerDb, issuedAtCheckpoint: SCAN_TIME, reported: [] }));
    const timeState = await nightly(false, integerDb).catch((error: unknown) => error);
    expect(timeState).toBeInstanceOf(OperationalError);
    expect((timeState as Error).message).toBe(`nightly state ${stateFile} was written by nights by issue time (a text key), but "id" is an integer key now; give this mapping its own nightly.stateFile`);
  });

  it('refuses nights by issue time with a precertificates table, before anything is read', async () => {
    const dir = tempDir();
    const { path } = writeEjbcaDatabase(dir, clock, 20);
    const stateFile = join(dir, 'state.json');
    const config = parseConfig({ database: { preset: 'ejbca', path, precertificates: { table: 'CertificateData' } }, workers: 1, output: { baseDir: join(dir, 'reports') }, nightly: { stateFile, outputDir: join(dir, 'nightly') } });
    await expect(runNightly(config, { clock }, {})).rejects.toThrow('certscan nightly by issue time (a text key in database.certificates.columns.id) reads no precertificates table; map an integer key');
    expect(existsSync(stateFile)).toBe(false);
  });

  it('nights by issue time on a SQLite file in EJBCA\'s layout (the servers: presets/ejbca.test.ts)', async () => {
    const dir = tempDir();
    const database = writeEjbcaDatabase(dir, clock, 60);
    const config = () => parseConfig({ database: { preset: 'ejbca' }, workers: 1, output: { baseDir: join(dir, 'reports') } });
    await expectIssueTimeNights({ dir, name: 'sqlite', path: database.path, planted: database.planted, location: () => database.path, config });
  });
});
