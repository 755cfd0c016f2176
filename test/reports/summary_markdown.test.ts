// summary.md rendered from a summary, without a scan: the parts whole-scan tests rarely reach (overdue
// certificates, CT and file sources, timelines with every event, the CA's own fields), each asserted
// by the line a reviewer reads.
import { describe, expect, it } from 'vitest';
import { renderSummaryMarkdown, typeBreakdown, type ScanSummary } from '../../src/reports/summary.js';
import { scanSummary } from './affected_fixture.js';

const line = (markdown: string, start: string): string => {
  const found = markdown.split('\n').find((text) => text.startsWith(start));
  expect(found, `summary.md has a line starting ${start}`).toBeDefined();
  return found!;
};

/** 103 affected certificates: 102 overdue (2 listed), 1 undecodable, all with an error finding. */
function overdueScan(fields: Partial<ScanSummary> = {}): ScanSummary {
  return scanSummary({
    certificatesScanned: 500,
    affectedCertificates: 103,
    findings: 103,
    findingsByCheck: { e_subject_country_order_mismatch: 103 },
    affectedByValidationType: { OV: 102, unknown: 1 },
    stillValid: 102,
    undecodable: 1,
    crtshLinks: 102,
    firstAffectedNotBefore: '2026-10-01T00:00:00.000Z',
    lastAffectedNotBefore: '2026-11-01T00:00:00.000Z',
    revocation: {
      byStatus: { revoked: 0, expired: 0, overdue: 102, due: 1, review: 0 },
      toRevoke: { stillValid: 102, undecodable: 1 },
      nextDeadline: '2026-11-28T00:00:00.000Z',
      overdue: [
        { certId: 7, serial: '0a', sha256: 'ab'.repeat(32), deadline: '2026-11-20T00:00:00.000Z' },
        { certId: 9, serial: '0c', sha256: '', deadline: '2026-11-15T00:00:00.000Z' },
      ],
    },
    ...fields,
  });
}

describe('summary.md: revocation', () => {
  it('overdue certificates: listed (an undecodable one without a hash), the rest counted, the delay asked for, the action Delayed from the earliest deadline', () => {
    const markdown = renderSummaryMarkdown(overdueScan());
    expect(markdown).toContain(
      [
        '  Overdue certificates (not revoked by their deadline):',
        '',
        '  | cert_id | serial | deadline | SHA-256 |',
        '  |---|---|---|---|',
        `  | 7 | 0a | 2026-11-20T00:00:00Z | ${'ab'.repeat(32)} |`,
        '  | 9 | 0c | 2026-11-15T00:00:00Z | (undecodable) |',
        '',
        '  … and 100 more (see ccadb-appendix.csv, column revocation_status).',
      ].join('\n'),
    );
    expect(line(markdown, '- **Analysis:**')).toBe('- **Analysis:** _(To be completed by the CA: 102 certificates are past their revocation deadline: the factors and rationale behind the delay)_');
    expect(line(markdown, '| Revoke the')).toBe(
      '| Revoke the 103 affected certificates with an error finding that are neither revoked nor expired (102 still valid, 1 undecodable) | Mitigate | Contributing Factor #1 | ' +
        'a new certscan scan counts 0 of them still valid; CRL/OCSP show them revoked | 2026-11-15T00:00:00Z | Delayed |',
    );
    expect(markdown).toContain('To revoke: 103 (overdue 102, due 1, next deadline 2026-11-28T00:00:00Z); already revoked 0; expired 0; warnings only, for review 0. 1 stored certificates did not decode');
    expect(line(markdown, '- **Total number of "remaining valid" certificates:**')).toBe(
      '- **Total number of "remaining valid" certificates:** 103 (still valid 102 + undecodable 1: an undecodable certificate\'s validity cannot be read, so it counts as remaining)',
    );
  });

  it('every overdue certificate listed: no "and more" line; nothing overdue: no table, Analysis N/A, the action Ongoing until the next deadline', () => {
    const listed = overdueScan({ revocation: { ...overdueScan().revocation, byStatus: { revoked: 0, expired: 0, overdue: 2, due: 101, review: 0 } } });
    const withAll = renderSummaryMarkdown(listed);
    expect(withAll).toContain('  | 9 | 0c | 2026-11-15T00:00:00Z | (undecodable) |\n\n### Timeline');
    expect(withAll).not.toContain('more (see ccadb-appendix.csv');

    const dueOnly = renderSummaryMarkdown(
      overdueScan({ undecodable: 0, stillValid: 103, crtshLinks: 103, revocation: { byStatus: { revoked: 0, expired: 0, overdue: 0, due: 103, review: 0 }, toRevoke: { stillValid: 103, undecodable: 0 }, nextDeadline: '2026-11-28T00:00:00.000Z', overdue: [] } }),
    );
    expect(dueOnly).not.toContain('Overdue certificates');
    expect(line(dueOnly, '- **Analysis:**')).toBe('- **Analysis:** N/A');
    expect(line(dueOnly, '| Revoke the')).toMatch(/^\| Revoke the 103 affected certificates with an error finding that are neither revoked nor expired \| .* \| 2026-11-28T00:00:00Z \| Ongoing \|$/);
    expect(dueOnly).not.toContain('did not decode');
    expect(line(dueOnly, '- **Total number of "remaining valid" certificates:**')).toBe('- **Total number of "remaining valid" certificates:** 103');
  });
});

