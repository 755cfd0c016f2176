// SummaryAccumulator (the counts of summary.json, and a checkpoint's snapshot of them) and
// summary.md (the incident report in the CCADB shape, for each kind of source).
import { describe, expect, it } from 'vitest';
import type { DecodedCertificate } from '../../src/decode/types.js';
import { SummaryAccumulator, renderSummaryMarkdown } from '../../src/reports/summary.js';
import { affected, certificate, mismatch, placeholder, scanSummary, scanTime } from './affected_fixture.js';

const validUntil = (notAfter: string, notBefore = certificate.notBefore): DecodedCertificate => ({ ...certificate, notBefore, notAfter });

describe('SummaryAccumulator', () => {
  it('counts findings by check, and affected certificates by status, type and deadline', () => {
    const totals = new SummaryAccumulator(scanTime);
    const due = affected();
    const revoked = affected({}, { revokedAt: '2026-10-05T00:00:00.000Z' });
    const expired = affected({ certificate: validUntil('2026-11-01T00:00:00.000Z', '2026-08-01T00:00:00.000Z') });
    const undecodable = affected({ certificate: null, findings: [mismatch] }, { revokedAt: '2026-10-05T00:00:00.000Z' });
    const review = affected({ findings: [placeholder], certificate: validUntil('2027-01-01T00:00:00.000Z', '2026-11-20T00:00:00.000Z') });
    const items = [due, revoked, expired, undecodable, review];
    totals.add(1000, items);
    totals.addCertificates(items);
    expect({ ...totals, revocation: totals.revocationSummary() }).toMatchObject({
      certificatesScanned: 1000,
      findings: 11,
      findingsByCheck: { e_subject_country_order_mismatch: 7, w_subject_country_placeholder: 4 },
      affectedCertificates: 5,
      affectedByValidationType: { OV: 4 },
      stillValid: 2,
      revoked: 2,
      expired: 1,
      undecodable: 1,
      firstAffectedNotBefore: '2026-08-01T00:00:00.000Z',
      lastAffectedNotBefore: '2026-11-20T00:00:00.000Z',
      revocation: { byStatus: { revoked: 2, expired: 1, overdue: 0, due: 1, review: 1 }, nextDeadline: '2026-12-01T12:00:00.000Z', overdue: [] },
    });
  });

  it('lists overdue certificates (deadline from an earlier discovery) and keeps the earliest deadline ahead', () => {
    const totals = new SummaryAccumulator(scanTime, new Date('2026-11-01T00:00:00Z'));
    totals.addCertificates([affected({}, { ref: 7 })]);
    expect(totals.revocationSummary()).toEqual({
      byStatus: { revoked: 0, expired: 0, overdue: 1, due: 0, review: 0 },
      nextDeadline: null,
      overdue: [{ certId: 7, serial: '0a1b2c', sha256: certificate.sha256, deadline: '2026-11-06T00:00:00.000Z' }],
    });
  });

  it('a checkpoint snapshot restores every count, and the deadline state is copied, not shared', () => {
    const totals = new SummaryAccumulator(scanTime);
    totals.add(10, [affected()]);
    totals.addCertificates([affected()]);
    const snapshot = JSON.parse(JSON.stringify(totals.snapshot())) as Record<string, unknown>;
    const resumed = new SummaryAccumulator(scanTime);
    resumed.restore(snapshot);
    expect({ ...resumed, revocation: resumed.revocationSummary() }).toEqual({ ...totals, revocation: totals.revocationSummary() });
    totals.revocationSummary().byStatus.due = 99;
    expect(totals.revocationSummary().byStatus.due).toBe(1);
  });
});

