// summary.md rendered from a summary, without a scan: the parts whole-scan tests rarely reach (overdue
// certificates, CT and file sources, timelines with every event, the CA's own fields), each asserted
// by the line a reviewer reads.
import { beforeEach, describe, expect, it } from 'vitest';
import { ALL_CHECK_META } from '../../src/checks/index.js';
import { countAffected, emptyCounts, factsOf } from '../../src/reports/affected_counts.js';
import { SummaryAccumulator, countFields, renderSummaryMarkdown, typeBreakdown, type ScanSummary } from '../../src/reports/summary.js';
import { vettedDataSentence } from '../../src/reports/vetted_data.js';
import { affected, scanSummary, scanTime } from './affected_fixture.js';

const meta = (name: string) => ALL_CHECK_META.find((check) => check.name === name)!;
const MISMATCH = meta('e_subject_country_order_mismatch');
const PLACEHOLDER = meta('w_subject_country_placeholder');
const forCa = (hint: string) => `_(To be completed by the CA: ${hint})_`;

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
        '1 stored certificates did not decode (in the Appendix by serial, with no certificate hash).',
        '',
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
    expect(line(dueOnly, '- **Additional considerations:**')).toBe(
      "- **Additional considerations:** Revocation deadlines (BR 4.9.1.1) run 5 days from this scan (2026-11-26T12:00:00Z), or from a certificate's notBefore when it was issued later, for every certificate with an error finding. " +
        'To revoke: 103 (overdue 0, due 103, next deadline 2026-11-28T00:00:00Z); already revoked 0; expired 0; warnings only, for review 0.',
    );
    // Overdue only: no next deadline to name.
    const overdueOnly = renderSummaryMarkdown(overdueScan({ revocation: { ...overdueScan().revocation, byStatus: { revoked: 0, expired: 0, overdue: 103, due: 0, review: 0 }, nextDeadline: null } }));
    expect(overdueOnly).toContain('To revoke: 103 (overdue 103, due 0); already revoked 0;');
    // Warnings only: nothing to revoke, no revocation action item.
    const reviewOnly = renderSummaryMarkdown(
      overdueScan({ revocation: { byStatus: { revoked: 0, expired: 0, overdue: 0, due: 0, review: 103 }, toRevoke: { stillValid: 0, undecodable: 0 }, nextDeadline: null, overdue: [] } }),
    );
    expect(reviewOnly).not.toContain('| Revoke the');
    expect(reviewOnly.split('|---|---|---|---|---|---|\n')[1]!.startsWith(`| ${forCa('an action that prevents a recurrence')} | Prevent |`)).toBe(true);
    expect(line(dueOnly, '- **Total number of "remaining valid" certificates:**')).toBe('- **Total number of "remaining valid" certificates:** 103');
  });
});

