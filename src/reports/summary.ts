// summary.json and summary.md: the counts a compliance engineer pastes into an incident.
import type { AffectedCertificate } from '../inspect.js';
import type { SourceDescription } from '../sources/types.js';
import { ALL_CHECK_META } from '../checks/index.js';
import { isRevoked, isoSeconds } from './format.js';

export interface ScanSummary {
  tool: { name: 'certscan'; version: string };
  startedAt: string;
  finishedAt: string;
  source: SourceDescription & { firstId: number | null; lastId: number | null };
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
  reports: string[];
  /**
   * Certificates the fast path decoded, and those it was not sure about (decoded fully by pkijs).
   * Every affected certificate is decoded fully by pkijs as well, whichever path cleared it.
   */
  decoding: { fastPath: number; fastPathFallbacks: number };
}

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

  constructor(private readonly scanTime: Date) {}

  add(scanned: number, affected: readonly AffectedCertificate[]): void {
    this.certificatesScanned += scanned;
    for (const item of affected) {
      this.affectedCertificates++;
      for (const finding of item.findings) {
        this.findings++;
        this.findingsByCheck[finding.check] = (this.findingsByCheck[finding.check] ?? 0) + 1;
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

export function renderSummaryMarkdown(summary: ScanSummary): string {
  const lines: string[] = [];
  const checkRows = ALL_CHECK_META.filter((meta) => summary.findingsByCheck[meta.name]).map(
    (meta) => `| \`${meta.name}\` | ${summary.findingsByCheck[meta.name]} | ${meta.description} | ${meta.citation} |`,
  );
  lines.push(
    '# certscan incident summary',
    '',
    '## Summary',
    '',
    `certscan ${summary.tool.version} scanned ${summary.certificatesScanned} certificates in \`${summary.source.path}\` ` +
      `(table \`${summary.source.certificatesTable}\`, ids ${summary.source.firstId ?? '-'} to ${summary.source.lastId ?? '-'}) ` +
      `and found ${summary.findings} findings on ${summary.affectedCertificates} certificates.`,
    '',
    '## Impact',
    '',
    `- Certificates scanned: ${summary.certificatesScanned}`,
    `- Affected certificates (including expired and revoked): ${summary.affectedCertificates}`,
    `- Still valid (neither expired nor revoked at ${isoSeconds(summary.startedAt)}): ${summary.stillValid}`,
    `- Revoked: ${summary.revoked}; expired: ${summary.expired}; undecodable: ${summary.undecodable}`,
    `- By certificate type: ${Object.entries(summary.affectedByValidationType).map(([type, count]) => `${type} ${count}`).join(', ') || 'none'}`,
    `- First affected notBefore: ${isoSeconds(summary.firstAffectedNotBefore) || '-'}`,
    `- Last affected notBefore: ${isoSeconds(summary.lastAffectedNotBefore) || '-'}`,
    '',
    '### Findings by check',
    '',
    checkRows.length ? '| check | findings | what | rule |\n|---|---|---|---|\n' + checkRows.join('\n') : 'No findings.',
    '',
    '### How to rebuild this set',
    '',
    `Rows were read in id ranges of at most ${summary.source.pageSize} rows with this query (the two \`?\` bound each range: id after, last id), covering ids ${summary.source.firstId ?? '-'} to ${summary.source.lastId ?? '-'}:`,
    '',
    '```sql',
    summary.source.pageQuery,
    '```',
    '',
    `Configuration SHA-256: \`${summary.configSha256}\`.`,
    '',
    '## Appendix',
    '',
    'The affected certificates are listed in `ccadb-appendix.csv` (CCADB incident report appendix columns),',
    'and every finding in `findings.csv`.',
    '',
  );
  return lines.join('\n');
}
