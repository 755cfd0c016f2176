// The check runner: decides "does not apply" and "not yet in effect", runs the check, and turns an
// exception inside a check into a fatal finding naming it (zlint's lint/base.go is the model).
// runCheck gives one check's verdict (evaluate); runChecks runs a whole list on every certificate
// (compileRunner), in the same steps.
import type { CertificateFacts } from '../decode/types.js';
import type { SourceRowMeta } from '../sources/types.js';
import { indexSubject } from './subject.js';
import { SEVERITIES, maxSeverityOf, type Check, type CheckContext, type CheckInput, type CheckOutcome, type Finding, type Severity } from './types.js';

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

const dayStarts = new Map<string, number>();

/**
 * A rule's date (YYYY-MM-DD) as the epoch ms of its first instant, UTC. Rules apply as they stood
 * at issuance: a certificate is under a rule when its notBeforeMs is at or after this, which is
 * the notBefore date compared with the rule's date, without a string per certificate.
 */
function dayStartMs(day: string): number {
  let ms = dayStarts.get(day);
  if (ms === undefined) {
    ms = Date.parse(`${day}T00:00:00Z`);
    dayStarts.set(day, ms);
  }
  return ms;
}

/** A check's first and, for a retired rule, last-plus-one day, as dayStartMs (no end: Infinity). */
interface RuleDates {
  fromMs: number;
  untilMs: number;
}

const ruleDatesOf = (check: Check): RuleDates => ({
  fromMs: dayStartMs(check.effectiveDate),
  untilMs: check.ineffectiveDate === undefined ? Number.POSITIVE_INFINITY : dayStartMs(check.ineffectiveDate),
});

/** `issuedMs`: the notBefore as epoch ms. A check with dates per trigger names its own first day. */
function inEffect(check: Check, issuedMs: number, dates: RuleDates, input: CheckInput): boolean {
  if (issuedMs < (check.effectiveDateFor ? dayStartMs(check.effectiveDateFor(input)) : dates.fromMs)) return false;
  return issuedMs < dates.untilMs;
}

/**
 * One check on one certificate: the finding, or why there is none (runCheck's verdict, which the
 * peer tests compare). The statuses that are not findings are string constants.
 */
function evaluate(check: Check, input: CheckInput, context: CheckContext, issuedMs: number, dates: RuleDates): Finding | 'NA' | 'NE' | 'pass' {
  try {
    if (!check.appliesTo(input, context)) return 'NA';
    if (!inEffect(check, issuedMs, dates, input)) return 'NE';
    const outcome = check.execute(input, context);
    return outcome.status === 'pass' ? 'pass' : foundBy(check, outcome);
  } catch (error) {
    return failedIn(check, error);
  }
}

/** The verdict of one check, NA / NE / pass included (compared with zlint's and pkilint's); `issued` (YYYY-MM-DD) stands in for the notBefore. */
export function runCheck(check: Check, input: CheckInput, context: CheckContext, issued?: string): CheckRun {
  const result = evaluate(check, input, context, issued === undefined ? input.certificate.notBeforeMs : dayStartMs(issued), ruleDatesOf(check));
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
  return runnerOf(checks)(input, context);
}

type Runner = (input: CheckInput, context: CheckContext) => readonly Finding[];

/** Each list's runner, compiled once (a scan runs the same list on every certificate). */
const runners = new WeakMap<readonly Check[], Runner>();

/** The last list run and its runner: a scan runs one list, so this spares the WeakMap per certificate. */
let lastChecks: readonly Check[] | null = null;
let lastRunner: Runner | null = null;

function runnerOf(checks: readonly Check[]): Runner {
  if (checks === lastChecks) return lastRunner!;
  let runner = runners.get(checks);
  if (!runner) {
    runner = compileRunner(checks);
    runners.set(checks, runner);
  }
  lastChecks = checks;
  lastRunner = runner;
  return runner;
}

/** The finding of a check that did not pass. */
function foundBy(check: Check, outcome: CheckOutcome): Finding {
  const severity = capSeverity(check.name, outcome.status as Severity);
  return { check: check.name, severity, detail: outcome.detail ?? check.description, citation: check.citation };
}

/** An exception inside a check: a fatal finding naming it. */
function failedIn(check: Check, error: unknown): Finding {
  return { check: check.name, severity: 'fatal', detail: `check failed: ${(error as Error).message}`, citation: check.citation };
}

/**
 * Checks per generated part. One function holding all 32 checks outgrew V8's inlining budget
 * (TurboFan stops inlining once a function has taken in so much bytecode), so the checks near
 * its end were called, not inlined: parts of 4 measured 0.4 to 1.1 µs a certificate less than
 * one function, parts of 8 about half of that, parts of 2 no better than 4.
 */
const CHECKS_PER_PART = 4;

/**
 * The list as generated code, each check's steps written out in evaluate()'s order: appliesTo
 * (else NA), the rule dates (else NE; a check's own dates as numbers in the code), then execute.
 * Why it is generated: a loop calls every check's appliesTo and execute from the same two call
 * sites, which V8 then neither inlines nor caches once more than four functions meet there (32
 * checks do), about 0.2 µs a check on every certificate; here each call site only ever sees one
 * check. The runner calls the parts in turn (CHECKS_PER_PART). The code holds nothing but indexes
 * and numbers; the checks come in as a parameter.
 */
function compileRunner(checks: readonly Check[]): Runner {
  // Worked out once per list, with the runner: the dates go into the code as numbers.
  const dates = checks.map(ruleDatesOf);
  const steps = checks.map((check, at) => {
    const from = check.effectiveDateFor ? `dayStartMs(check${at}.effectiveDateFor(input))` : String(dates[at]!.fromMs);
    const until = Number.isFinite(dates[at]!.untilMs) ? ` && issuedMs < ${dates[at]!.untilMs}` : '';
    return `
    try {
      if (check${at}.appliesTo(input, context) && issuedMs >= ${from}${until}) {
        const outcome = check${at}.execute(input, context);
        if (outcome.status !== 'pass') (findings ??= []).push(foundBy(check${at}, outcome));
      }
    } catch (error) {
      (findings ??= []).push(failedIn(check${at}, error));
    }`;
  });
  const parts: string[] = [];
  for (let first = 0; first < steps.length; first += CHECKS_PER_PART) {
    parts.push(`function part${parts.length}(input, context, issuedMs, findings) {${steps.slice(first, first + CHECKS_PER_PART).join('')}
    return findings;
  }`);
  }
  const body = `${checks.map((_, at) => `const check${at} = checks[${at}];`).join('\n')}
  ${parts.join('\n  ')}
  return function runChecks(input, context) {
    const issuedMs = input.certificate.notBeforeMs;
    let findings = null;
    ${parts.map((_, index) => `findings = part${index}(input, context, issuedMs, findings);`).join('\n    ')}
    return findings ?? NO_FINDINGS;
  };`;
  const compile = new Function('checks', 'dayStartMs', 'foundBy', 'failedIn', 'NO_FINDINGS', body) as (...parts: unknown[]) => Runner;
  return compile(checks, dayStartMs, foundBy, failedIn, NO_FINDINGS);
}
