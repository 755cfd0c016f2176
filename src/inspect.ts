// Decode + checks for one batch of rows. Pure: the worker threads call it, and so can tests.
import { createHash } from 'node:crypto';
import { decodeCertificate, decodeTbsCertificate } from './decode/certificate.js';
import { sha256Hex } from './decode/digest.js';
import { scratchTlv } from './decode/der_walk.js';
import { findSerial, serialHexOf, serialKey } from './decode/serial.js';
import { type CtEntry, type EntryType, type InputProblem } from './sources/ct/entries.js';
import { issuerNameHex, spkiSha256 } from './sources/ct/issuers.js';
import { FactsDecoder, factsOf } from './decode/facts.js';
import { DecodeError, type CertificateFacts, type DecodedCertificate } from './decode/types.js';
import { ATTRIBUTE } from './decode/oids.js';
import type { RowFilter } from './sources/issuance_db.js';
import { CHECKS, PIPELINE_FINDINGS } from './checks/index.js';
import { checkInput, runChecks } from './checks/run.js';
import { normalizeText } from './checks/subject.js';
import type { Check, CheckContext, Finding } from './checks/types.js';
import { NO_ROW, type ReportedRow, type RowDetails, type RowKey, type SourceRow, type SourceRowMeta } from './sources/types.js';
import type { ScanConfig } from './config.js';
import { recordedSerialDisagrees, recordedValues, serialMismatchFinding, takeValueProblems, withReadableOrder, type RecordedValues } from './inspect_values.js';

/** A certificate with at least one finding, as the checks left it. */
export interface RowInspection {
  row: SourceRowMeta;
  /** null when the DER did not decode. */
  certificate: DecodedCertificate | null;
  /** SHA-256 of the stored DER (also for undecodable rows). */
  sha256: string;
  findings: Finding[];
}

/** Where a CT entry was found. */
export interface CtLocation {
  origin: string;
  leafIndex: number;
  entryType: EntryType;
  timestamp: number;
  /** SHA-256 of the issuer's SPKI, hex: with the serial, it pairs a precertificate with its certificate. */
  issuerKeyHash: string;
}

/** A certificate with at least one finding, with everything the reports need. */
export interface AffectedCertificate {
  row: ReportedRow;
  /** null when the DER did not decode. */
  certificate: DecodedCertificate | null;
  /** SHA-256 of the stored DER (also for undecodable rows); of the precertificate for a precert entry. */
  sha256: string;
  findings: Finding[];
  ct?: CtLocation;
}

export interface BatchResult {
  seq: number;
  scanned: number;
  /** Source refs of the first and last row read (null for an empty batch). */
  firstRef: RowKey | null;
  lastRef: RowKey | null;
  affected: AffectedCertificate[];
  /** Certificates the fast path decoded, and those it was not sure about (decoded by pkijs in full). */
  fastDecoded: number;
  fastPathFallbacks: number;
  /** CT and file sources: entries read, entries of other issuers (counted and skipped), input problems. */
  entriesRead: number;
  otherIssuerEntries: number;
  /** File sources: PEM objects that are not certificates (CRLs, requests), read and not scanned. */
  otherObjects: number;
  problems: InputProblem[];
}

/** The settings a worker needs, sent once at start: plain data. */
export interface InspectionSettings {
  disabledChecks: string[];
  placeholderCountries: string[];
  placeholderValues?: string[];
  embargoedCountries?: string[];
  fullDecodeOnly?: boolean;
  /** How order columns are named in input-errors.csv. */
  database?: ScanConfig['database'];
}

export interface Inspector {
  /**
   * Where the worker is: [batch seq, ref of the certificate being inspected]. Written before each
   * certificate, in shared memory, so that when a worker thread dies the pool knows which
   * certificate it died on and can redo the batch without it.
   */
  position: Float64Array | null;
  /** Called with each certificate's ref after the position is written (the tests inject worker faults here). */
  onPosition?: (ref: number) => void;
  checks: readonly Check[];
  context: CheckContext;
  undecodableEnabled: boolean;
  facts: FactsDecoder;
  /** Skip the fast path (the reference mode the differential tests and the bench compare against). */
  fullDecodeOnly: boolean;
  recordedValues: RecordedValues;
}