describe('summary.md: timeline', () => {
  it('every known event, oldest first, to the second', () => {
    const markdown = renderSummaryMarkdown(overdueScan({ discoveredAt: '2026-11-10T00:00:00.000Z', startedAt: '2026-11-26T12:00:00.000Z' }));
    const events = markdown.split('### Timeline')[1]!.split('### Related Incidents')[0]!.split('\n').filter((text) => /^- \d/.test(text));
    expect(events).toEqual([
      '- 2026-10-01T00:00:00Z: first affected certificate issued (notBefore)',
      '- 2026-11-01T00:00:00Z: last affected certificate issued (notBefore)',
      '- 2026-11-10T00:00:00Z: the CA learned of the problem (`--discovered`)',
      '- 2026-11-26T12:00:00Z: certscan scan `test` found 103 affected certificates',
      '- 2026-11-28T00:00:00Z: next revocation deadline (BR 4.9.1.1, 5 days)',
    ]);
    expect(line(markdown, '   - **Non-compliance identified date:**')).toBe('   - **Non-compliance identified date:** 2026-11-10T00:00:00Z (the discovery date given to certscan)');
    expect(line(markdown, '   - **Non-compliance end date:**')).toContain('the last affected certificate found has notBefore 2026-11-01T00:00:00Z');
    expect(markdown).toContain('run 5 days from the discovery date 2026-11-10T00:00:00Z,');
    expect(markdown).toContain('with the scan and the discovery date marked.');
  });

  it('one affected certificate: its notBefore is the first and the last, listed once', () => {
    const markdown = renderSummaryMarkdown(overdueScan({ lastAffectedNotBefore: '2026-10-01T00:00:00.000Z' }));
    expect(markdown).toContain('- 2026-10-01T00:00:00Z: first affected certificate issued (notBefore)');
    expect(markdown).not.toContain('last affected certificate issued');
    expect(line(markdown, '   - **Non-compliance identified date:**')).toBe('   - **Non-compliance identified date:** 2026-11-26T12:00:00Z (this certscan scan)');
    expect(markdown).toContain('with the scan marked.');
  });
});

