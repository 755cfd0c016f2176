// input-errors.csv: the pieces of input certscan could not read (a truncated tile, bad base64, an
// unknown entry type, a leaf hash that does not match, a bad value in a database row): file (or
// table), where (or row), the column and value when it is a database value, what. The scan went on.
import { stringify } from 'csv-stringify/sync';
import type { InputProblem } from '../sources/ct/entries.js';

export function inputProblemsHeader(): string {
  return stringify([['file', 'at', 'column', 'value', 'problem']]);
}

export function inputProblemRows(problems: readonly InputProblem[]): string {
  return problems.length ? stringify(problems.map((problem) => [problem.file, problem.at, problem.column ?? '', problem.value ?? '', problem.message])) : '';
}
