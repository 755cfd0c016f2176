// CT entries pair up (a precertificate and its final certificate: same issuer key, same serial)
// across the whole log, so their appendix rows are written at the end. The affected entries
// waiting for that live in a scratch SQLite file in the report directory, not in memory: a log in
// which millions of entries are affected must not exhaust the heap. Adding is idempotent per entry
// (origin + leaf index), so a resumed audit that reads batches again after its last checkpoint
// adds nothing twice.
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import type { AffectedCertificate } from '../inspect.js';
import { normalizeSerialHex } from '../sources/ct/entries.js';
import { recordOf, type AppendixRecord } from './ccadb_appendix.js';
import { serialOf } from './format.js';

export const PAIRING_FILE = '.certscan-ct-pairing.sqlite';

const keyOf = (item: AffectedCertificate): string => `${item.ct?.issuerKeyHash ?? ''}:${normalizeSerialHex(serialOf(item) || '0')}`;
// Database rows: a precertificates table's ids overlap the certificates' (database.precertificates).
const entryOf = (item: AffectedCertificate): string => `${item.ct?.origin ?? (item.row.precertificateRow ? 'precertificates' : '')}\u0000${item.ct?.leafIndex ?? item.row.ref}`;

/** Folds another entry of the same certificate into its record; the final certificate describes the pair. */
function merge(existing: AppendixRecord, item: AffectedCertificate): AppendixRecord {
  const record = recordOf(item);
  const merged: AppendixRecord = {
    ...existing,
    precertificateSha256: existing.precertificateSha256 || record.precertificateSha256,
    certificateSha256: existing.certificateSha256 || record.certificateSha256,
    checks: [...existing.checks, ...record.checks.filter((check) => !existing.checks.includes(check))],
    leafIndexes: [...existing.leafIndexes, ...record.leafIndexes],
  };
  merged.item =
    record.certificateSha256 && item.certificate
      ? { ...item, findings: [...existing.item.findings, ...item.findings] }
      : { ...existing.item, findings: [...existing.item.findings, ...item.findings] };
  return merged;
}

/** The entry is another certificate than the record's (its slot there holds a different hash). */
function isOtherCertificate(existing: AppendixRecord, item: AffectedCertificate): boolean {
  const record = recordOf(item);
  return (
    (record.certificateSha256 !== '' && existing.certificateSha256 !== '' && record.certificateSha256 !== existing.certificateSha256) ||
    (record.precertificateSha256 !== '' && existing.precertificateSha256 !== '' && record.precertificateSha256 !== existing.precertificateSha256)
  );
}

/**
 * The record as it waits in the scratch file. Its findings keep their check and severity only:
 * findings.csv was written from the full findings already, and what is written from the records
 * (appendix rows, crt.sh lines, the revocation deadlines of the summary) needs no more. Details and
 * citations were about a fifth of a record.
 */
function stored(record: AppendixRecord): AppendixRecord {
  return { ...record, item: { ...record.item, findings: record.item.findings.map(({ check, severity }) => ({ check, severity, detail: '', citation: '' })) } };
}

export class CtPairing {
  private readonly db: Database.Database;
  private readonly seen: Database.Statement<[string]>;
  private readonly markSeen: Database.Statement<[string]>;
  private readonly find: Database.Statement<[string]>;
  private readonly put: Database.Statement<[string, number, number, string]>;
  private nextSeq: number;

