// A worker thread: reads its own slice of the source (its own read-only connection, its own tile
// or file), decodes and checks it, and returns only the affected certificates and input problems.
import { parentPort, workerData } from 'node:worker_threads';
import { createInspector, entryFilter, inspectCtEntries, inspectRows, mergeResults, type BatchResult, type CtEnvironment, type SkippedRefs } from '../inspect.js';
import { IssuanceDatabase } from '../sources/issuance_db.js';
import { SerialIndex, resolveOrderReferences } from '../sources/serial_index.js';
import { OrderStore } from '../sources/order_store.js';
import { TileBuffers, readDataTile, readIssuerFile } from '../sources/ct/static_ct.js';
import { readRfc6962Page } from '../sources/ct/rfc6962.js';
import { readCertificateFile } from '../sources/cert_files.js';
import type { BatchMessage, WorkerMessage, WorkerReply, WorkerSettings } from './messages.js';

const { settings, slot } = workerData as { settings: WorkerSettings; slot: number };
const inspector = createInspector(settings, settings.positions ? new Float64Array(settings.positions, slot * 16, 2) : null);
const source = IssuanceDatabase.open(settings.databasePath, settings.database, settings.filter);
// A worker reads its ranges in id order (database scans), or the table once in id order for the
// serial index and then rows in memory (CT and file scans). 2 MB of page cache measured as fast as
// SQLite's default 16 MB here, or 8 MB, on both benches, and peak RSS is 15-27 MB lower.
source.setCacheSize(2048);
const ownKeyHashes = new Set(settings.ct?.issuers.keyHashes ?? []);
const accept = entryFilter(settings.filter);
// A tile's entries are views into these: each task is done with them before the next tile is read.
const tileBuffers = new TileBuffers();

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
    accept,
    allIssuers: settings.ct?.allIssuers === true,
    duplicateSerials: settings.ct?.duplicateSerials,
    skip,
  };
}

// Fault injection for the tests of worker recovery: the worker thread exits when it reaches this
// certificate (row id, leaf index or block number) on a batch that does not skip it.
const exitAtRef = process.env.CERTSCAN_TEST_WORKER_EXIT_AT_REF ? Number(process.env.CERTSCAN_TEST_WORKER_EXIT_AT_REF) : null;

function run(message: BatchMessage): BatchResult {
  const skip = message.skip ? new Map(message.skip) : undefined;
  if (exitAtRef !== null) inspector.onPosition = (ref) => {
    if (ref === exitAtRef && !skip?.has(ref)) process.exit(70);
  };
  switch (message.kind) {
    case 'db-range':
      return inspectRows(inspector, message.seq, source.readRange(message), (ref) => source.readDetails(ref), skip);
    case 'static-ct-tiles': {
      // One tile at a time: the next read reuses the buffers the entries point into.
      const results = message.tiles.map((tile) => {
        const { entries, problems } = readDataTile(tile, message.root, tileBuffers);
        return inspectCtEntries(inspector, message.seq, entries, problems, environment(message.origin, message.root, skip));
      });
      return mergeResults(message.seq, results);
    }
    case 'rfc6962-page': {
      const { entries, problems } = readRfc6962Page(message.path);
      return inspectCtEntries(inspector, message.seq, entries, problems, environment(message.origin, null, skip));
    }
    case 'certificate-file': {
      const { entries, problems, otherObjects } = readCertificateFile(message.path);
      return { ...inspectCtEntries(inspector, message.seq, entries, problems, environment(message.path, null, skip)), otherObjects };
    }
  }
}

parentPort?.on('message', (message: WorkerMessage) => {
  if (message.kind === 'attach-serial-index') {
    // No reply: the pool counts only batches and index parts.
    source.attachSerialIndex(SerialIndex.attach(message.index), OrderStore.attach(message.orders));
    return;
  }
  let reply: WorkerReply;
  try {
    if (message.kind === 'serial-index-part') reply = { ok: true, serialIndexPart: source.buildSerialIndexPart(message) };
    else if (message.kind === 'finish-serial-index-part') {
      resolveOrderReferences(message.part, OrderStore.attach(message.orders));
      SerialIndex.attach(message.index).insertPart(message.seq);
      reply = { ok: true, finished: message.seq };
    }
    else reply = { ok: true, result: run(message) };
  } catch (error) {
    reply = { ok: false, seq: message.seq, error: (error as Error).stack ?? String(error) };
  }
  parentPort?.postMessage(reply);
});
