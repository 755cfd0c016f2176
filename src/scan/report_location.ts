// Where a scan writes its report set: the folder given (refused if it holds a report set, unless
// forced) or a new timestamped one; never a folder another scan wrote (see reports/report_dir.ts).
import type { Clock } from '../clock.js';
import { claimReportDir, uniqueReportDir } from '../reports/report_dir.js';

export function timestampDirName(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-');
}

export interface ReportLocationRequest {
  outDir?: string;
  force?: boolean;
  reportsBaseDir?: string;
}

export function claimReportLocation(request: ReportLocationRequest, defaultBaseDir: string, clock: Clock): string {
  if (request.outDir !== undefined) return claimReportDir(request.outDir, { force: request.force === true });
  return uniqueReportDir(request.reportsBaseDir ?? defaultBaseDir, timestampDirName(clock()), request.reportsBaseDir ? 'nightly.outputDir' : 'output.baseDir');
}
