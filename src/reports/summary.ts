// summary.json and summary.md: the counts a compliance engineer pastes into an incident.
import type { AffectedCertificate } from '../inspect.js';
import { isDatabaseKind, type DatabaseKind, type SourceDescription } from '../sources/types.js';
import { ALL_CHECK_META } from '../checks/index.js';
import { isRevoked, isoSeconds, serialOf } from './format.js';
import { REVOCATION_DAYS, revocationDeadline, type DeadlineStatus } from './deadline.js';

export interface ScanSummary {
  /** Also in the ledger entry of this scan. */
  scanId: string;
  tool: { name: 'certscan'; version: string };
  startedAt: string;
  finishedAt: string;
  source: SourceDescription & { firstId: number | null; lastId: number | null; filter?: unknown; shard?: string };
  workers: number;
  configSha256: string;
  certificatesScanned: number;
  affectedCertificates: number;
  findings: number;
  findingsByCheck: Record<string, number>;
  affectedByValidationType: Record<string, number>;
  /** Affected, not revoked and not yet expired at the scan time. */
  stillValid: number;
  revoked: number;
  expired: number;
  undecodable: number;
  firstAffectedNotBefore: string | null;
  lastAffectedNotBefore: string | null;
  /** When the CA says it first learned of the problem (else the deadlines run from the scan). */
  discoveredAt: string | null;
  revocation: RevocationSummary;
  reports: string[];
  /**
   * Certificates the fast path decoded, and those it was not sure about (decoded fully by pkijs).
   * Every affected certificate is decoded fully by pkijs as well, whichever path cleared it.
   */
  decoding: { fastPath: number; fastPathFallbacks: number };
  /** CT and file sources: entries read, of the CA's own issuers (scanned), of other issuers (skipped). */
  logEntries?: { read: number; ownIssuers: number; otherIssuers: number };
  /** Pieces of input that could not be read (listed in input-errors.csv). */
  inputProblems: number;
}

export interface OverdueCertificate {
  certId: number;
  serial: string;
  sha256: string;
  deadline: string;
}

export interface RevocationSummary {
  /** Affected certificates by deadline status (revoked, expired, overdue, due, review). */
  byStatus: Record<DeadlineStatus, number>;
  /** The earliest deadline still ahead, for certificates not yet revoked. */
  nextDeadline: string | null;
  /** Overdue certificates, the first OVERDUE_LISTED of them. */
  overdue: OverdueCertificate[];
}

const OVERDUE_LISTED = 100;

/** Counts affected certificates as batches arrive; memory does not grow with the corpus. */
export class SummaryAccumulator {
  certificatesScanned = 0;
  affectedCertificates = 0;
  findings = 0;
  stillValid = 0;
  revoked = 0;
  expired = 0;
  undecodable = 0;
  firstAffectedNotBefore: string | null = null;
  lastAffectedNotBefore: string | null = null;
  readonly findingsByCheck: Record<string, number> = {};
  readonly affectedByValidationType: Record<string, number> = {};

  private readonly deadlines: RevocationSummary = { byStatus: { revoked: 0, expired: 0, overdue: 0, due: 0, review: 0 }, nextDeadline: null, overdue: [] };

  constructor(
    private readonly scanTime: Date,
    private readonly discoveredAt: Date | null = null,
  ) {}

  revocationSummary(): RevocationSummary {
    return structuredClone(this.deadlines);
  }

  /** Plain data for an audit checkpoint. */
  snapshot(): Record<string, unknown> {
    const { scanTime: _time, discoveredAt: _discovered, ...state } = this as unknown as Record<string, unknown>;
    return structuredClone(state);
  }

  restore(snapshot: Record<string, unknown>): void {
    Object.assign(this, structuredClone(snapshot));
  }

  /** Counts a batch as it arrives: certificates scanned and findings. */
  add(scanned: number, affected: readonly AffectedCertificate[]): void {
    this.certificatesScanned += scanned;
    for (const item of affected) {
      for (const finding of item.findings) {
        this.findings++;
        this.findingsByCheck[finding.check] = (this.findingsByCheck[finding.check] ?? 0) + 1;
      }
    }
  }

