// Which vetted data a scan compared the certificates with, when EJBCA's snapshots are configured
// (database.orders.snapshots): said in summary.json (vettedData), summary.md, the CLI's summary
// line, and per finding in findings.csv (vetted_from).
import type { AffectedCertificate } from '../inspect.js';
import type { SnapshotUse } from '../sources/orders/ejbca_snapshots.js';

export interface VettedData extends SnapshotUse {
  /** Affected certificates compared with their snapshot, and with the orders table. */
  affectedFromSnapshot: number;
  affectedFromOrders: number;
}

export function vettedDataOf(use: SnapshotUse): VettedData {
  return { ...use, affectedFromSnapshot: 0, affectedFromOrders: 0 };
}

export function countVettedFrom(vetted: VettedData, affected: readonly AffectedCertificate[]): void {
  for (const item of affected) {
    if (item.row.vettedFrom === 'snapshot') vetted.affectedFromSnapshot++;
    else if (item.row.vettedFrom === 'orders') vetted.affectedFromOrders++;
  }
}

/** One sentence for summary.md and the CLI. */
export function vettedDataSentence(vetted: VettedData): string {
  if (vetted.notRead !== null) return `vetted data from \`${vetted.ordersTable}\` as it is now (\`${vetted.table}\`, the end entity at each issuance, not read: ${vetted.notRead})`;
  const unreadable = vetted.unreadable ? `, ${vetted.unreadable} of them unreadable` : '';
  return (
    `vetted data from \`${vetted.table}\` (the end entity as it was at issuance; ${vetted.read} snapshots read${unreadable}) where a certificate has a readable one, else \`${vetted.ordersTable}\` as it is now; ` +
    `affected certificates compared with their snapshot: ${vetted.affectedFromSnapshot}, with \`${vetted.ordersTable}\`: ${vetted.affectedFromOrders}`
  );
}
