// Which source a scan reads (database rows, a CT export or certificate files) and the tasks this
// run hands to the workers: its shard, from where a resumed audit stopped.
import type { ScanConfig } from '../config.js';
import { OperationalError } from '../errors.js';
import type { TaskBody, WorkerSettings } from '../pool/messages.js';
import type { DatabaseSource } from '../sources/database/database_source.js';
import { planCertificateFiles, planCtSource, planDatabaseRanges, type SourcePlan } from '../sources/plan.js';
import type { IdRangeRequest } from './database_plan.js';
import type { RowKey } from '../sources/types.js';
import { logSettings, sliceTasks } from './log_plan.js';

export interface SourceRequest extends IdRangeRequest {
  config: ScanConfig;
  ct?: string;
  pem?: string;
  issuers?: string[];
}

export interface PlannedSource {
  plan: SourcePlan;
  tasks: AsyncIterable<TaskBody> | TaskBody[];
  /** Logs and files only: the issuers the workers keep. */
  ct: WorkerSettings['ct'];
}

/** Where a resumed audit stopped: database audits resume from a key, log and file audits from a task number. */
export interface ResumePoint {
  resumeAfterId: RowKey | null;
  seqWritten: number;
}

function planFor(request: SourceRequest, database: DatabaseSource): SourcePlan {
  if (request.ct && request.pem) throw new OperationalError('give either --ct or --pem, not both');
  if (request.ct) return planCtSource(request.ct);
  if (request.pem) return planCertificateFiles(request.pem);
  return planDatabaseRanges(database, request.config.database.pageSize, request.range?.afterId, request.range?.throughId);
}

export function planSource(request: SourceRequest, database: DatabaseSource, resume: ResumePoint | null): PlannedSource {
  const resumeRequest = resume?.resumeAfterId != null ? { ...request, range: { ...request.range, afterId: resume.resumeAfterId } } : request;
  const plan = planFor(resumeRequest, database);
  if (plan.fromDatabase) return { plan, tasks: plan.tasks, ct: undefined };
  // A log's or a folder's task list is the same every time (tiles, pages and files in a fixed order).
  const tasks = sliceTasks(plan.tasks, request.shard).slice(resume?.seqWritten ?? 0);
  return { plan, tasks, ct: logSettings(request.issuers, request.config, plan) };
}
