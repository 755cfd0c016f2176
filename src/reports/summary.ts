// summary.json and summary.md: the counts a compliance engineer pastes into an incident, in the
// CCADB incident report template (v3.2): every section and field in the template's order, filled
// where certscan knows the answer, marked for the CA where it does not, N/A where it does not apply.
import { vettedDataSentence, type VettedData } from './vetted_data.js';
import type { AffectedCertificate } from '../inspect.js';
import { isDatabaseKind, type DatabaseKind, type RowKey, type SourceDescription } from '../sources/types.js';
import { ALL_CHECK_META } from '../checks/index.js';
import { isoSeconds } from './format.js';
import { REVOCATION_DAYS, type DeadlineStatus } from './deadline.js';
import { countAffected, emptyCounts, factsOf, type AffectedCounts, type OverdueCertificate } from './affected_counts.js';

export type { OverdueCertificate } from './affected_counts.js';

export const REPORT_TEMPLATES = ['full', 'preliminary'] as const;
export type ReportTemplate = (typeof REPORT_TEMPLATES)[number];

/** What is fixed per CA (config `report.*`) and which template summary.md follows. */
export interface IncidentReportSettings {
  template: ReportTemplate;
  /** The CA Owner's name as disclosed in the CCADB. */
  caOwner: string | null;
  /** CA Owner CCADB unique ID: "A" and six digits. */
  ccadbId: string | null;
  /** Policy documents and sections beyond the rules the checks cite (e.g. the CA's CP/CPS). */
  relevantPolicies: string[];
}

export const DEFAULT_INCIDENT_REPORT: IncidentReportSettings = { template: 'full', caOwner: null, ccadbId: null, relevantPolicies: [] };

export interface ScanSummary {
  /** Also in the ledger entry of this scan. */
  scanId: string;
  tool: { name: 'certscan'; version: string };
  startedAt: string;
  finishedAt: string;
  source: SourceDescription & { firstId: RowKey | null; lastId: RowKey | null; filter?: unknown; shard?: string };
  workers: number;
  configSha256: string;
  /** The config file used, or "built-in defaults" (left out by runScan callers that do not say). */
  configFile?: string;
  certificatesScanned: number;
  /** Appendix rows: certificates, and precertificates whose final certificate was not found. */
  affectedCertificates: number;
  findings: number;
  findingsByCheck: Record<string, number>;
  /** Adds up to affectedCertificates ("unknown": no CA/B Forum policy OID, or undecodable). */
  affectedByValidationType: Record<string, number>;
  /** The four classes add up to affectedCertificates. Still valid: decoded, not revoked, not expired at the scan. */
  stillValid: number;
  /** The source says revoked (decodable or not). */
  revoked: number;
  expired: number;
  /** Not revoked, and the DER did not decode: validity unknown. */
  undecodable: number;
  /** CT precertificates whose final certificate was not found (included in affectedCertificates). */
  precertificatesOnly: number;
  /** Lines of crtsh.txt: affected rows with a certificate hash (an undecodable row has none). */
  crtshLinks: number;
  firstAffectedNotBefore: string | null;
  lastAffectedNotBefore: string | null;
  /** notBefore month (YYYY-MM) -> check -> affected certificates (affected-by-month.svg). */
  affectedByMonth: Record<string, Record<string, number>>;
  /** When the CA says it first learned of the problem (else the deadlines run from the scan). */
  discoveredAt: string | null;
  revocation: RevocationSummary;
  incidentReport: IncidentReportSettings;
  reports: string[];
  /**
   * Certificates the fast path decoded, and those it was not sure about (decoded fully by pkijs).
   * Every affected certificate is decoded fully by pkijs as well, whichever path cleared it.
   */
  decoding: { fastPath: number; fastPathFallbacks: number };
  /** database.orders.snapshots (EJBCA's CertReqHistoryData): which vetted data the certificates were compared with. */
  vettedData?: VettedData;
  /** CT and file sources: entries read, of the CA's own issuers (scanned), of other issuers (skipped). */
  logEntries?: {
    read: number;
    ownIssuers: number;
    otherIssuers: number;
    /** false: no issuer was given for a file scan, and every certificate was scanned. */
    issuerFilter: boolean;
    /** File scans: PEM objects that are not certificates (CRLs, requests), not scanned. */
    otherObjects?: number;
  };
  /** Pieces of input that could not be read (listed in input-errors.csv). */
  inputProblems: number;
  /** Worker threads that died and were replaced (each certificate one died on has a finding). */
  workerRestarts: number;
  /** What looks wrong with the scan's input or settings (printed by the CLI as well). */
  warnings?: string[];
}