export function createInspector(settings: InspectionSettings, position: Float64Array | null = null): Inspector {
  const disabled = new Set(settings.disabledChecks);
  return {
    position,
    checks: CHECKS.filter((check) => !disabled.has(check.name)),
    context: {
      placeholderCountries: new Set(settings.placeholderCountries.map((code) => code.toUpperCase())),
      placeholderValues: new Set((settings.placeholderValues ?? []).map((value) => normalizeText(value).toLowerCase())),
      embargoedCountries: new Set((settings.embargoedCountries ?? []).map((code) => code.toUpperCase())),
    },
    undecodableEnabled: !disabled.has(PIPELINE_FINDINGS.undecodable.name),
    facts: new FactsDecoder(),
    fullDecodeOnly: settings.fullDecodeOnly === true,
    recordedValues: recordedValues(settings.database, settings.disabledChecks),
  };
}

/**
 * Decode + checks for one row. The fast path decides "clean"; a certificate it flags, or one it is
 * not sure about, is decoded fully with pkijs and checked again, so every reported row comes from
 * a full pkijs decode.
 */
export function inspectRow(inspector: Inspector, row: SourceRow, tbs?: TbsInput, accept?: EntryFilter, where?: () => string): RowInspection | null | typeof FILTERED {
  // The row itself serves as its meta on the hot path; a copy without the DER goes into a result.
  const der = row.der;
  const meta: SourceRowMeta = row;
  if (!inspector.fullDecodeOnly) {
    const facts = fastFacts(inspector, der, tbs);
    if (facts && accept && !accept(facts, meta)) return FILTERED;
    if (facts && !meta.unknownIssuance && !meta.duplicateSerialOf && !recordedSerialDisagrees(inspector.recordedValues, meta, facts.serialHex) && runChecks(inspector.checks, checkInput(facts, meta), inspector.context).length === 0) return null;
  }
  let certificate: DecodedCertificate;
  try {
    certificate = tbs ? decodeTbsCertificate(der, tbs.sha256(), tbs.isPrecertificate) : decodeCertificate(der);
  } catch (error) {
    if (!(error instanceof DecodeError) && !(error instanceof Error)) throw error;
    if (!inspector.undecodableEnabled) return null;
    const undecodable = PIPELINE_FINDINGS.undecodable;
    return {
      row: withoutDer(row),
      certificate: null,
      sha256: tbs?.sha256() ?? createHash('sha256').update(der).digest('hex'),
      findings: [
        {
          check: undecodable.name,
          severity: 'error',
          detail: `${tbs?.where() ?? where?.() ?? `row ${meta.ref}`} (${der.length} bytes): ${error.message}`,
          citation: undecodable.citation,
        },
      ],
    };
  }
  if (accept && !accept(certificate, meta)) return FILTERED;
  const findings = [...runChecks(inspector.checks, checkInput(factsOf(certificate), meta), inspector.context)];
  if (meta.unknownIssuance) {
    const unknown = PIPELINE_FINDINGS.unknownIssuance;
    findings.unshift({
      check: unknown.name,
      severity: 'error',
      detail: `${tbs?.where() ?? 'entry'}: serial ${certificate.serialHex} of an own issuer is not in the issuance database`,
      citation: unknown.citation,
    });
  }
  if (meta.duplicateSerialOf) {
    const duplicate = PIPELINE_FINDINGS.duplicateSerial;
    findings.unshift({
      check: duplicate.name,
      severity: 'error',
      detail: `serial ${certificate.serialHex} of this issuer is also used by ${meta.duplicateSerialOf.length === 1 ? 'another certificate' : `${meta.duplicateSerialOf.length} other certificates`}: ${meta.duplicateSerialOf.slice(0, 5).join('; ')}${meta.duplicateSerialOf.length > 5 ? '; ...' : ''}`,
      citation: duplicate.citation,
    });
  }
  if (recordedSerialDisagrees(inspector.recordedValues, meta, certificate.serialHex)) findings.unshift(serialMismatchFinding(meta, certificate.serialHex));
  if (findings.length === 0) return null;
  return { row: withoutDer(row), certificate, sha256: certificate.sha256, findings };
}