describe('summary.md: timeline', () => {
  it('every known event, oldest first, to the second', () => {
    const markdown = renderSummaryMarkdown(overdueScan({ discoveredAt: '2026-10-20T00:00:00.000Z', startedAt: '2026-11-26T12:00:00.000Z' }));
    const events = markdown.split('### Timeline')[1]!.split('### Related Incidents')[0]!.split('\n').filter((text) => /^- \d/.test(text));
    // Certificates were still issued after the discovery: the events are sorted, not listed as found.
    expect(events).toEqual([
      '- 2026-10-01T00:00:00Z: first affected certificate issued (notBefore)',
      '- 2026-10-20T00:00:00Z: the CA learned of the problem (`--discovered`)',
      '- 2026-11-01T00:00:00Z: last affected certificate issued (notBefore)',
      '- 2026-11-26T12:00:00Z: certscan scan `test` found 103 affected certificates',
      '- 2026-11-28T00:00:00Z: next revocation deadline (BR 4.9.1.1, 5 days)',
    ]);
    expect(line(markdown, '   - **Non-compliance identified date:**')).toBe('   - **Non-compliance identified date:** 2026-10-20T00:00:00Z (the discovery date given to certscan)');
    expect(line(markdown, '   - **Non-compliance end date:**')).toContain('the last affected certificate found has notBefore 2026-11-01T00:00:00Z');
    expect(markdown).toContain('run 5 days from the discovery date 2026-10-20T00:00:00Z,');
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
    renderSummaryMarkdown(overdueScan({ source: { ...scanSummary().source, path: 'orders.sqlite', firstId: 3, lastId: 9, ...source }, certificatesScanned: 8, logEntries }));

  it('a static-ct mirror: its origin, the log indexes, the tiles and the checkpoint', () => {
    const markdown = ctScan(
      { kind: 'static-ct', input: { path: 'mirror/', origin: 'log.example/2026', treeSize: 10, rootHash: 'cafe', files: 3 } },
      { read: 10, ownIssuers: 8, otherIssuers: 2, issuerFilter: true },
    );
    expect(markdown).toContain(
      "  Scanned: 8 entries of the CA's own issuers (2 of other issuers skipped), of 10 entries read from the CT export of `log.example/2026` `mirror/` (log indexes 3 to 9); orders joined from `orders.sqlite`.",
    );
    expect(markdown).toContain('  Entries were read from 3 data tiles under `mirror/`, checkpoint tree size 10, root hash `cafe`. Entries of other issuers were skipped;');
  });

  it('RFC 6962 get-entries pages without an origin; certificate files with no issuer filter and other PEM objects', () => {
    const pages = ctScan({ kind: 'rfc6962', input: { path: 'pages/', files: 4 } }, { read: 10, ownIssuers: 8, otherIssuers: 2, issuerFilter: true });
    expect(pages).toContain('of 10 entries read from the CT export `pages/` (log indexes 3 to 9);');
    expect(pages).toContain('  Entries were read from 4 get-entries pages under `pages/`. Entries');
    const empty = ctScan({ kind: 'rfc6962', input: { path: 'pages/', files: 0 }, firstId: null, lastId: null }, { read: 0, ownIssuers: 0, otherIssuers: 0, issuerFilter: true });
    expect(empty).toContain('of 0 entries read from the CT export `pages/` (log indexes - to -);');

    const files = ctScan({ kind: 'pem', input: { path: 'certs/', files: 5 } }, { read: 9, ownIssuers: 8, otherIssuers: 0, issuerFilter: false, otherObjects: 1 });
    expect(files).toContain(
      '  Scanned: 8 entries of every issuer (no issuer filter), of 9 entries read from the certificate files `certs/`; orders joined from `orders.sqlite`; 1 PEM objects that are not certificates (CRLs, requests) were not scanned.',
    );
    expect(files).toContain('  Entries were read from 5 files under `certs/`. Entries');
  });

  it('a database with a precertificates table: what was read of it, its query, and where a lone precertificate was looked for', () => {
    const precertificates = { table: 'precerts', pageQuery: 'SELECT id\nFROM precerts', scanned: 4, firstId: 11, lastId: 14 };
    const markdown = renderSummaryMarkdown(overdueScan({ source: { ...scanSummary().source, firstId: 1, lastId: 500, precertificates }, precertificatesOnly: 3 }));
    expect(markdown).toContain(
      '500 certificates in `db.sqlite` (table `certificates`, ids 1 to 500) and 4 precertificates (table `precerts`, ids 11 to 14), a precertificate and its certificate paired by serial',
    );
    // After the certificates' query (the fixture's is "-") and a blank line.
    expect(markdown).toContain('  ```sql\n  -\n  ```\n\n  Then the precertificates, in id ranges of `precerts` with this query:\n\n  ```sql\n  SELECT id\n  FROM precerts\n  ```');
    expect(markdown).toContain('Of these, 3 are precertificates whose final certificate was not found in the table `certificates`; the other 100 are certificates.');
    const none = renderSummaryMarkdown(overdueScan({ source: { ...scanSummary().source, precertificates: { ...precertificates, scanned: 0, firstId: null, lastId: null } } }));
    expect(none).toContain(' and 0 precertificates (table `precerts`, ids - to -), a precertificate');
  });

  it('the vetted data compared, after the query; no check table when no finding is of a listed check', () => {
    const vettedData = { table: 'CertReqHistoryData', ordersTable: 'UserData', read: 2, unreadable: 0, notRead: null, affectedFromSnapshot: 1, affectedFromOrders: 0 };
    const markdown = renderSummaryMarkdown(overdueScan({ vettedData }));
    expect(markdown).toContain(`  \`\`\`sql\n  -\n  \`\`\`\n\n  Compared with the ${vettedDataSentence(vettedData)}.\n`);
    const lines = renderSummaryMarkdown(overdueScan({ findingsByCheck: {} })).split('\n');
    const scanned = lines.findIndex((text) => text.startsWith('  Scanned: '));
    expect(lines.slice(scanned - 3, scanned)).toEqual([lines[scanned - 3], '', '']);
    expect(lines.some((text) => text.startsWith('  | check | findings |'))).toBe(false);
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

describe('summary.md: a clean scan', () => {
  it('every template field present: N/A where nothing applies, the CA fields asked for', () => {
    expect(renderSummaryMarkdown(scanSummary())).toBe(
      [
        '## Full Incident Report',
        '',
        '_Generated by certscan 0.0.0, scan `test` of 2026-11-26T12:00:00Z, configuration SHA-256 `00`. Fields marked "To be completed by the CA" need the CA\'s answer before posting._',
        '',
        '### Summary',
        '',
        `- **CA Owner CCADB unique ID:** ${forCa('config report.ccadbId')}`,
        '- **Incident description:** N/A: certscan found no affected certificates among 0 certificates in `db.sqlite` (table `certificates`, ids - to -).',
        '- **Timeline summary:**',
        '   - **Non-compliance start date:** N/A',
        '   - **Non-compliance identified date:** N/A',
        '   - **Non-compliance end date:** N/A',
        '- **Relevant policies:** N/A',
        `- **Source of incident disclosure:** ${forCa('Self Reported, Third Party Reported or Audit')}`,
        '',
        '### Impact',
        '',
        '- **Total number of certificates:** 0',
        '- **Total number of "remaining valid" certificates:** 0',
        '- **Affected certificate types:** N/A',
        '- **Incident heuristic:** N/A',
        '- **Was issuance stopped in response to this incident, and why or why not?:** N/A',
        '- **Analysis:** N/A',
        '- **Additional considerations:** N/A',
        '',
        '### Timeline',
        '',
        'All times UTC.',
        '',
        '- 2026-11-26T12:00:00Z: certscan scan `test` found 0 affected certificates',
        `- ${forCa('the policy, process and software changes behind the root cause; problem reports; when issuance stopped and resumed; revocations completed')}`,
        '',
        '### Related Incidents',
        '',
        '| Bug | Date | Description |',
        '|---|---|---|',
        '| N/A | N/A | N/A |',
        '',
        '### Root Cause Analysis',
        '',
        '**Contributing Factor #1: N/A**',
        '- **Description:** N/A',
        '- **Timeline:** N/A',
        '- **Detection:** N/A',
        '- **Interaction with other factors:** N/A',
        '- **Root Cause Analysis methodology used:** N/A',
        '',
        '### Lessons Learned',
        '',
        '- **What went well:** N/A',
        '- **What didn’t go well:** N/A',
        '- **Where we got lucky:** N/A',
        '- **Additional:** N/A',
        '',
        '### Action Items',
        '',
        '| Action Item | Kind | Corresponding Root Cause(s) | Evaluation Criteria | Due Date | Status |',
        '|---|---|---|---|---|---|',
        '| N/A | N/A | N/A | N/A | N/A | N/A |',
        '',
        '### Appendix',
        '',
        'N/A: no affected certificates.',
        '',
      ].join('\n'),
    );
  });
});

describe('summary.md: an incident', () => {
  const incident = overdueScan({
    findings: 104,
    findingsByCheck: { e_subject_country_order_mismatch: 103, w_subject_country_placeholder: 1 },
    configFile: 'scan.config.json',
    incidentReport: { template: 'full', caOwner: 'Example CA', ccadbId: 'A012345', relevantPolicies: ['Example CA CPS 4.2, section 3.2.2'] },
  });
  // Rendered inside each test: a mutation run activates its mutant per test, not while tests are collected.
  let markdown = '';
  beforeEach(() => {
    markdown = renderSummaryMarkdown(incident);
  });

  it('the Summary: who, what was found by which checks, when, under which rules', () => {
    expect(markdown).toContain('configuration `scan.config.json` SHA-256 `00`.');
    expect(line(markdown, '- **CA Owner CCADB unique ID:**')).toBe('- **CA Owner CCADB unique ID:** A012345 (Example CA)');
    expect(line(markdown, '- **Incident description:**')).toBe(
      '- **Incident description:** certscan found 103 affected certificates (still valid 102 + revoked 0 + expired 0 + undecodable 1) among 500 certificates in `db.sqlite` (table `certificates`, ids - to -), ' +
        `with 104 findings of these checks: \`${MISMATCH.name}\` (${MISMATCH.description}); \`${PLACEHOLDER.name}\` (${PLACEHOLDER.description}). ${forCa('what happened, in a few sentences')}`,
    );
    expect(line(markdown, '   - **Non-compliance start date:**')).toBe('   - **Non-compliance start date:** 2026-10-01T00:00:00Z (first affected notBefore)');
    expect(line(markdown, '   - **Non-compliance end date:**')).toBe(`   - **Non-compliance end date:** ${forCa('when issuance was corrected')}; the last affected certificate found has notBefore 2026-11-01T00:00:00Z`);
    expect(line(markdown, '- **Relevant policies:**')).toBe(`- **Relevant policies:** ${[...new Set([MISMATCH.citation, PLACEHOLDER.citation])].join('; ')}; Example CA CPS 4.2, section 3.2.2`);
  });

  it('the Impact: counts, types, the checks and how the rows were read', () => {
    expect(line(markdown, '- **Total number of certificates:**')).toBe('- **Total number of certificates:** 103 (still valid 102 + revoked 0 + expired 0 + undecodable 1).');
    expect(line(markdown, '- **Affected certificate types:**')).toBe('- **Affected certificate types:** OV 102, unknown 1 (from the CA/Browser Forum policy OIDs; "unknown": none found, or undecodable)');
    expect(line(markdown, '- **Incident heuristic:**')).toBe(
      '- **Incident heuristic:** The full corpus of affected certificates is disclosed in the Appendix (`ccadb-appendix.csv`, `crtsh.txt`). A certificate is affected when any of these certscan checks reports it:',
    );
    expect(markdown).toContain(
      [
        '  | check | findings | what | rule |',
        '  |---|---|---|---|',
        `  | \`${MISMATCH.name}\` | 103 | ${MISMATCH.description} | ${MISMATCH.citation} |`,
        `  | \`${PLACEHOLDER.name}\` | 1 | ${PLACEHOLDER.description} | ${PLACEHOLDER.citation} |`,
        '',
        '  Scanned: 500 certificates in `db.sqlite` (table `certificates`, ids - to -).',
        '',
        '  Rows were read in id ranges of at most 1 rows with this query (the two `?` bound each range: id after, last id), covering ids - to -:',
      ].join('\n'),
    );
    expect(markdown).toContain('A certificate is affected when any of these certscan checks reports it:\n\n  | check | findings | what | rule |');
    expect(markdown).toContain('  ```\n\n- **Was issuance stopped');
    expect(line(markdown, '- **Was issuance stopped')).toBe(`- **Was issuance stopped in response to this incident, and why or why not?:** ${forCa('Yes or No, with the reason')}`);
    expect(line(markdown, '- **Additional considerations:**')).toMatch(
      /^- \*\*Additional considerations:\*\* Revocation deadlines \(BR 4\.9\.1\.1\) run 5 days from this scan \(2026-11-26T12:00:00Z\), or from a certificate's notBefore when it was issued later, for every certificate with an error finding\. To revoke: 103 /,
    );
  });

  it('Related Incidents, Root Cause Analysis, Lessons Learned, Action Items and the Appendix', () => {
    expect(markdown).toContain(
      [
        '| Bug | Date | Description |',
        '|---|---|---|',
        `| [1559376](https://bugzilla.mozilla.org/show_bug.cgi?id=1559376) | ${forCa('date the bug was opened')} | Subject country in issued certificates differed from the vetted country (placeholder and wrong codes); the same kind of mismatch. |`,
        `| ${forCa('related bug')} | ${forCa('date opened')} | ${forCa('how it relates (incidents of the last two years, of any CA)')} |`,
      ].join('\n'),
    );
    expect(markdown).toContain(
      [
        `**Contributing Factor #1: ${forCa('title')}**`,
        `- **Description:** ${forCa('the condition that let these certificates be issued')}`,
        `- **Timeline:** ${forCa('when it arose and how it evolved')}`,
        `- **Detection:** certscan scan \`test\` (2026-11-26T12:00:00Z) compared the issued certificates with the vetted order data. ${forCa('how it avoided detection before')}`,
        `- **Interaction with other factors:** ${forCa('how it combined with other factors')}`,
        `- **Root Cause Analysis methodology used:** ${forCa('e.g. 5-Whys, Fishbone Diagram')}`,
        '',
        '### Lessons Learned',
        '',
        `- **What went well:** ${forCa('what limited the impact')}`,
        `- **What didn’t go well:** ${forCa('what made it worse; each item needs an Action Item')}`,
        `- **Where we got lucky:** ${forCa('what cannot be relied upon next time')}`,
        `- **Additional:** ${forCa('any other lesson')}`,
      ].join('\n'),
    );
    expect(markdown.split('### Action Items\n\n')[1]!.split('\n\n### Appendix')[0]!.split('\n')).toEqual([
      '| Action Item | Kind | Corresponding Root Cause(s) | Evaluation Criteria | Due Date | Status |',
      '|---|---|---|---|---|---|',
      '| Revoke the 103 affected certificates with an error finding that are neither revoked nor expired (102 still valid, 1 undecodable) | Mitigate | Contributing Factor #1 | ' +
        'a new certscan scan counts 0 of them still valid; CRL/OCSP show them revoked | 2026-11-15T00:00:00Z | Delayed |',
      `| ${forCa('an action that prevents a recurrence')} | Prevent | Contributing Factor #1 | ${forCa('how its effect is measured')} | ${forCa('date')} | ${forCa('Ongoing, Complete, Delayed or Canceled')} |`,
    ]);
    expect(markdown.split('### Appendix\n')[1]).toBe(
      [
        '',
        '![Affected certificates by notBefore month, stacked by check](affected-by-month.svg)',
        '',
        '- `affected-by-month.svg`: affected certificates by notBefore month, stacked by check, with the scan marked.',
        '- `report.html`: this report, the picture and a sortable, filterable table of the affected certificates in one page.',
        '- `ccadb-appendix.csv`: 103 rows, one per affected certificate, in the template\'s Appendix columns (certscan\'s own columns to the right).',
        '- `crtsh.txt`: 102 crt.sh links, one per decodable affected certificate (undecodable rows have none).',
        '- `findings.csv`: all 104 findings, with the rule each enforces.',
        '',
      ].join('\n'),
    );
  });

  it('a related bug is listed only for findings of the checks it relates to', () => {
    const other = renderSummaryMarkdown(overdueScan({ findingsByCheck: { e_subject_organization_order_mismatch: 103 } }));
    expect(other).not.toContain('1559376');
    expect(other).toContain(`|---|---|---|\n| ${forCa('related bug')} |`);
  });

  it('no decodable affected certificate: the start and end dates say so', () => {
    const undecodableOnly = renderSummaryMarkdown(overdueScan({ firstAffectedNotBefore: null, lastAffectedNotBefore: null }));
    expect(line(undecodableOnly, '   - **Non-compliance start date:**')).toBe(`   - **Non-compliance start date:** ${forCa('start')} (first affected notBefore)`);
    expect(line(undecodableOnly, '   - **Non-compliance end date:**')).toContain('the last affected certificate found has notBefore (none decodable)');
    expect(undecodableOnly).not.toContain('affected certificate issued (notBefore)');
  });

  it('the Preliminary Incident Report: provenance, description, policies and disclosure only', () => {
    const preliminary = renderSummaryMarkdown({ ...incident, incidentReport: { ...incident.incidentReport, template: 'preliminary' } });
    expect(preliminary).toBe(
      [
        '## Preliminary Incident Report',
        '',
        markdown.split('\n')[2],
        '',
        '### Summary',
        line(markdown, '- **Incident description:**'),
        line(markdown, '- **Relevant policies:**'),
        `- **Source of incident disclosure:** ${forCa('Self Reported, Third Party Reported or Audit')}`,
        '',
      ].join('\n'),
    );
  });
});

describe('SummaryAccumulator', () => {
  it('counts certificates scanned and findings by check as batches arrive; the counts come from countAffected', () => {
    const totals = new SummaryAccumulator(scanTime, null);
    totals.add(5, [affected()]);
    totals.add(3, []);
    totals.addCertificates([affected(), affected({}, { ref: 43, revokedAt: '2026-10-05T00:00:00.000Z' })]);
    expect([totals.certificatesScanned, totals.findings, totals.findingsByCheck]).toEqual([8, 3, { e_subject_country_order_mismatch: 2, w_subject_country_placeholder: 1 }]);
    const counts = emptyCounts();
    for (const item of [affected(), affected({}, { ref: 43, revokedAt: '2026-10-05T00:00:00.000Z' })]) countAffected(counts, factsOf(item, scanTime, null));
    expect(totals.counts).toEqual(counts);
    expect(countFields(totals.counts)).toEqual({
      affectedCertificates: 2,
      affectedByValidationType: { OV: 2 },
      stillValid: 1,
      revoked: 1,
      expired: 0,
      undecodable: 0,
      precertificatesOnly: 0,
      crtshLinks: 2,
      firstAffectedNotBefore: '2026-10-01T08:30:00.000Z',
      lastAffectedNotBefore: '2026-10-01T08:30:00.000Z',
      affectedByMonth: { '2026-10': { e_subject_country_order_mismatch: 2, w_subject_country_placeholder: 2 } },
      revocation: { byStatus: { revoked: 1, expired: 0, overdue: 0, due: 1, review: 0 }, toRevoke: { stillValid: 1, undecodable: 0 }, nextDeadline: '2026-12-01T12:00:00.000Z', overdue: [] },
    });
  });

  it('a checkpoint snapshot is plain data, a copy, and restores the same counts (deadlines from the discovery date)', () => {
    const discoveredAt = new Date('2026-11-20T00:00:00Z');
    const totals = new SummaryAccumulator(scanTime, discoveredAt);
    totals.add(5, [affected()]);
    totals.addCertificates([affected()]);
    const snapshot = totals.snapshot();
    expect(Object.keys(snapshot).sort()).toEqual(['certificatesScanned', 'counts', 'findings', 'findingsByCheck']);
    totals.add(1, [affected()]);
    totals.addCertificates([affected()]);
    expect(snapshot.certificatesScanned).toBe(5);
    const resumed = new SummaryAccumulator(scanTime, discoveredAt);
    resumed.restore(snapshot);
    resumed.add(1, [affected()]);
    resumed.addCertificates([affected()]);
    expect(resumed.counts).toEqual(totals.counts);
    expect([resumed.certificatesScanned, resumed.findings, resumed.findingsByCheck]).toEqual([totals.certificatesScanned, totals.findings, totals.findingsByCheck]);
    // Discovered on 2026-11-20: both overdue since 2026-11-25 (the restored accumulator keeps its own discovery date).
    expect(resumed.counts.overdue.map((listed) => listed.deadline)).toEqual(['2026-11-25T00:00:00.000Z', '2026-11-25T00:00:00.000Z']);
  });
});