export interface RevocationSummary {
  /** Affected certificates by deadline status (revoked, expired, overdue, due, review). */
  byStatus: Record<DeadlineStatus, number>;
  /** Overdue + due: certificates to revoke, still valid or undecodable. */
  toRevoke: { stillValid: number; undecodable: number };
  /** The earliest deadline still ahead, for certificates not yet revoked. */
  nextDeadline: string | null;
  /** Overdue certificates, the first 100 of them. */
  overdue: OverdueCertificate[];
}

/** The summary fields that come from the affected certificates' counts. */
export function countFields(counts: AffectedCounts) {
  return {
    affectedCertificates: counts.total,
    affectedByValidationType: counts.byValidationType,
    stillValid: counts.byClass['still-valid'],
    revoked: counts.byClass.revoked,
    expired: counts.byClass.expired,
    undecodable: counts.byClass.undecodable,
    precertificatesOnly: counts.precertificatesOnly,
    crtshLinks: counts.crtshLinks,
    firstAffectedNotBefore: counts.firstNotBefore,
    lastAffectedNotBefore: counts.lastNotBefore,
    affectedByMonth: counts.byMonthAndCheck,
    revocation: { byStatus: counts.byStatus, toRevoke: counts.toRevoke, nextDeadline: counts.nextDeadline, overdue: counts.overdue },
  } satisfies Partial<ScanSummary>;
}

/** Counts affected certificates as batches arrive; memory does not grow with the corpus. */
export class SummaryAccumulator {
  certificatesScanned = 0;
  findings = 0;
  readonly findingsByCheck: Record<string, number> = {};
  counts: AffectedCounts = emptyCounts();

  constructor(
    private readonly scanTime: Date,
    private readonly discoveredAt: Date | null = null,
  ) {}

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
    for (const item of affected) countAffected(this.counts, factsOf(item, this.scanTime, this.discoveredAt));
  }
}

/** The file names of the pictures and the page, linked from summary.md. */
export const CHART_FILE = 'affected-by-month.svg';
export const HTML_FILE = 'report.html';

const forCa = (hint: string) => `_(To be completed by the CA: ${hint})_`;
const NA = 'N/A';

/** What was scanned, in one line. */
function scannedWhat(summary: ScanSummary): string {
  const { source } = summary;
  if (isDatabaseKind(source.kind)) {
    const precertificates = source.precertificates;
    const andPrecertificates = precertificates
      ? ` and ${precertificates.scanned} precertificates (table \`${precertificates.table}\`, ids ${precertificates.firstId ?? '-'} to ${precertificates.lastId ?? '-'}), a precertificate and its certificate paired by serial`
      : '';
    return `${summary.certificatesScanned} certificates in \`${source.path}\` (table \`${source.certificatesTable}\`, ids ${source.firstId ?? '-'} to ${source.lastId ?? '-'})${andPrecertificates}`;
  }
  const log = summary.logEntries;
  const what = source.kind === 'pem' ? 'certificate files' : `CT export${source.input?.origin ? ` of \`${source.input.origin}\`` : ''}`;
  const whose = log?.issuerFilter === false ? 'every issuer (no issuer filter)' : `the CA's own issuers (${log?.otherIssuers ?? 0} of other issuers skipped)`;
  const others = log?.otherObjects ? `; ${log.otherObjects} PEM objects that are not certificates (CRLs, requests) were not scanned` : '';
  return (
    `${summary.certificatesScanned} entries of ${whose}, of ${log?.read ?? 0} entries read from the ${what} \`${source.input?.path ?? ''}\`` +
    `${source.kind === 'pem' ? '' : ` (log indexes ${source.firstId ?? '-'} to ${source.lastId ?? '-'})`}; orders joined from \`${source.path}\`${others}`
  );
}