/**
 * The fast path's facts, or null when it is not sure. An exception inside it (asn1js throws
 * RangeError on an odd-length BMPString, for one) is "not sure" too: the full decode then decides,
 * and reports the certificate as undecodable if it fails there as well.
 */
function fastFacts(inspector: Inspector, der: Uint8Array, tbs: TbsInput | undefined): CertificateFacts | null {
  try {
    return tbs ? inspector.facts.decodeTbs(der, tbs.isPrecertificate) : inspector.facts.decode(der);
  } catch {
    inspector.facts.stats.fallback++;
    return null;
  }
}

/**
 * A certificate that could not be inspected: the worker died on it (it was skipped when the batch
 * was redone), or something outside the checks threw. It stays with that certificate, as a
 * finding, and the scan goes on.
 */
function notInspected(row: SourceRow, sha256: string, where: string, why: string): RowInspection {
  const undecodable = PIPELINE_FINDINGS.undecodable;
  return {
    row: withoutDer(row),
    certificate: null,
    sha256,
    findings: [{ check: undecodable.name, severity: 'fatal', detail: `${where} (${row.der.length} bytes) could not be inspected: ${why}`, citation: undecodable.citation }],
  };
}

/** Why a worker skipped a certificate on a redone batch, as the pool told it. */
export type SkippedRefs = ReadonlyMap<number, string>;

function withoutDer(row: SourceRow): SourceRowMeta {
  const { der: _der, ...meta } = row;
  return meta;
}

/** An entry outside an audit's dates or countries: not scanned, not counted. */
export const FILTERED = Symbol('filtered');

/** Decides from the decoded certificate and its order whether an entry belongs to the scan. */
export type EntryFilter = (certificate: CertificateFacts, row: SourceRowMeta) => boolean;

/**
 * A retroactive audit's restriction applied to log and file entries: notBefore in
 * [issuedFrom, issuedTo); the order vetted for one of the countries (or, with no order, a subject
 * C among them). An entry that does not decode cannot be placed and stays in.
 */
export function entryFilter(filter: RowFilter | undefined): EntryFilter | undefined {
  if (!filter || (!filter.issuedFrom && !filter.issuedTo && !filter.orderCountries?.length)) return undefined;
  const countries = new Set(filter.orderCountries ?? []);
  return (certificate, row) => {
    if (filter.issuedFrom && certificate.notBefore < new Date(filter.issuedFrom).toISOString()) return false;
    if (filter.issuedTo && certificate.notBefore >= new Date(filter.issuedTo).toISOString()) return false;
    if (countries.size === 0) return true;
    if (row.order) return countries.has((row.order.country ?? '').trim().toUpperCase());
    return certificate.subject.some((attribute) => attribute.oid === ATTRIBUTE.countryName && countries.has(attribute.value.trim().toUpperCase()));
  };
}

/** How to read a CT entry's DER: a TBSCertificate (precert) or not, which hash to report, where it was. */
export interface TbsInput {
  isPrecertificate: boolean;
  /** Computed only for entries that are reported (or decoded in full). */
  sha256: () => string;
  /** Where the entry was read, for messages. */
  where: () => string;
}

/**
 * Inspects a batch; `readDetails` supplies the report-only data of the few affected rows.
 * `ordersReadable`: the source saw that no order field holds U+FFFD (DatabasePage.ordersReadable).
 */
