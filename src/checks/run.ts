// The check runner: decides "does not apply" and "not yet in effect", runs the check, and turns an
// exception inside a check into a fatal finding naming it (zlint's lint/base.go is the model).
import type { CertificateFacts } from '../decode/types.js';
import type { SourceRowMeta } from '../sources/types.js';
import { indexSubject } from './subject.js';
import { SEVERITIES, maxSeverityOf, type Check, type CheckContext, type CheckInput, type Finding, type Severity } from './types.js';

export type RunStatus = 'NA' | 'NE' | 'pass' | Severity;

export interface CheckRun {
  check: string;
  status: RunStatus;
  detail?: string;
}

function capSeverity(name: string, severity: Severity): Severity {
  const cap = maxSeverityOf(name);
  return SEVERITIES.indexOf(severity) > SEVERITIES.indexOf(cap) ? cap : severity;
}

/** `issued` is the notBefore date, YYYY-MM-DD: rules apply as they stood at issuance. */
function inEffect(check: Check, issued: string, input: CheckInput): boolean {
  if (issued < (check.effectiveDateFor ? check.effectiveDateFor(input) : check.effectiveDate)) return false;
  return check.ineffectiveDate === undefined || issued < check.ineffectiveDate;
}

/**
 * One check on one certificate: the finding, or why there is none. The only place a check runs;
 * runChecks (production) and runCheck (verdicts for the peer tests) both go through it. The
 * statuses that are not findings are string constants, so a passing check allocates nothing.
 */
function evaluate(check: Check, input: CheckInput, context: CheckContext, issued: string): Finding | 'NA' | 'NE' | 'pass' {
  try {
    if (!check.appliesTo(input, context)) return 'NA';
    if (!inEffect(check, issued, input)) return 'NE';
    const outcome = check.execute(input, context);
    if (outcome.status === 'pass') return 'pass';
    return { check: check.name, severity: capSeverity(check.name, outcome.status), detail: outcome.detail ?? check.description, citation: check.citation };
  } catch (error) {
    return { check: check.name, severity: 'fatal', detail: `check failed: ${(error as Error).message}`, citation: check.citation };
  }
}

/** The verdict of one check, NA / NE / pass included (compared with zlint's and pkilint's). */
export function runCheck(check: Check, input: CheckInput, context: CheckContext, issued = input.certificate.notBefore.slice(0, 10)): CheckRun {
  const result = evaluate(check, input, context, issued);
  if (typeof result === 'string') return { check: check.name, status: result };
  return { check: check.name, status: result.severity, detail: result.detail };
}

/** The input of every check on one certificate; the subject is indexed once, here. */
export function checkInput(certificate: CertificateFacts, row: SourceRowMeta): CheckInput {
  return { certificate, row, byType: indexSubject(certificate) };
}

const NO_FINDINGS: readonly Finding[] = Object.freeze([]);

/** Runs every enabled check and returns the findings (pass, NA and NE are not findings). */
export function runChecks(checks: readonly Check[], input: CheckInput, context: CheckContext): readonly Finding[] {
  let findings: Finding[] | null = null;
  const issued = input.certificate.notBefore.slice(0, 10);
  for (const check of checks) {
    const result = evaluate(check, input, context, issued);
    if (typeof result !== 'string') (findings ??= []).push(result);
  }
  return findings ?? NO_FINDINGS;
}
