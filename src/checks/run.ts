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

export function runCheck(check: Check, input: CheckInput, context: CheckContext, issued = input.certificate.notBefore.slice(0, 10)): CheckRun {
  try {
    if (!check.appliesTo(input, context)) return { check: check.name, status: 'NA' };
    if (!inEffect(check, issued, input)) return { check: check.name, status: 'NE' };
    const outcome = check.execute(input, context);
    if (outcome.status === 'pass') return { check: check.name, status: 'pass' };
    return { check: check.name, status: capSeverity(check.name, outcome.status), detail: outcome.detail ?? check.description };
  } catch (error) {
    return { check: check.name, status: 'fatal', detail: `check failed: ${(error as Error).message}` };
  }
}

/** The input of every check on one certificate; the subject is indexed once, here. */
export function checkInput(certificate: CertificateFacts, row: SourceRowMeta): CheckInput {
  return { certificate, row, byType: indexSubject(certificate) };
}

const NO_FINDINGS: readonly Finding[] = Object.freeze([]);

/**
 * Runs every enabled check and returns the findings (pass, NA and NE are not findings). The same
 * logic as runCheck, without an object per check: this runs for every certificate.
 */
export function runChecks(checks: readonly Check[], input: CheckInput, context: CheckContext): readonly Finding[] {
  let findings: Finding[] | null = null;
  const issued = input.certificate.notBefore.slice(0, 10);
  for (const check of checks) {
    let status: RunStatus;
    let detail: string | undefined;
    try {
      if (!check.appliesTo(input, context) || !inEffect(check, issued, input)) continue;
      const outcome = check.execute(input, context);
      if (outcome.status === 'pass') continue;
      status = capSeverity(check.name, outcome.status);
      detail = outcome.detail ?? check.description;
    } catch (error) {
      status = 'fatal';
      detail = `check failed: ${(error as Error).message}`;
    }
    (findings ??= []).push({ check: check.name, severity: status as Severity, detail, citation: check.citation });
  }
  return findings ?? NO_FINDINGS;
}