export function inspectRows(inspector: Inspector, seq: number, rows: readonly SourceRow[], readDetails: (ref: RowKey) => RowDetails, skip?: SkippedRefs, ordersReadable = false): BatchResult {
  const affected: AffectedCertificate[] = [];
  const problems: InputProblem[] = [];
  const before = { ...inspector.facts.stats };
  const position = inspector.position;
  if (position) position[0] = seq;
  for (let index = 0; index < rows.length; index++) {
    const row = rows[index]!;
    // The shared position holds numbers: a text key stands as its place in the batch, a number
    // no integer key can be (a page is read again in the same order when the batch is redone).
    const at = typeof row.ref === 'number' ? row.ref : index + 0.5;
    if (position) {
      position[1] = at;
      inspector.onPosition?.(at);
    }
    takeValueProblems(row, problems);
    if (!ordersReadable) withReadableOrder(inspector.recordedValues, row, problems);
    const skipped = skip?.get(at);
    let result: RowInspection | null | typeof FILTERED;
    try {
      result = skipped ? notInspected(row, sha256Hex(row.der), `row ${row.ref}`, skipped) : inspectRow(inspector, row);
    } catch (error) {
      result = notInspected(row, sha256Hex(row.der), `row ${row.ref}`, (error as Error).message);
    }
    if (result && result !== FILTERED) {
      const details = readDetails(result.row.ref);
      takeValueProblems(details, problems);
      affected.push({ ...result, row: { ...result.row, ...details } });
    }
  }
  return {
    seq,
    scanned: rows.length,
    firstRef: rows[0]?.ref ?? null,
    lastRef: rows[rows.length - 1]?.ref ?? null,
    affected,
    fastDecoded: inspector.facts.stats.fast - before.fast,
    fastPathFallbacks: inspector.facts.stats.fallback - before.fallback,
    entriesRead: 0,
    otherIssuerEntries: 0,
    otherObjects: 0,
    problems,
  };
}

/** The results of consecutive parts of one batch, as one result. */
export function mergeResults(seq: number, results: readonly BatchResult[]): BatchResult {
  const merged: BatchResult = { seq, scanned: 0, firstRef: null, lastRef: null, affected: [], fastDecoded: 0, fastPathFallbacks: 0, entriesRead: 0, otherIssuerEntries: 0, otherObjects: 0, problems: [] };
  for (const result of results) {
    merged.scanned += result.scanned;
    merged.firstRef ??= result.firstRef;
    if (result.lastRef !== null) merged.lastRef = result.lastRef;
    merged.affected.push(...result.affected);
    merged.fastDecoded += result.fastDecoded;
    merged.fastPathFallbacks += result.fastPathFallbacks;
    merged.entriesRead += result.entriesRead;
    merged.otherIssuerEntries += result.otherIssuerEntries;
    merged.otherObjects += result.otherObjects;
    merged.problems.push(...result.problems);
  }
  return merged;
}

/** What inspecting CT entries needs from the worker: the log, the own issuers, the database. */
export interface CtEnvironment {
  origin: string;
  ownKeyHashes: ReadonlySet<string>;
  keyHashByIssuerName: Readonly<Record<string, string>>;
  /** static-ct: issuer/<fingerprint> DER. */
  resolveFingerprint: (fingerprint: string) => Uint8Array | null;
  /**
   * The key hashes of resolved fingerprints (null: unresolvable), kept by the caller across
   * batches of one log: an issuer file is read once, not once per tile.
   */
  fingerprintKeyHashes?: Map<string, string | null>;
  /** The database row of the serial in der[start, end) (DER INTEGER content), or null. */
  lookupSerial: (der: Uint8Array, start: number, end: number) => SourceRowMeta | null;
  /** Serial, dates and revocation of a database row: read for affected entries only. */
  readDetails: (ref: RowKey) => RowDetails;
  /** EJBCA's snapshots (database.orders.snapshots): a joined row's vetted fields as at issuance, where its certificate has one. */
  vettedAtIssuance?: (row: SourceRow) => void;
  /** An audit's dates and countries. */
  accept?: EntryFilter;
  /**
   * No issuer filter (a folder of files with no --issuer): every entry is scanned, and one whose
   * issuer is not known by key is identified by its issuer Name.
   */
  allIssuers?: boolean;
  /** Issuer + serial keys (see serialKey) that more than one distinct certificate uses, with where each is. */
  duplicateSerials?: Readonly<Record<string, readonly string[]>>;
  /** CT scans: where the other certificates with this entry's issuer + serial are (sources/ct/duplicate_serials.ts). */
  serialDuplicates?: (entry: CtEntry) => string[] | undefined;
  /** Entries the pool says to skip (the worker died on them), by leaf index, with why. */
  skip?: SkippedRefs;
}

