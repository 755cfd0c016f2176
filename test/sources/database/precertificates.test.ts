import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config.js';
import { precertificateDatabase, refusePrecertificateRange } from '../../../src/sources/database/precertificates.js';

describe('precertificateDatabase', () => {
  it("reads the precertificates table with the certificates' columns, encodings and revocation, but its own names and no DER table", () => {
    const database = parseConfig({
      database: {
        certificates: { table: 'certs', derFallback: { table: 'blobs', join: 'fp', der: 'b64' }, revocationTable: { table: 'status', serial: 'serial' }, timeEncoding: 'sql-datetime' },
        precertificates: { table: 'precerts', columns: { der: 'tbs_der', issuedAt: 'logged_at' } },
      },
    }).database;
    const read = precertificateDatabase(database);
    expect(read.certificates.table).toBe('precerts');
    expect(read.certificates.columns).toEqual({ ...database.certificates.columns, der: 'tbs_der', issuedAt: 'logged_at' });
    expect([read.certificates.derFallback, read.certificates.revocationTable, read.certificates.timeEncoding]).toEqual([null, { table: 'status', serial: 'serial' }, 'sql-datetime']);
    expect([read.precertificates, read.orders]).toEqual([null, database.orders]);
  });

  it('needs a precertificates table', () => {
    expect(() => precertificateDatabase(parseConfig({}).database)).toThrow(/database\.precertificates is null/);
  });
});

describe('refusePrecertificateRange', () => {
  it('refuses id ranges of the certificates alone, and lets a whole scan, a shard, an audit by dates or a nightly run with both bounds run', () => {
    expect(() => refusePrecertificateRange({ range: { afterId: 10 } })).toThrow(/id ranges/);
    // A nightly run bounds each table by its own ids; without the precertificates' bound it is refused.
    expect(() => refusePrecertificateRange({ kind: 'nightly', range: { afterId: 10 } })).toThrow(/id ranges/);
    expect(() => refusePrecertificateRange({ kind: 'nightly' })).toThrow(/id ranges/);
    expect(() => refusePrecertificateRange({ kind: 'nightly', range: { afterId: 10 }, precertificateRange: { afterId: 4 } })).not.toThrow();
    expect(() => refusePrecertificateRange({ kind: 'nightly', range: {}, precertificateRange: { afterId: null } })).not.toThrow();
    // A shard's precertificates are chosen by its certificates (PrecertificatePass.open), not by a range.
    expect(() => refusePrecertificateRange({ shard: { index: 0, count: 2 } })).not.toThrow();
    expect(() => refusePrecertificateRange({ range: {} })).not.toThrow();
    expect(() => refusePrecertificateRange({ kind: 'audit' })).not.toThrow();
  });
});
