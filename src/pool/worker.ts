// A worker thread: reads its own slice of the source (its own read-only connection, its own tile
// or file), decodes and checks it, and returns only the affected certificates and input problems.
import { parentPort, workerData } from 'node:worker_threads';
import { createInspector, entryFilter, inspectCtEntries, inspectRows, mergeResults, ownIssuer, type BatchResult, type CtEnvironment, type SkippedRefs } from '../inspect.js';
import { openDatabaseSource, type DatabasePage } from '../sources/database/database_source.js';
import { markPrecertificateRows, precertificateDatabase } from '../sources/database/precertificates.js';
import { SnapshotJoin } from '../sources/orders/ejbca_snapshots.js';
import { SerialIndex, resolveOrderReferences } from '../sources/serial_index.js';
import { OrderStore } from '../sources/order_store.js';
import { TileBuffers, readDataTile, readIssuerFile } from '../sources/ct/static_ct.js';
import { readRfc6962Page } from '../sources/ct/rfc6962.js';
import { readCertificateFile } from '../sources/cert_files.js';
import { duplicateSerialMap, markDuplicateSerials } from '../sources/database/duplicate_serials.js';
import { collectSerialKeys, ctDuplicatesOf } from '../sources/ct/duplicate_serials.js';
import type { CtEntry } from '../sources/ct/entries.js';
import type { RowKey } from '../sources/types.js';
import type { AttachMessage, BatchMessage, TaskBody, WorkerMessage, WorkerReply, WorkerSettings } from './messages.js';

const { settings, slot } = workerData as { settings: WorkerSettings; slot: number };
const inspector = createInspector(settings, settings.positions ? new Float64Array(settings.positions, slot * 16, 2) : null);
// A worker reads its ranges in id order (database scans), or the table once in id order for the
// serial index and then rows in memory (CT and file scans), through its own connection.
const source = await openDatabaseSource(settings.databaseLocation, settings.database, { filter: settings.filter, snapshot: settings.snapshot });
// Database scans with a precertificates table read its ranges through a second source.
const precertificateSource = settings.database.precertificates && !settings.ct
  ? await openDatabaseSource(settings.databaseLocation, precertificateDatabase(settings.database), { filter: settings.precertificateFilter ?? settings.filter, snapshot: settings.snapshot })
  : null;
if (settings.orders) {
  const orders = OrderStore.attach(settings.orders);
  source.joinPagesWith(orders);
  precertificateSource?.joinPagesWith(orders);
}
// EJBCA: the end entity as it was at each issuance, over UserData's, where a certificate has one.
const snapshots = settings.snapshots ? SnapshotJoin.attach(settings.snapshots, settings.database) : null;
const withSnapshots = (page: DatabasePage): DatabasePage => {
  snapshots?.apply(page.rows);
  // The snapshots' fields did not come with the page's text: each row's are looked at.
  return { rows: page.rows, details: page.details };
};
/** The rows of a database range, from the table it names. */
const readRange = (range: Extract<BatchMessage, { kind: 'db-range' }>): Promise<DatabasePage> =>
  range.precertificates ? precertificateSource!.readPage(range).then(markPrecertificateRows) : snapshots ? source.readPage(range).then(withSnapshots) : source.readPage(range);
const ownKeyHashes = new Set(settings.ct?.issuers.keyHashes ?? []);
const accept = entryFilter(settings.filter);
// Database scans: row key -> the rows holding other certificates with its issuer + serial (attached before the first batch).
let duplicateSerialRows: ReadonlyMap<RowKey, string[]> = new Map();
// A tile's entries are views into these: each task is done with them before the next tile is read.
const tileBuffers = new TileBuffers();

/** CT scans: where the other certificates with an entry's issuer + serial are (none known: undefined). */
let ctDuplicates: CtEnvironment['serialDuplicates'];

/** Issuer key hashes by tile root and issuer fingerprint (a fingerprint names its file's content). */
const fingerprintKeyHashes = new Map<string, Map<string, string | null>>();

function environment(origin: string, root: string | null, skip: SkippedRefs | undefined): CtEnvironment {
  let keyHashes = fingerprintKeyHashes.get(root ?? '');
  if (!keyHashes) fingerprintKeyHashes.set(root ?? '', (keyHashes = new Map()));
  return {
    fingerprintKeyHashes: keyHashes,
    origin,
    ownKeyHashes,
    keyHashByIssuerName: settings.ct?.issuers.keyHashByName ?? {},
    resolveFingerprint: (fingerprint) => (root ? readIssuerFile(root, fingerprint) : null),
    lookupSerial: (der, start, end) => source.lookupSerial(der, start, end),
    readDetails: (ref) => source.readDetails(ref),
    vettedAtIssuance: snapshots ? (row) => snapshots.applyTo(row) : undefined,
    accept,
    allIssuers: settings.ct?.allIssuers === true,
    duplicateSerials: settings.ct?.duplicateSerials,
    serialDuplicates: ctDuplicates,
    skip,
  };
}

/**
 * Inspects log entries; a server source answers the lookups of rows it has not fetched yet
 * provisionally and notes them: they are fetched in one query and the entries inspected again
 * (checks are pure, so the second pass sees the same entries with the real rows).
 */