/** The issuer key hash of an entry when the issuer is one of the CA's own, else null. */
export function ownIssuer(entry: CtEntry, environment: CtEnvironment, spkiCache: Map<string, string | null>): string | null {
  let keyHash: string | null = null;
  if (entry.issuerKeyHash) keyHash = entry.issuerKeyHash.toString('hex');
  else if (entry.issuerFingerprint) {
    const fingerprint = entry.issuerFingerprint;
    if (!spkiCache.has(fingerprint)) {
      const issuer = environment.resolveFingerprint(fingerprint);
      spkiCache.set(fingerprint, issuer ? spkiSha256(issuer) : null);
    }
    keyHash = spkiCache.get(fingerprint) ?? null;
  } else if (entry.chainCertificates[0]) keyHash = spkiSha256(entry.chainCertificates[0]);
  if (keyHash && environment.ownKeyHashes.has(keyHash)) return keyHash;
  // No chain (a loose PEM file) or an unresolvable one: match the issuer Name.
  const name = issuerNameHex(entry.der, entry.entryType === 'precert');
  const own = name ? (environment.keyHashByIssuerName[name] ?? null) : null;
  if (own || !environment.allIssuers) return own;
  // Every issuer is scanned: an issuer known only by its Name is named by a hash of it (an entry
  // whose Name cannot be found is still scanned, and decoding it decides).
  return keyHash ?? `name:${name ? sha256Hex(Buffer.from(name, 'hex')) : 'unknown'}`;
}

/** Decode + checks for CT (or file) entries: own issuers only, joined with orders by serial. */
export function inspectCtEntries(inspector: Inspector, seq: number, entries: readonly CtEntry[], problems: InputProblem[], environment: CtEnvironment): BatchResult {
  const affected: AffectedCertificate[] = [];
  // A copy: a server source inspects the same entries again with the rows it fetched.
  const entryProblems = [...problems];
  const before = { ...inspector.facts.stats };
  const spkiCache = environment.fingerprintKeyHashes ?? new Map<string, string | null>();
  const position = inspector.position;
  if (position) position[0] = seq;
  let scanned = 0;
  let otherIssuerEntries = 0;
  for (const entry of entries) {
    if (position) {
      position[1] = entry.leafIndex;
      inspector.onPosition?.(entry.leafIndex);
    }
    try {
      const item = inspectCtEntry(inspector, entry, environment, spkiCache, entryProblems);
      if (item === OTHER_ISSUER) otherIssuerEntries++;
      else if (item !== FILTERED) {
        scanned++;
        if (item) affected.push(item);
      }
    } catch (error) {
      // Outside the decode and the checks (which keep their own failures): the entry still gets a row.
      scanned++;
      const where = `${environment.origin} leaf ${entry.leafIndex} (${entry.location()})`;
      const result = notInspected({ ref: NO_ROW, orderId: null, order: null, der: entry.der }, reportedSha256(entry), where, (error as Error).message);
      affected.push({ ...result, row: { ...result.row, serial: null, issuedAt: null, revokedAt: null, revocationReason: null } });
    }
  }
  return {
    seq,
    scanned,
    firstRef: entries[0]?.leafIndex ?? null,
    lastRef: entries[entries.length - 1]?.leafIndex ?? null,
    affected,
    fastDecoded: inspector.facts.stats.fast - before.fast,
    fastPathFallbacks: inspector.facts.stats.fallback - before.fallback,
    entriesRead: entries.length,
    otherIssuerEntries,
    otherObjects: 0,
    problems: entryProblems,
  };
}