/** How each engine's page query names its range parameters (an audit's filter adds more after them). */
const RANGE_PARAMETERS: Record<DatabaseKind, string> = { sqlite: 'the two `?`', postgresql: '`$1` and `$2`', mysql: 'the first two `?`' };

/** How the rows or entries were read, precisely enough to read them again. */
function howRead(summary: ScanSummary): string[] {
  const { source } = summary;
  if (isDatabaseKind(source.kind)) {
    return [
      `  Rows were read in id ranges of at most ${source.pageSize} rows with this query (${RANGE_PARAMETERS[source.kind]} bound each range: id after, last id), covering ids ${source.firstId ?? '-'} to ${source.lastId ?? '-'}:`,
      '',
      '  ```sql',
      ...source.pageQuery.split('\n').map((line) => `  ${line}`),
      '  ```',
      ...(summary.vettedData ? ['', `  Compared with the ${vettedDataSentence(summary.vettedData)}.`] : []),
      ...(source.precertificates
        ? ['', `  Then the precertificates, in id ranges of \`${source.precertificates.table}\` with this query:`, '', '  ```sql', ...source.precertificates.pageQuery.split('\n').map((line) => `  ${line}`), '  ```']
        : []),
    ];
  }
  const input = source.input;
  const tree = input?.treeSize !== undefined ? `, checkpoint tree size ${input.treeSize}, root hash \`${input.rootHash}\`` : '';
  return [
    `  Entries were read from ${input?.files ?? 0} ${source.kind === 'static-ct' ? 'data tiles' : source.kind === 'rfc6962' ? 'get-entries pages' : 'files'} under \`${input?.path ?? ''}\`${tree}. ` +
      'Entries of other issuers were skipped; serials were normalized (lowercase hex, no leading zeros) and looked up in `certificates.serial`.',
  ];
}

const TYPE_ORDER = ['DV', 'IV', 'OV', 'EV', 'unknown'];

/** "OV 3, EV 1, unknown 1": the validation types, adding up to the total. */
export function typeBreakdown(summary: ScanSummary): string {
  const types = Object.keys(summary.affectedByValidationType).sort((a, b) => (TYPE_ORDER.indexOf(a) >>> 0) - (TYPE_ORDER.indexOf(b) >>> 0));
  return types.map((type) => `${type} ${summary.affectedByValidationType[type]}`).join(', ');
}

/** "still valid 3 + revoked 1 + expired 0 + undecodable 1": the classes, adding up to the total. */
export function classBreakdown(summary: ScanSummary): string {
  return `still valid ${summary.stillValid} + revoked ${summary.revoked} + expired ${summary.expired} + undecodable ${summary.undecodable}`;
}

function remainingValid(summary: ScanSummary): number {
  return summary.stillValid + summary.undecodable;
}

function checksFound(summary: ScanSummary) {
  return ALL_CHECK_META.filter((meta) => summary.findingsByCheck[meta.name]);
}

/** The rules the checks with findings enforce, then the CA's own (config report.relevantPolicies). */
function relevantPolicies(summary: ScanSummary): string {
  const rules = [...new Set(checksFound(summary).map((meta) => meta.citation))];
  const all = [...rules, ...summary.incidentReport.relevantPolicies];
  return all.length ? all.join('; ') : NA;
}

function incidentDescription(summary: ScanSummary): string {
  if (summary.affectedCertificates === 0) return `${NA}: certscan found no affected certificates among ${scannedWhat(summary)}.`;
  const checks = checksFound(summary).map((meta) => `\`${meta.name}\` (${meta.description})`);
  return (
    `certscan found ${summary.affectedCertificates} affected certificates (${classBreakdown(summary)}) among ${scannedWhat(summary)}, ` +
    `with ${summary.findings} findings of these checks: ${checks.join('; ')}. ${forCa('what happened, in a few sentences')}`
  );
}