  /**
   * `resume`: continue from what the file held at the last checkpoint (a crash since then rolls
   * back to it); otherwise start empty.
   */
  constructor(
    readonly path: string,
    resume: boolean,
  ) {
    if (!resume) for (const file of [path, `${path}-journal`]) rmSync(file, { force: true });
    this.db = new Database(path);
    this.db.pragma('cache_size = -2048');
    // A rowid table: records are kilobytes of JSON, and WITHOUT ROWID (which suits small rows) made
    // the file 2.2 times as large. Statements name their columns, so a file an older certscan left
    // for a resumed audit still works.
    this.db.exec(`CREATE TABLE IF NOT EXISTS pending (seq INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, first_leaf INTEGER NOT NULL, record TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS pending_in_log_order ON pending (first_leaf, seq);
      CREATE TABLE IF NOT EXISTS seen (entry TEXT PRIMARY KEY) WITHOUT ROWID;`);
    this.seen = this.db.prepare<[string]>('SELECT 1 FROM seen WHERE entry = ?').pluck();
    this.markSeen = this.db.prepare<[string]>('INSERT INTO seen VALUES (?)');
    this.find = this.db.prepare<[string]>('SELECT seq, record FROM pending WHERE key = ?').raw(true);
    this.put = this.db.prepare<[string, number, number, string]>('INSERT OR REPLACE INTO pending (key, first_leaf, seq, record) VALUES (?, ?, ?, ?)');
    this.nextSeq = Number(this.db.prepare('SELECT coalesce(max(seq), -1) + 1 FROM pending').pluck().get());
    this.db.exec('BEGIN');
  }

  add(items: readonly AffectedCertificate[]): void {
    for (const item of items) {
      const entry = entryOf(item);
      if (this.seen.get(entry)) continue;
      this.markSeen.run(entry);
      // Only a precertificate and its certificate share a record: a second, different certificate
      // (or precertificate) with the same issuer and serial gets a record of its own.
      let key = keyOf(item);
      let found = this.find.get(key) as [number, string] | undefined;
      let existing = found ? (JSON.parse(found[1]) as AppendixRecord) : null;
      if (existing && isOtherCertificate(existing, item)) {
        key = `${key}#${item.sha256}`;
        found = this.find.get(key) as [number, string] | undefined;
        existing = found ? (JSON.parse(found[1]) as AppendixRecord) : null;
      }
      const record = existing ? merge(existing, item) : recordOf(item);
      const firstLeaf = record.leafIndexes.length ? Math.min(...record.leafIndexes) : 0;
      this.put.run(key, firstLeaf, found ? found[0] : this.nextSeq++, JSON.stringify(stored(record)));
    }
  }

  /**
   * Entries already reported (a nightly run's look-back): each only completes a record added
   * since, as the other half of its pair (its hash; no findings, which were reported before), and
   * never makes a record of its own. The record keeps its place (the certificate's).
   */
  addPartners(items: readonly AffectedCertificate[]): void {
    for (const item of items) {
      const key = keyOf(item);
      const found = this.find.get(key) as [number, string] | undefined;
      if (!found) continue;
      const existing = JSON.parse(found[1]) as AppendixRecord;
      const partner = { ...item, findings: [] };
      if (isOtherCertificate(existing, partner) || recordOf(partner).precertificateSha256 === existing.precertificateSha256) continue;
      this.put.run(key, existing.leafIndexes.length ? Math.min(...existing.leafIndexes) : 0, found[0], JSON.stringify(stored(merge(existing, partner))));
    }
  }

  /** Makes what was added durable: an audit calls this right before it writes its checkpoint. */
  checkpoint(): void {
    this.db.exec('COMMIT');
    this.db.exec('BEGIN');
  }

  /** The records in log order (first leaf index, then first seen), a chunk at a time. */
  *inLogOrder(chunkSize = 1000): Generator<AppendixRecord[]> {
    let chunk: AppendixRecord[] = [];
    for (const json of this.db.prepare('SELECT record FROM pending ORDER BY first_leaf, seq').pluck().iterate() as Iterable<string>) {
      chunk.push(JSON.parse(json) as AppendixRecord);
      if (chunk.length === chunkSize) {
        yield chunk;
        chunk = [];
      }
    }
    if (chunk.length) yield chunk;
  }

  /** `keep`: leave the file for a resumed audit (what was not checkpointed rolls back). */
  close(keep: boolean): void {
    if (!this.db.open) return;
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    this.db.close();
    if (!keep) for (const file of [this.path, `${this.path}-journal`]) rmSync(file, { force: true });
  }
}