const OTHER_ISSUER = Symbol('other issuer');

/** One entry: skipped (another issuer's, or outside an audit), clean (null) or affected. */
function inspectCtEntry(
  inspector: Inspector,
  entry: CtEntry,
  environment: CtEnvironment,
  spkiCache: Map<string, string | null>,
  problems: InputProblem[],
): AffectedCertificate | null | typeof FILTERED | typeof OTHER_ISSUER {
  const issuerKeyHash = ownIssuer(entry, environment, spkiCache);
  if (!issuerKeyHash) return OTHER_ISSUER;
  const isTbs = entry.entryType === 'precert';
  const hasSerial = findSerial(entry.der, isTbs, serialTlv);
  const known = hasSerial ? environment.lookupSerial(entry.der, serialTlv.contentStart, serialTlv.end) : null;
  const duplicates = environment.duplicateSerials && hasSerial ? duplicatesOf(entry, isTbs, environment.duplicateSerials) : hasSerial ? environment.serialDuplicates?.(entry) : undefined;
  const row: SourceRow = known
    ? { ref: known.ref, orderId: known.orderId, order: known.order, der: entry.der }
    : { ref: NO_ROW, orderId: null, order: null, unknownIssuance: !environment.allIssuers, der: entry.der };
  if (duplicates) row.duplicateSerialOf = duplicates;
  if (known) environment.vettedAtIssuance?.(row);
  withReadableOrder(inspector.recordedValues, row, problems);
  const where = () => `${environment.origin} leaf ${entry.leafIndex} (${entry.location()})`;
  const tbs = isTbs || entry.preCertificate ? { isPrecertificate: isTbs, sha256: () => reportedSha256(entry), where } : undefined;
  const skipped = environment.skip?.get(entry.leafIndex);
  const result = skipped ? notInspected(row, reportedSha256(entry), where(), skipped) : inspectRow(inspector, row, tbs, environment.accept, where);
  if (result === FILTERED || !result) return result;
  const details: RowDetails = known ? environment.readDetails(known.ref) : { serial: serialHexOf(entry.der, isTbs), issuedAt: null, revokedAt: null, revocationReason: null };
  takeValueProblems(details, problems);
  return {
    ...result,
    row: { ...result.row, ...details },
    sha256: reportedSha256(entry),
    ct: { origin: environment.origin, leafIndex: entry.leafIndex, entryType: entry.entryType, timestamp: entry.timestamp, issuerKeyHash },
  };
}

/** Where else this entry's issuer + serial is used by another certificate, or undefined. */
function duplicatesOf(entry: CtEntry, isTbs: boolean, duplicateSerials: Readonly<Record<string, readonly string[]>>): string[] | undefined {
  const name = issuerNameHex(entry.der, isTbs);
  const serial = Buffer.from(entry.der.buffer, entry.der.byteOffset + serialTlv.contentStart, serialTlv.end - serialTlv.contentStart).toString('hex');
  const places = name ? duplicateSerials[serialKey(name, serial)] : undefined;
  if (!places) return undefined;
  const here = entry.location();
  return places.filter((place) => place !== here);
}

/** The hash a report gives for an entry: of the precertificate for a precert entry. */
function reportedSha256(entry: CtEntry): string {
  return sha256Hex(entry.entryType === 'precert' ? (entry.preCertificate ?? entry.der) : entry.der);
}

/** Filled by findSerial, entry after entry. */
const serialTlv = scratchTlv();
