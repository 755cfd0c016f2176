import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, loadConfigFile, parseConfig } from '../src/config.js';
import { ROOT } from './helpers.js';

type SchemaNode = { properties?: Record<string, SchemaNode>; default?: unknown };

describe('configuration', () => {
  it('the shipped scan.config.json is valid', () => {
    const config = loadConfigFile(join(ROOT, 'scan.config.json'));
    expect(config.database.certificates.table).toBe('certificates');
    expect(config.checks.placeholderCountries).toEqual(['AD']);
  });

  it('the built-in defaults equal the shipped scan.config.json (a scan outside the repository keeps AD and the embargo list)', () => {
    expect(loadConfigFile(join(ROOT, 'scan.config.json'))).toEqual(DEFAULT_CONFIG);
  });

  it('partial configs are merged over the defaults', () => {
    const config = parseConfig({ workers: 3, database: { pageSize: 10 } });
    expect(config.workers).toBe(3);
    expect(config.database.pageSize).toBe(10);
    expect(config.database.orders).toEqual(DEFAULT_CONFIG.database.orders);
  });

  it('the JSON Schema describes exactly the keys and defaults the validator knows', () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'scan.config.schema.json'), 'utf8')) as SchemaNode;
    const compare = (node: SchemaNode, defaults: Record<string, unknown>, path: string) => {
      const keys = Object.keys(node.properties ?? {}).filter((key) => key !== '$schema').sort();
      expect(keys, path).toEqual(Object.keys(defaults).sort());
      for (const key of keys) {
        const child = node.properties![key]!;
        const value = defaults[key];
        if (child.properties) compare(child, value as Record<string, unknown>, `${path}.${key}`);
        else expect(child.default, `${path}.${key}`).toEqual(value);
      }
    };
    compare(schema, DEFAULT_CONFIG as unknown as Record<string, unknown>, '');
  });

  it('a null column mapping is allowed only where a field is optional', () => {
    expect(parseConfig({ database: { certificates: { columns: { revokedAt: null } } } }).database.certificates.columns.revokedAt).toBeNull();
    expect(() => parseConfig({ database: { certificates: { columns: { der: null } } } })).toThrow('config: database.certificates.columns.der');
  });

  it('report.* holds what is fixed per CA; a CCADB ID is "A" and six digits', () => {
    const config = parseConfig({ report: { caOwner: 'Example CA', ccadbId: 'A012345', relevantPolicies: ['Example CA CPS 4.2, section 3.2.2'] } });
    expect(config.report).toEqual({ caOwner: 'Example CA', ccadbId: 'A012345', relevantPolicies: ['Example CA CPS 4.2, section 3.2.2'] });
    expect(parseConfig({}).report).toEqual({ caOwner: null, ccadbId: null, relevantPolicies: [] });
    expect(() => parseConfig({ report: { ccadbId: '012345' } })).toThrow('config: report.ccadbId: must be "A" and six digits');
    expect(() => parseConfig({ report: { caOwner: '' } })).toThrow('config: report.caOwner');
    expect(() => parseConfig({ report: { relevantPolicies: [' '] } })).toThrow('config: report.relevantPolicies[0]');
  });
});

describe('the job files', () => {
  it('jobs/nightly.config.json is a valid configuration', () => {
    const config = loadConfigFile(join(ROOT, 'jobs', 'nightly.config.json'));
    expect(config.nightly.lookbackIds).toBe(10_000);
    expect(config.nightly.lookbackHours).toBe(72);
    expect(config.database.orders).toEqual(DEFAULT_CONFIG.database.orders);
  });

  it('the Kubernetes audit is an Indexed Job whose completion index is the shard', () => {
    const job = readFileSync(join(ROOT, 'jobs', 'k8s', 'audit-job.yaml'), 'utf8');
    expect(job).toContain('completionMode: Indexed');
    expect(job).toMatch(/--shard "\$\{JOB_COMPLETION_INDEX\}\/8"/);
    expect(job).toMatch(/completions: 8/);
    expect(readFileSync(join(ROOT, 'jobs', 'k8s', 'merge-job.yaml'), 'utf8')).toContain('certscan merge');
  });
});