describe('summary.md: what was scanned and how it was read', () => {
  const ctScan = (source: Partial<ScanSummary['source']>, logEntries: ScanSummary['logEntries']) =>
    renderSummaryMarkdown(overdueScan({ source: { ...scanSummary().source, path: 'orders.sqlite', firstId: 0, lastId: 9, ...source }, certificatesScanned: 8, logEntries }));

  it('a static-ct mirror: its origin, the log indexes, the tiles and the checkpoint', () => {
    const markdown = ctScan(
      { kind: 'static-ct', input: { path: 'mirror/', origin: 'log.example/2026', treeSize: 10, rootHash: 'cafe', files: 3 } },
      { read: 10, ownIssuers: 8, otherIssuers: 2, issuerFilter: true },
    );
    expect(markdown).toContain(
      "  Scanned: 8 entries of the CA's own issuers (2 of other issuers skipped), of 10 entries read from the CT export of `log.example/2026` `mirror/` (log indexes 0 to 9); orders joined from `orders.sqlite`.",
    );
    expect(markdown).toContain('  Entries were read from 3 data tiles under `mirror/`, checkpoint tree size 10, root hash `cafe`. Entries of other issuers were skipped;');
  });

  it('RFC 6962 get-entries pages without an origin; certificate files with no issuer filter and other PEM objects', () => {
    const pages = ctScan({ kind: 'rfc6962', input: { path: 'pages/', files: 4 } }, { read: 10, ownIssuers: 8, otherIssuers: 2, issuerFilter: true });
    expect(pages).toContain('of 10 entries read from the CT export `pages/` (log indexes 0 to 9);');
    expect(pages).toContain('  Entries were read from 4 get-entries pages under `pages/`. Entries');

    const files = ctScan({ kind: 'pem', input: { path: 'certs/', files: 5 } }, { read: 9, ownIssuers: 8, otherIssuers: 0, issuerFilter: false, otherObjects: 1 });
    expect(files).toContain(
      '  Scanned: 8 entries of every issuer (no issuer filter), of 9 entries read from the certificate files `certs/`; orders joined from `orders.sqlite`; 1 PEM objects that are not certificates (CRLs, requests) were not scanned.',
    );
    expect(files).toContain('  Entries were read from 5 files under `certs/`. Entries');
  });

  it('a PostgreSQL database: the query with the parameters that bind each range', () => {
    const markdown = renderSummaryMarkdown(
      overdueScan({ source: { ...scanSummary().source, kind: 'postgresql', path: 'postgresql://ca@db/ca', pageSize: 500, pageQuery: 'SELECT id\nFROM certificates', firstId: 1, lastId: 900 } }),
    );
    expect(markdown).toContain('  Rows were read in id ranges of at most 500 rows with this query (`$1` and `$2` bound each range: id after, last id), covering ids 1 to 900:\n\n  ```sql\n  SELECT id\n  FROM certificates\n  ```');
  });
});

describe('summary.md: the CA\'s fields, types, precertificates', () => {
  it('the CCADB ID with or without the CA owner\'s name', () => {
    const incidentReport = { template: 'full' as const, caOwner: null, ccadbId: 'A000123', relevantPolicies: [] };
    expect(line(renderSummaryMarkdown(overdueScan({ incidentReport })), '- **CA Owner CCADB unique ID:**')).toBe('- **CA Owner CCADB unique ID:** A000123');
    expect(line(renderSummaryMarkdown(overdueScan()), '- **CA Owner CCADB unique ID:**')).toBe('- **CA Owner CCADB unique ID:** _(To be completed by the CA: config report.ccadbId)_');
  });

  it('validation types in the order DV, IV, OV, EV, then unknown, then any other', () => {
    expect(typeBreakdown(scanSummary({ affectedByValidationType: { unknown: 1, EV: 2, XV: 1, OV: 3, DV: 4, IV: 5 } }))).toBe('DV 4, IV 5, OV 3, EV 2, unknown 1, XV 1');
  });

  it('precertificates whose final certificate was not found are said apart from certificates', () => {
    expect(renderSummaryMarkdown(overdueScan({ precertificatesOnly: 3 }))).toContain(
      'Of these, 3 are precertificates whose final certificate was not found in the log; the other 100 are certificates.',
    );
    expect(renderSummaryMarkdown(overdueScan())).not.toContain('precertificates whose final certificate');
  });
});