  /** Counts affected certificates (a precertificate paired with its certificate counts once). */
  addCertificates(affected: readonly AffectedCertificate[]): void {
    for (const item of affected) {
      this.affectedCertificates++;
      const { status, deadline } = revocationDeadline(item, this.scanTime, this.discoveredAt);
      this.deadlines.byStatus[status]++;
      if (status === 'due' && deadline && (this.deadlines.nextDeadline === null || deadline < this.deadlines.nextDeadline)) this.deadlines.nextDeadline = deadline;
      if (status === 'overdue' && deadline && this.deadlines.overdue.length < OVERDUE_LISTED) {
        this.deadlines.overdue.push({ certId: item.row.ref, serial: serialOf(item), sha256: item.sha256, deadline });
      }
      const certificate = item.certificate;
      if (!certificate) {
        this.undecodable++;
        if (isRevoked(item)) this.revoked++;
        continue;
      }
      const type = certificate.validationType ?? 'unknown';
      this.affectedByValidationType[type] = (this.affectedByValidationType[type] ?? 0) + 1;
      if (isRevoked(item)) this.revoked++;
      else if (new Date(certificate.notAfter) <= this.scanTime) this.expired++;
      else this.stillValid++;
      if (this.firstAffectedNotBefore === null || certificate.notBefore < this.firstAffectedNotBefore) this.firstAffectedNotBefore = certificate.notBefore;
      if (this.lastAffectedNotBefore === null || certificate.notBefore > this.lastAffectedNotBefore) this.lastAffectedNotBefore = certificate.notBefore;
    }
  }
}

/** What was scanned, in one line of the Impact section. */
function scannedWhat(summary: ScanSummary): string {
  const { source } = summary;
  if (isDatabaseKind(source.kind)) {
    return `${summary.certificatesScanned} in \`${source.path}\` (table \`${source.certificatesTable}\`, ids ${source.firstId ?? '-'} to ${source.lastId ?? '-'})`;
  }
  const log = summary.logEntries;
  const what = source.kind === 'pem' ? 'certificate files' : `CT export${source.input?.origin ? ` of \`${source.input.origin}\`` : ''}`;
  return (
    `${summary.certificatesScanned} of the CA's own issuers, of ${log?.read ?? 0} entries read from the ${what} \`${source.input?.path ?? ''}\`` +
    `${source.kind === 'pem' ? '' : ` (log indexes ${source.firstId ?? '-'} to ${source.lastId ?? '-'})`}; orders joined from \`${source.path}\``
  );
}

/** How each engine's page query names its range parameters (an audit's filter adds more after them). */
const RANGE_PARAMETERS: Record<DatabaseKind, string> = { sqlite: 'the two `?`', postgresql: '`$1` and `$2`', mysql: 'the first two `?`' };

/** How the rows or entries were read, precisely enough to read them again. */
function howRead(summary: ScanSummary): string[] {
  const { source } = summary;
  if (isDatabaseKind(source.kind)) {
    return [
      `Rows were read in id ranges of at most ${source.pageSize} rows with this query (${RANGE_PARAMETERS[source.kind]} bound each range: id after, last id), covering ids ${source.firstId ?? '-'} to ${source.lastId ?? '-'}:`,
      '',
      '```sql',
      source.pageQuery,
      '```',
    ];
  }
  const input = source.input;
  const tree = input?.treeSize !== undefined ? `, checkpoint tree size ${input.treeSize}, root hash \`${input.rootHash}\`` : '';
  return [
    `Entries were read from ${input?.files ?? 0} ${source.kind === 'static-ct' ? 'data tiles' : source.kind === 'rfc6962' ? 'get-entries pages' : 'files'} under \`${input?.path ?? ''}\`${tree}. ` +
      'Entries of other issuers were skipped; serials were normalized (lowercase hex, no leading zeros) and looked up in `certificates.serial`.',
  ];
}

