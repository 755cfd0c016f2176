// The vocabulary of checks: metadata, statuses, findings, and defineCheck().
import type { CertificateFacts } from '../decode/types.js';
import type { SourceRowMeta } from '../sources/types.js';
import type { AttributesByType } from './subject.js';

/** Reported severities, weakest first. */
export const SEVERITIES = ['notice', 'warn', 'error', 'fatal'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What a check returns; the runner adds NA (does not apply) and NE (rule not in effect). */
export type CheckStatus = 'pass' | 'notice' | 'warn' | 'error';

export interface CheckOutcome {
  status: CheckStatus;
  /** What was wrong, in words an incident report can quote. */
  detail?: string;
}

/** The outcome of a check that found nothing (shared: checks run millions of times). */
export const PASS: CheckOutcome = Object.freeze({ status: 'pass' });

export interface CheckMeta {
  /** Stable name: `e_` error, `w_` warning, `n_` notice; the prefix caps the severity it may report. */
  name: string;
  description: string;
  /** The rule enforced: BR / EVG / RFC 5280 section. */
  citation: string;
  /** Whose rule it is. */
  source: 'CABF BR' | 'CABF EVG' | 'RFC 5280' | 'certscan';
  /** Applies to certificates whose notBefore is on or after this date (YYYY-MM-DD). */
  effectiveDate: string;
  /** A retired rule stops applying to certificates issued on or after this date. */
  ineffectiveDate?: string;
}

/** A check sees the decoded certificate plus what the source knows of it (the order among it). */
export interface CheckInput {
  certificate: CertificateFacts;
  row: SourceRowMeta;
  /** certificate.subject grouped by attribute type (see indexSubject). */
  byType: AttributesByType;
}

/** Read-only settings a check may consult (from scan.config.json). */
export interface CheckContext {
  /** Upper case. */
  placeholderCountries: ReadonlySet<string>;
  /** Extra placeholder values, lower case, white space folded. */
  placeholderValues: ReadonlySet<string>;
  /** Upper case. */
  embargoedCountries: ReadonlySet<string>;
}

export interface Check extends CheckMeta {
  appliesTo(input: CheckInput, context: CheckContext): boolean;
  /**
   * For a check that enforces several rules of different dates (one per trigger): the date from
   * which a rule that applies to this certificate is in force (YYYY-MM-DD, not before
   * effectiveDate). The runner reports NE before it. Without it, effectiveDate counts.
   */
  effectiveDateFor?(input: CheckInput): string;
  execute(input: CheckInput, context: CheckContext): CheckOutcome;
}

/** One finding on one certificate: plain data, posted from workers to the report writers. */
export interface Finding {
  check: string;
  severity: Severity;
  detail: string;
  citation: string;
}

export function maxSeverityOf(name: string): Severity {
  if (name.startsWith('e_')) return 'error';
  if (name.startsWith('w_')) return 'warn';
  if (name.startsWith('n_')) return 'notice';
  throw new Error(`check name ${name} must start with e_, w_ or n_`);
}

export function defineCheck(check: Check): Check {
  maxSeverityOf(check.name);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(check.effectiveDate)) throw new Error(`${check.name}: effectiveDate must be YYYY-MM-DD`);
  return Object.freeze(check);
}

export function defineMeta(meta: CheckMeta): CheckMeta {
  maxSeverityOf(meta.name);
  return Object.freeze(meta);
}

/** Effective dates reused across checks. */
export const BR_EFFECTIVE = '2012-07-01';
export const EVG_EFFECTIVE = '2007-06-07';