describe('renderSummaryMarkdown', () => {
  const db = scanSummary({
    scanId: 'abc123', tool: { name: 'certscan', version: '1.2.3' }, configSha256: 'c0ffee',
    source: { kind: 'sqlite', path: 'issuance.sqlite', databaseFile: { bytes: 1, modifiedAt: 'x' }, certificatesTable: 'certs', pageQuery: 'SELECT 1', pageSize: 500, firstId: 1, lastId: 2000 },
    certificatesScanned: 2000, affectedCertificates: 4, findings: 5,
    findingsByCheck: { w_subject_country_placeholder: 1, e_subject_country_order_mismatch: 4 },
    affectedByValidationType: { EV: 1, OV: 2, unknown: 1 },
    stillValid: 2, revoked: 1, expired: 0, undecodable: 1,
    firstAffectedNotBefore: '2019-06-20T10:00:00.000Z', lastAffectedNotBefore: '2026-10-01T00:00:00.000Z',
    revocation: { byStatus: { revoked: 1, expired: 0, overdue: 3, due: 1, review: 0 }, nextDeadline: '2026-12-01T12:00:00.000Z', overdue: [{ certId: 7, serial: '0a', sha256: 'ff', deadline: '2026-11-20T00:00:00.000Z' }] },
  });
  const ct = scanSummary({
    discoveredAt: '2026-11-01T00:00:00.000Z',
    source: { kind: 'static-ct', path: 'issuance.sqlite', databaseFile: { bytes: 1, modifiedAt: 'x' }, certificatesTable: 'certs', pageQuery: '-', pageSize: 1, firstId: 0, lastId: 1023, input: { path: 'mirror', origin: 'log.example/2026', treeSize: 1024, rootHash: 'aGFzaA==', files: 4 } },
    certificatesScanned: 900, logEntries: { read: 1024, ownIssuers: 900, otherIssuers: 124 },
  });
  const rfc = scanSummary({ source: { kind: 'rfc6962', path: 'i.sqlite', databaseFile: { bytes: 1, modifiedAt: 'x' }, certificatesTable: 'certs', pageQuery: '-', pageSize: 1, firstId: null, lastId: null, input: { path: 'pages', files: 2 } } });
  const pem = scanSummary({ source: { kind: 'pem', path: 'i.sqlite', databaseFile: { bytes: 1, modifiedAt: 'x' }, certificatesTable: 'certs', pageQuery: '-', pageSize: 1, firstId: null, lastId: null, input: { path: 'certs/', files: 3 } } });

  it('a database scan with findings, overdue certificates beyond the listed ones, and the page query', () => {
    expect(renderSummaryMarkdown(db)).toBe(`# Incident report (CCADB format v3.2) — generated by certscan

_certscan 1.2.3, scan \`abc123\` of 2026-11-26T12:00:00Z, configuration SHA-256 \`c0ffee\`._

## Summary

_(To be completed by the CA: what happened, in a few sentences.)_ certscan found 4 certificates whose contents disagree with the vetted order data or with the Baseline Requirements (5 findings in all).

## Impact

- Total number of affected certificates (including expired and revoked): **4**
- Still valid (neither expired nor revoked at the scan): **2**; revoked: 1; expired: 0; undecodable: 1
- Certificate types (from the policy OIDs): OV: 2, EV: 1, unknown: 1
- Non-compliance start (first affected notBefore): 2019-06-20T10:00:00Z
- Non-compliance end (last affected notBefore): 2026-10-01T00:00:00Z
- Certificates scanned: 2000 in \`issuance.sqlite\` (table \`certs\`, ids 1 to 2000)

### Revocation (BR 4.9.1.1)

Deadlines run 5 days from this scan (2026-11-26T12:00:00Z) for every certificate with an error finding (inaccurate subject information, or not issued per the BRs).

- Overdue: **3**; due: 1 (next deadline 2026-12-01T12:00:00Z); already revoked: 1; expired: 0; warnings only (review): 0

**Overdue certificates (not revoked by their deadline):**

| cert_id | serial | deadline | SHA-256 |
|---|---|---|---|
| 7 | 0a | 2026-11-20T00:00:00Z | ff |

… and 2 more (see ccadb-appendix.csv, column revocation_status).

### Heuristic: how a third party can rebuild the set

A certificate is affected when any of these certscan checks reports it: \`e_subject_country_order_mismatch\`, \`w_subject_country_placeholder\`.

| check | findings | what | rule |
|---|---|---|---|
| \`e_subject_country_order_mismatch\` | 4 | Subject countryName differs from the country vetted for the order | BR 3.2.2.3 (verification of country) and 7.1.2.7.4 (BR 1.x: 7.1.4.2.2(h)): subject:countryName is the verified country of the Subject |
| \`w_subject_country_placeholder\` | 1 | Subject countryName is one of the CA's configured placeholder codes and was not vetted for the order | BR 3.2.2.3 and 7.1.2.7.4: countryName must be the verified country, not a workflow placeholder (Bugzilla 1559376) |

Rows were read in id ranges of at most 500 rows with this query (the two \`?\` bound each range: id after, last id), covering ids 1 to 2000:

\`\`\`sql
SELECT 1
\`\`\`

## Timeline

_(To be completed by the CA, all times UTC.)_ 2019-06-20T10:00:00Z: first affected certificate issued. 2026-11-26T12:00:00Z: certscan scan found 4 affected certificates.

## Related Incidents

_(To be completed by the CA.)_ For country-of-subject mismatches see Mozilla Bugzilla 1559376.

## Root Cause Analysis

_(To be completed by the CA.)_

## Action Items

| Action Item | Kind | Due Date |
|---|---|---|
| Revoke the 4 affected certificates that are still valid | Mitigate | 2026-12-01T12:00:00Z |

## Appendix

- \`ccadb-appendix.csv\`: one row per affected certificate in the CCADB appendix columns (certscan's own columns to the right: cert_id, order_id, checks, revocation_deadline, revocation_status).
- \`crtsh.txt\`: one crt.sh link per affected certificate (CCADB accepts this instead of the CSV from 10,000 certificates up).
- \`findings.csv\`: every finding, with the rule it enforces.
`);
  });

  it('a static-ct mirror with a checkpoint, deadlines from an earlier discovery, no findings', () => {
    const text = renderSummaryMarkdown(ct);
    for (const line of [
      "- Certificates scanned: 900 of the CA's own issuers, of 1024 entries read from the CT export of `log.example/2026` `mirror` (log indexes 0 to 1023); orders joined from `issuance.sqlite`",
      'Deadlines run 5 days from the discovery date 2026-11-01T00:00:00Z for every certificate with an error finding (inaccurate subject information, or not issued per the BRs).',
      '- Overdue: **0**; due: 0; already revoked: 0; expired: 0; warnings only (review): 0',
      'A certificate is affected when any of these certscan checks reports it: none.\n\nNo findings.',
      'Entries were read from 4 data tiles under `mirror`, checkpoint tree size 1024, root hash `aGFzaA==`. Entries of other issuers were skipped;',
      '- Certificate types (from the policy OIDs): none',
      '- Non-compliance start (first affected notBefore): -',
      '| Revoke the 0 affected certificates that are still valid | Mitigate | - |',
    ]) expect(text).toContain(line);
    expect(text).not.toContain('Overdue certificates');
  });

  it('RFC 6962 pages and certificate files say what was read', () => {
    expect(renderSummaryMarkdown(rfc)).toContain("- Certificates scanned: 0 of the CA's own issuers, of 0 entries read from the CT export `pages` (log indexes - to -); orders joined from `i.sqlite`");
    expect(renderSummaryMarkdown(rfc)).toContain('Entries were read from 2 get-entries pages under `pages`. Entries');
    expect(renderSummaryMarkdown(pem)).toContain("- Certificates scanned: 0 of the CA's own issuers, of 0 entries read from the certificate files `certs/`; orders joined from `i.sqlite`");
    expect(renderSummaryMarkdown(pem)).toContain('Entries were read from 3 files under `certs/`. Entries');
  });
});