async function withFetchedRows(inspect: () => BatchResult): Promise<BatchResult> {
  for (;;) {
    const result = inspect();
    if (!(await source.fetchWanted())) return result;
  }
}

// Fault injection for the tests of worker recovery: the worker thread exits when it reaches this
// certificate (row id, leaf index or block number) on a batch that does not skip it.
const exitAtRef = process.env.CERTSCAN_TEST_WORKER_EXIT_AT_REF ? Number(process.env.CERTSCAN_TEST_WORKER_EXIT_AT_REF) : null;

async function run(message: BatchMessage, pageRead: Promise<DatabasePage> | null): Promise<BatchResult> {
  const skip = message.skip ? new Map(message.skip) : undefined;
  if (exitAtRef !== null) inspector.onPosition = (ref) => {
    if (ref === exitAtRef && !skip?.has(ref)) process.exit(70);
  };
  switch (message.kind) {
    case 'db-range': {
      const page = await (pageRead ?? readRange(message));
      // Duplicate rows are ids of the certificates table; a precertificate shares its serial by design.
      if (!message.precertificates) markDuplicateSerials(page.rows, duplicateSerialRows);
      return inspectRows(inspector, message.seq, page.rows, page.details, skip, page.ordersReadable);
    }
    case 'static-ct-tiles': {
      // One tile at a time: the next read reuses the buffers the entries point into.
      const results: BatchResult[] = [];
      for (const tile of message.tiles) {
        const { entries, problems } = readDataTile(tile, message.root, tileBuffers);
        results.push(await withFetchedRows(() => inspectCtEntries(inspector, message.seq, entries, problems, environment(message.origin, message.root, skip))));
      }
      return mergeResults(message.seq, results);
    }
    case 'rfc6962-page': {
      const { entries, problems } = readRfc6962Page(message.path);
      return withFetchedRows(() => inspectCtEntries(inspector, message.seq, entries, problems, environment(message.origin, null, skip)));
    }
    case 'certificate-file': {
      const { entries, problems, otherObjects } = readCertificateFile(message.path);
      return { ...(await withFetchedRows(() => inspectCtEntries(inspector, message.seq, entries, problems, environment(message.path, null, skip)))), otherObjects };
    }
  }
}

/** CT scans, before the scan: the issuer + serial keys of one task's own-issuer entries. */
function serialKeysOf(task: TaskBody): Float64Array {
  const keysOf = (entries: readonly CtEntry[], origin: string, root: string | null) => {
    const own = environment(origin, root, undefined);
    const spkiCache = own.fingerprintKeyHashes ?? new Map<string, string | null>();
    return collectSerialKeys(entries, (entry) => ownIssuer(entry, own, spkiCache) !== null);
  };
  switch (task.kind) {
    case 'static-ct-tiles': {
      // One tile at a time (the next read reuses the buffers), then one list.
      const parts = task.tiles.map((tile) => keysOf(readDataTile(tile, task.root, tileBuffers).entries, task.origin, task.root));
      const keys = new Float64Array(parts.reduce((sum, part) => sum + part.length, 0));
      let at = 0;
      for (const part of parts) {
        keys.set(part, at);
        at += part.length;
      }
      return keys;
    }
    case 'rfc6962-page':
      return keysOf(readRfc6962Page(task.path).entries, task.origin, null);
    default:
      return new Float64Array(0);
  }
}

/** Answers one message (batch or serial index part); a failure becomes a reply, never a rejection. */
async function answer(message: Exclude<WorkerMessage, AttachMessage>, page: Promise<DatabasePage> | null): Promise<WorkerReply> {
  try {
    if (message.kind === 'serial-keys') return { ok: true, serialKeys: serialKeysOf(message.task) };
    if (message.kind === 'serial-index-part') return { ok: true, serialIndexPart: await source.buildSerialIndexPart(message) };
    if (message.kind === 'finish-serial-index-part') {
      resolveOrderReferences(message.part, OrderStore.attach(message.orders));
      SerialIndex.attach(message.index).insertPart(message.seq);
      return { ok: true, finished: message.seq };
    }
    return { ok: true, result: await run(message, page) };
  } catch (error) {
    return { ok: false, seq: message.seq, error: (error as Error).stack ?? String(error) };
  }
}

/** The message before this one has been answered: the pool takes replies in the order it sent. */
let answered: Promise<void> = Promise.resolve();

parentPort?.on('message', (message: WorkerMessage) => {
  if (message.kind === 'attach-serial-index') {
    // No reply: the pool counts only batches and index parts.
    source.attachSerialIndex(SerialIndex.attach(message.index), OrderStore.attach(message.orders));
    return;
  }
  if (message.kind === 'attach-duplicate-serial-rows') {
    duplicateSerialRows = duplicateSerialMap(message.rows, source.keyKind);
    return;
  }
  if (message.kind === 'attach-ct-duplicates') {
    ctDuplicates = Object.keys(message.duplicates).length > 0 ? ctDuplicatesOf(message.duplicates) : undefined;
    return;
  }
  // A server page is asked for at once, so that it is read while the batch before it is checked.
  const page = message.kind === 'db-range' ? readRange(message) : null;
  page?.catch(() => undefined); // its failure is answered in turn, below
  answered = answered.then(async () => parentPort?.postMessage(await answer(message, page)));
});