/** summary.md in the shape of a CCADB incident report (v3.2), ready to paste into Bugzilla. */
export function renderSummaryMarkdown(summary: ScanSummary): string {
  const checks = ALL_CHECK_META.filter((meta) => summary.findingsByCheck[meta.name]);
  const checkRows = checks.map((meta) => `| \`${meta.name}\` | ${summary.findingsByCheck[meta.name]} | ${meta.description} | ${meta.citation} |`);
  const { byStatus, overdue, nextDeadline } = summary.revocation;
  const evidence = summary.discoveredAt ? `the discovery date ${isoSeconds(summary.discoveredAt)}` : `this scan (${isoSeconds(summary.startedAt)})`;
  const types = ['DV', 'OV', 'IV', 'EV', 'unknown']
    .filter((type) => summary.affectedByValidationType[type])
    .map((type) => `${type}: ${summary.affectedByValidationType[type]}`);
  const lines: string[] = [
    '# Incident report (CCADB format v3.2) — generated by certscan',
    '',
    `_certscan ${summary.tool.version}, scan \`${summary.scanId}\` of ${isoSeconds(summary.startedAt)}, configuration SHA-256 \`${summary.configSha256}\`._`,
    '',
    '## Summary',
    '',
    `_(To be completed by the CA: what happened, in a few sentences.)_ certscan found ${summary.affectedCertificates} certificates ` +
      `whose contents disagree with the vetted order data or with the Baseline Requirements (${summary.findings} findings in all).`,
    '',
    '## Impact',
    '',
    `- Total number of affected certificates (including expired and revoked): **${summary.affectedCertificates}**`,
    `- Still valid (neither expired nor revoked at the scan): **${summary.stillValid}**; revoked: ${summary.revoked}; expired: ${summary.expired}; undecodable: ${summary.undecodable}`,
    `- Certificate types (from the policy OIDs): ${types.join(', ') || 'none'}`,
    `- Non-compliance start (first affected notBefore): ${isoSeconds(summary.firstAffectedNotBefore) || '-'}`,
    `- Non-compliance end (last affected notBefore): ${isoSeconds(summary.lastAffectedNotBefore) || '-'}`,
    `- Certificates scanned: ${scannedWhat(summary)}`,
    '',
    '### Revocation (BR 4.9.1.1)',
    '',
    `Deadlines run ${REVOCATION_DAYS} days from ${evidence} for every certificate with an error finding (inaccurate subject information, or not issued per the BRs).`,
    '',
    `- Overdue: **${byStatus.overdue}**; due: ${byStatus.due}${nextDeadline ? ` (next deadline ${isoSeconds(nextDeadline)})` : ''}; already revoked: ${byStatus.revoked}; expired: ${byStatus.expired}; warnings only (review): ${byStatus.review}`,
  ];
  if (overdue.length) {
    lines.push('', '**Overdue certificates (not revoked by their deadline):**', '', '| cert_id | serial | deadline | SHA-256 |', '|---|---|---|---|');
    for (const item of overdue) lines.push(`| ${item.certId} | ${item.serial} | ${isoSeconds(item.deadline)} | ${item.sha256} |`);
    if (byStatus.overdue > overdue.length) lines.push('', `… and ${byStatus.overdue - overdue.length} more (see ccadb-appendix.csv, column revocation_status).`);
  }
  lines.push(
    '',
    '### Heuristic: how a third party can rebuild the set',
    '',
    `A certificate is affected when any of these certscan checks reports it: ${checks.map((meta) => `\`${meta.name}\``).join(', ') || 'none'}.`,
    '',
    checkRows.length ? '| check | findings | what | rule |\n|---|---|---|---|\n' + checkRows.join('\n') : 'No findings.',
    '',
    ...howRead(summary),
    '',
    '## Timeline',
    '',
    `_(To be completed by the CA, all times UTC.)_ ${isoSeconds(summary.firstAffectedNotBefore) || '-'}: first affected certificate issued. ${isoSeconds(summary.startedAt)}: certscan scan found ${summary.affectedCertificates} affected certificates.`,
    '',
    '## Related Incidents',
    '',
    '_(To be completed by the CA.)_ For country-of-subject mismatches see Mozilla Bugzilla 1559376.',
    '',
    '## Root Cause Analysis',
    '',
    '_(To be completed by the CA.)_',
    '',
    '## Action Items',
    '',
    '| Action Item | Kind | Due Date |',
    '|---|---|---|',
    `| Revoke the ${byStatus.due + byStatus.overdue} affected certificates that are still valid | Mitigate | ${isoSeconds(nextDeadline) || '-'} |`,
    '',
    '## Appendix',
    '',
    '- `ccadb-appendix.csv`: one row per affected certificate in the CCADB appendix columns (certscan\'s own columns to the right: cert_id, order_id, checks, revocation_deadline, revocation_status).',
    '- `crtsh.txt`: one crt.sh link per affected certificate (CCADB accepts this instead of the CSV from 10,000 certificates up).',
    '- `findings.csv`: every finding, with the rule it enforces.',
    '',
  );
  return lines.join('\n');
}