/** Known events, oldest first; the CA adds the rest. */
function timelineEvents(summary: ScanSummary): string[] {
  const events: Array<[string, string]> = [];
  if (summary.firstAffectedNotBefore) events.push([summary.firstAffectedNotBefore, 'first affected certificate issued (notBefore)']);
  if (summary.lastAffectedNotBefore && summary.lastAffectedNotBefore !== summary.firstAffectedNotBefore) events.push([summary.lastAffectedNotBefore, 'last affected certificate issued (notBefore)']);
  if (summary.discoveredAt) events.push([summary.discoveredAt, 'the CA learned of the problem (`--discovered`)']);
  events.push([summary.startedAt, `certscan scan \`${summary.scanId}\` found ${summary.affectedCertificates} affected certificates`]);
  if (summary.revocation.nextDeadline) events.push([summary.revocation.nextDeadline, `next revocation deadline (BR 4.9.1.1, ${REVOCATION_DAYS} days)`]);
  events.sort((a, b) => a[0].localeCompare(b[0]));
  return events.map(([at, what]) => `- ${isoSeconds(at)}: ${what}`);
}

/** Incidents certscan's checks are known to relate to; the CA adds its own. */
const RELATED_BUGS: ReadonlyArray<{ bug: number; checks: readonly string[]; description: string }> = [
  {
    bug: 1559376,
    checks: ['e_subject_country_order_mismatch', 'w_subject_country_placeholder', 'e_subject_country_not_iso3166'],
    description: 'Subject country in issued certificates differed from the vetted country (placeholder and wrong codes); the same kind of mismatch.',
  },
];

function relatedIncidentRows(summary: ScanSummary): string[] {
  const rows = RELATED_BUGS.filter((related) => related.checks.some((check) => summary.findingsByCheck[check])).map(
    (related) => `| [${related.bug}](https://bugzilla.mozilla.org/show_bug.cgi?id=${related.bug}) | ${forCa('date the bug was opened')} | ${related.description} |`,
  );
  rows.push(`| ${forCa('related bug')} | ${forCa('date opened')} | ${forCa('how it relates (incidents of the last two years, of any CA)')} |`);
  return rows;
}

function overdueTable(summary: ScanSummary): string[] {
  const { overdue, byStatus } = summary.revocation;
  if (!overdue.length) return [];
  const lines = ['', '  Overdue certificates (not revoked by their deadline):', '', '  | cert_id | serial | deadline | SHA-256 |', '  |---|---|---|---|'];
  for (const item of overdue) lines.push(`  | ${item.certId} | ${item.serial} | ${isoSeconds(item.deadline)} | ${item.sha256 || '(undecodable)'} |`);
  if (byStatus.overdue > overdue.length) lines.push('', `  … and ${byStatus.overdue - overdue.length} more (see ccadb-appendix.csv, column revocation_status).`);
  return lines;
}

/** The earliest deadline: a passed one (overdue) before the next one ahead. */
function firstDeadline(summary: ScanSummary): string | null {
  const deadlines = [...summary.revocation.overdue.map((item) => item.deadline), summary.revocation.nextDeadline].filter((deadline): deadline is string => deadline !== null);
  return deadlines.sort()[0] ?? null;
}

function actionItemRows(summary: ScanSummary): string[] {
  const { toRevoke, byStatus } = summary.revocation;
  const rows: string[] = [];
  const count = toRevoke.stillValid + toRevoke.undecodable;
  if (count > 0) {
    const split = toRevoke.undecodable ? ` (${toRevoke.stillValid} still valid, ${toRevoke.undecodable} undecodable)` : '';
    rows.push(
      `| Revoke the ${count} affected certificates with an error finding that are neither revoked nor expired${split} | Mitigate | Contributing Factor #1 | ` +
        `a new certscan scan counts 0 of them still valid; CRL/OCSP show them revoked | ${isoSeconds(firstDeadline(summary))} | ${byStatus.overdue ? 'Delayed' : 'Ongoing'} |`,
    );
  }
  rows.push(`| ${forCa('an action that prevents a recurrence')} | Prevent | Contributing Factor #1 | ${forCa('how its effect is measured')} | ${forCa('date')} | ${forCa('Ongoing, Complete, Delayed or Canceled')} |`);
  return rows;
}

function checkTable(summary: ScanSummary): string[] {
  const rows = checksFound(summary).map((meta) => `  | \`${meta.name}\` | ${summary.findingsByCheck[meta.name]} | ${meta.description} | ${meta.citation} |`);
  return rows.length ? ['  | check | findings | what | rule |', '  |---|---|---|---|', ...rows] : [];
}

