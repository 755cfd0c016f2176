// What a scan accumulates while it writes batches: the report files, the totals and counts, the
// reported keys, the pending pairs. The ordered writer adds to it; an audit's checkpoint saves it.
import type { CtPairing } from '../reports/ct_pairing.js';
import type { ReportSet } from '../reports/report_set.js';
import type { SummaryAccumulator } from '../reports/summary.js';
import type { VettedData } from '../reports/vetted_data.js';
import type { PrecertificatePass } from '../sources/database/precertificates.js';
import type { ScanCounts } from './scan_counts.js';

export interface ScanState {
  reports: ReportSet;
  totals: SummaryAccumulator;
  counts: ScanCounts;
  /** `<cert_id>:<check>` of every finding written (database rows only). */
  reportedKeys: string[];
  /** CT entries (and a database's precertificates with its certificates) pair up: their appendix rows wait here until the end. */
  pairing: CtPairing | null;
  /** database.precertificates: its rows are counted apart, they are not certificates. */
  precertificates: PrecertificatePass | null;
  /** EJBCA snapshots: how many certificates were compared with which vetted data. */
  vettedData: VettedData | null;
}