function provenance(summary: ScanSummary): string {
  return `_Generated by certscan ${summary.tool.version}, scan \`${summary.scanId}\` of ${isoSeconds(summary.startedAt)}, configuration ${summary.configFile ? `\`${summary.configFile}\` ` : ''}SHA-256 \`${summary.configSha256}\`. Fields marked "To be completed by the CA" need the CA's answer before posting._`;
}

/** The Preliminary Incident Report (due within 72 hours of the CA learning of the incident). */
function renderPreliminary(summary: ScanSummary): string {
  return [
    '## Preliminary Incident Report',
    '',
    provenance(summary),
    '',
    '### Summary',
    `- **Incident description:** ${incidentDescription(summary)}`,
    `- **Relevant policies:** ${relevantPolicies(summary)}`,
    `- **Source of incident disclosure:** ${forCa('Self Reported, Third Party Reported or Audit')}`,
    '',
  ].join('\n');
}

function renderFull(summary: ScanSummary): string {
  const clean = summary.affectedCertificates === 0;
  const { byStatus, toRevoke, nextDeadline } = summary.revocation;
  const settings = summary.incidentReport;
  const evidence = summary.discoveredAt ? `the discovery date ${isoSeconds(summary.discoveredAt)}` : `this scan (${isoSeconds(summary.startedAt)})`;
  const identified = summary.discoveredAt ?? summary.startedAt;
  const precertificates = summary.precertificatesOnly
    ? ` Of these, ${summary.precertificatesOnly} are precertificates whose final certificate was not found in the ${summary.source.precertificates ? `table \`${summary.source.certificatesTable}\`` : 'log'}; the other ${summary.affectedCertificates - summary.precertificatesOnly} are certificates.`
    : '';
  const lines: string[] = [
    '## Full Incident Report',
    '',
    provenance(summary),
    '',
    '### Summary',
    '',
    `- **CA Owner CCADB unique ID:** ${settings.ccadbId ? `${settings.ccadbId}${settings.caOwner ? ` (${settings.caOwner})` : ''}` : forCa('config report.ccadbId')}`,
    `- **Incident description:** ${incidentDescription(summary)}`,
    '- **Timeline summary:**',
    `   - **Non-compliance start date:** ${clean ? NA : `${isoSeconds(summary.firstAffectedNotBefore) || forCa('start')} (first affected notBefore)`}`,
    `   - **Non-compliance identified date:** ${clean ? NA : `${isoSeconds(identified)} (${summary.discoveredAt ? 'the discovery date given to certscan' : 'this certscan scan'})`}`,
    `   - **Non-compliance end date:** ${clean ? NA : `${forCa('when issuance was corrected')}; the last affected certificate found has notBefore ${isoSeconds(summary.lastAffectedNotBefore) || '(none decodable)'}`}`,
    `- **Relevant policies:** ${relevantPolicies(summary)}`,
    `- **Source of incident disclosure:** ${forCa('Self Reported, Third Party Reported or Audit')}`,
    '',
    '### Impact',
    '',
    `- **Total number of certificates:** ${summary.affectedCertificates}${clean ? '' : ` (${classBreakdown(summary)}).${precertificates}`}`,
    `- **Total number of "remaining valid" certificates:** ${remainingValid(summary)}${summary.undecodable ? ` (still valid ${summary.stillValid} + undecodable ${summary.undecodable}: an undecodable certificate's validity cannot be read, so it counts as remaining)` : ''}`,
    `- **Affected certificate types:** ${clean ? NA : `${typeBreakdown(summary)} (from the CA/Browser Forum policy OIDs; "unknown": none found, or undecodable)`}`,
    `- **Incident heuristic:** ${clean ? NA : 'The full corpus of affected certificates is disclosed in the Appendix (`ccadb-appendix.csv`, `crtsh.txt`). A certificate is affected when any of these certscan checks reports it:'}`,
    ...(clean ? [] : ['', ...checkTable(summary), '', `  Scanned: ${scannedWhat(summary)}.`, '', ...howRead(summary), '']),
    `- **Was issuance stopped in response to this incident, and why or why not?:** ${clean ? NA : forCa('Yes or No, with the reason')}`,
    `- **Analysis:** ${byStatus.overdue ? forCa(`${byStatus.overdue} certificates are past their revocation deadline: the factors and rationale behind the delay`) : NA}`,
    `- **Additional considerations:** ${
      clean
        ? NA
        : `Revocation deadlines (BR 4.9.1.1) run ${REVOCATION_DAYS} days from ${evidence}, or from a certificate's notBefore when it was issued later, for every certificate with an error finding. ` +
          `To revoke: ${toRevoke.stillValid + toRevoke.undecodable} (overdue ${byStatus.overdue}, due ${byStatus.due}${nextDeadline ? `, next deadline ${isoSeconds(nextDeadline)}` : ''}); ` +
          `already revoked ${byStatus.revoked}; expired ${byStatus.expired}; warnings only, for review ${byStatus.review}.` +
          (summary.affectedCertificates > summary.crtshLinks ? ` ${summary.affectedCertificates - summary.crtshLinks} stored certificates did not decode (in the Appendix by serial, with no certificate hash).` : '')
    }`,
    ...overdueTable(summary),
    '',
    '### Timeline',
    '',
    'All times UTC.',
    '',
    ...timelineEvents(summary),
    `- ${forCa('the policy, process and software changes behind the root cause; problem reports; when issuance stopped and resumed; revocations completed')}`,
    '',
    '### Related Incidents',
    '',
    '| Bug | Date | Description |',
    '|---|---|---|',
    ...(clean ? [`| ${NA} | ${NA} | ${NA} |`] : relatedIncidentRows(summary)),
    '',
    '### Root Cause Analysis',
    '',
    `**Contributing Factor #1: ${clean ? NA : forCa('title')}**`,
    `- **Description:** ${clean ? NA : forCa('the condition that let these certificates be issued')}`,
    `- **Timeline:** ${clean ? NA : forCa('when it arose and how it evolved')}`,
    `- **Detection:** ${clean ? NA : `certscan scan \`${summary.scanId}\` (${isoSeconds(summary.startedAt)}) compared the issued certificates with the vetted order data. ${forCa('how it avoided detection before')}`}`,
    `- **Interaction with other factors:** ${clean ? NA : forCa('how it combined with other factors')}`,
    `- **Root Cause Analysis methodology used:** ${clean ? NA : forCa('e.g. 5-Whys, Fishbone Diagram')}`,
    '',
    '### Lessons Learned',
    '',
    `- **What went well:** ${clean ? NA : forCa('what limited the impact')}`,
    `- **What didn’t go well:** ${clean ? NA : forCa('what made it worse; each item needs an Action Item')}`,
    `- **Where we got lucky:** ${clean ? NA : forCa('what cannot be relied upon next time')}`,
    `- **Additional:** ${clean ? NA : forCa('any other lesson')}`,
    '',
    '### Action Items',
    '',
    '| Action Item | Kind | Corresponding Root Cause(s) | Evaluation Criteria | Due Date | Status |',
    '|---|---|---|---|---|---|',
    ...(clean ? [`| ${NA} | ${NA} | ${NA} | ${NA} | ${NA} | ${NA} |`] : actionItemRows(summary)),
    '',
    '### Appendix',
    '',
    ...(clean
      ? [`${NA}: no affected certificates.`]
      : [
          `![Affected certificates by notBefore month, stacked by check](${CHART_FILE})`,
          '',
          `- \`${CHART_FILE}\`: affected certificates by notBefore month, stacked by check, with the scan${summary.discoveredAt ? ' and the discovery date' : ''} marked.`,
          `- \`${HTML_FILE}\`: this report, the picture and a sortable, filterable table of the affected certificates in one page.`,
          `- \`ccadb-appendix.csv\`: ${summary.affectedCertificates} rows, one per affected certificate, in the template's Appendix columns (certscan's own columns to the right).`,
          `- \`crtsh.txt\`: ${summary.crtshLinks} crt.sh links, one per decodable affected certificate (undecodable rows have none).`,
          `- \`findings.csv\`: all ${summary.findings} findings, with the rule each enforces.`,
        ]),
    '',
  ];
  return lines.join('\n');
}

/** summary.md: the CCADB Full (or Preliminary) Incident Report, ready to paste into Bugzilla. */
export function renderSummaryMarkdown(summary: ScanSummary): string {
  return summary.incidentReport.template === 'preliminary' ? renderPreliminary(summary) : renderFull(summary);
}
