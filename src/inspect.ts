// Decode + checks for one batch of rows. Pure: the worker threads call it, and so can tests.
import { createHash } from 'node:crypto';
import { decodeCertificate, decodeTbsCertificate, sha256Hex } from './decode/certificate.js';
import { readTlvInto, scratchTlv, type Tlv } from './decode/der_walk.js';
import { type CtEntry, type EntryType, type InputProblem } from './sources/ct/entries.js';
import { issuerNameHex, spkiSha256 } from './sources/ct/issuers.js';
import { FactsDecoder } from './decode/facts.js';
import { DecodeError, type CertificateFacts, type DecodedCertificate } from './decode/types.js';
import { ATTRIBUTE } from './decode/oids.js';
import type { RowFilter } from './sources/issuance_db.js';
import { CHECKS, PIPELINE_FINDINGS } from './checks/index.js';
import { checkInput, runChecks } from './checks/run.js';
import { normalizeText } from './checks/subject.js';
import type { Check, CheckContext, Finding } from './checks/types.js';
import { NO_ROW, type ReportedRow, type RowDetails, type SourceRow, type SourceRowMeta } from './sources/types.js';

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
  firstRef: number | null;
  lastRef: number | null;
  affected: AffectedCertificate[];
  /** Certificates the fast path decoded, and those it was not sure about (decoded by pkijs in full). */
  fastDecoded: number;
  fastPathFallbacks: number;
  /** CT and file sources: entries read, entries of other issuers (counted and skipped), input problems. */
  entriesRead: number;
  otherIssuerEntries: number;
  problems: InputProblem[];
}

/** The settings a worker needs, sent once at start: plain data. */
export interface InspectionSettings {
  disabledChecks: string[];
  placeholderCountries: string[];
  placeholderValues?: string[];
  embargoedCountries?: string[];
  fullDecodeOnly?: boolean;
}

export interface Inspector {
  checks: readonly Check[];
  context: CheckContext;
  undecodableEnabled: boolean;
  facts: FactsDecoder;
  /** Skip the fast path (the reference mode the differential tests and the bench compare against). */
  fullDecodeOnly: boolean;
}

export function createInspector(settings: InspectionSettings): Inspector {
  const disabled = new Set(settings.disabledChecks);
  return {
    checks: CHECKS.filter((check) => !disabled.has(check.name)),
    context: {
      placeholderCountries: new Set(settings.placeholderCountries.map((code) => code.toUpperCase())),
      placeholderValues: new Set((settings.placeholderValues ?? []).map((value) => normalizeText(value).toLowerCase())),
      embargoedCountries: new Set((settings.embargoedCountries ?? []).map((code) => code.toUpperCase())),
    },
    undecodableEnabled: !disabled.has(PIPELINE_FINDINGS.undecodable.name),
    facts: new FactsDecoder(),
    fullDecodeOnly: settings.fullDecodeOnly === true,
  };
}

/**
 * Decode + checks for one row. The fast path decides "clean"; a certificate it flags, or one it is
 * not sure about, is decoded fully with pkijs and checked again, so every reported row comes from
 * a full pkijs decode.
 */
export function inspectRow(inspector: Inspector, row: SourceRow, tbs?: TbsInput, accept?: EntryFilter): RowInspection | null | typeof FILTERED {
  // The row itself serves as its meta on the hot path; a copy without the DER goes into a result.
  const der = row.der;
  const meta: SourceRowMeta = row;
  if (!inspector.fullDecodeOnly) {
    const facts = tbs ? inspector.facts.decodeTbs(der, tbs.isPrecertificate) : inspector.facts.decode(der);
    if (facts && accept && !accept(facts, meta)) return FILTERED;
    if (facts && !meta.unknownIssuance && runChecks(inspector.checks, checkInput(facts, meta), inspector.context).length === 0) return null;
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
          detail: `${tbs?.where() ?? `row ${meta.ref}`} (${der.length} bytes): ${error.message}`,
          citation: undecodable.citation,
        },
      ],
    };
  }
  if (accept && !accept(certificate, meta)) return FILTERED;
  const findings = [...runChecks(inspector.checks, checkInput(certificate, meta), inspector.context)];
  if (meta.unknownIssuance) {
    const unknown = PIPELINE_FINDINGS.unknownIssuance;
    findings.unshift({
      check: unknown.name,
      severity: 'error',
      detail: `${tbs?.where() ?? 'entry'}: serial ${certificate.serialHex} of an own issuer is not in the issuance database`,
      citation: unknown.citation,
    });
  }
  if (findings.length === 0) return null;
  return { row: withoutDer(row), certificate, sha256: certificate.sha256, findings };
}

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

/** Inspects a batch; `readDetails` supplies the report-only data of the few affected rows. */
export function inspectRows(inspector: Inspector, seq: number, rows: readonly SourceRow[], readDetails: (ref: number) => RowDetails): BatchResult {
  const affected: AffectedCertificate[] = [];
  const before = { ...inspector.facts.stats };
  for (const row of rows) {
    const result = inspectRow(inspector, row);
    if (result && result !== FILTERED) affected.push({ ...result, row: { ...result.row, ...readDetails(result.row.ref) } });
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
    problems: [],
  };
}

/** The results of consecutive parts of one batch, as one result. */
export function mergeResults(seq: number, results: readonly BatchResult[]): BatchResult {
  const merged: BatchResult = { seq, scanned: 0, firstRef: null, lastRef: null, affected: [], fastDecoded: 0, fastPathFallbacks: 0, entriesRead: 0, otherIssuerEntries: 0, problems: [] };
  for (const result of results) {
    merged.scanned += result.scanned;
    merged.firstRef ??= result.firstRef;
    if (result.lastRef !== null) merged.lastRef = result.lastRef;
    merged.affected.push(...result.affected);
    merged.fastDecoded += result.fastDecoded;
    merged.fastPathFallbacks += result.fastPathFallbacks;
    merged.entriesRead += result.entriesRead;
    merged.otherIssuerEntries += result.otherIssuerEntries;
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
  readDetails: (ref: number) => RowDetails;
  /** An audit's dates and countries. */
  accept?: EntryFilter;
}

/** The issuer key hash of an entry when the issuer is one of the CA's own, else null. */
function ownIssuer(entry: CtEntry, environment: CtEnvironment, spkiCache: Map<string, string | null>): string | null {
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
  return name ? (environment.keyHashByIssuerName[name] ?? null) : null;
}

/** Decode + checks for CT (or file) entries: own issuers only, joined with orders by serial. */
export function inspectCtEntries(inspector: Inspector, seq: number, entries: readonly CtEntry[], problems: InputProblem[], environment: CtEnvironment): BatchResult {
  const affected: AffectedCertificate[] = [];
  const before = { ...inspector.facts.stats };
  const spkiCache = environment.fingerprintKeyHashes ?? new Map<string, string | null>();
  let scanned = 0;
  let otherIssuerEntries = 0;
  for (const entry of entries) {
    const issuerKeyHash = ownIssuer(entry, environment, spkiCache);
    if (!issuerKeyHash) {
      otherIssuerEntries++;
      continue;
    }
    const isTbs = entry.entryType === 'precert';
    const known = findSerial(entry.der, isTbs, serialTlv) ? environment.lookupSerial(entry.der, serialTlv.contentStart, serialTlv.end) : null;
    const row: SourceRow = known
      ? { ref: known.ref, orderId: known.orderId, order: known.order, der: entry.der }
      : { ref: NO_ROW, orderId: null, order: null, unknownIssuance: true, der: entry.der };
    const tbs =
      isTbs || entry.preCertificate
        ? { isPrecertificate: isTbs, sha256: () => reportedSha256(entry), where: () => `${environment.origin} leaf ${entry.leafIndex} (${entry.location()})` }
        : undefined;
    const result = inspectRow(inspector, row, tbs, environment.accept);
    if (result === FILTERED) continue;
    scanned++;
    if (!result) continue;
    const details: RowDetails = known ? environment.readDetails(known.ref) : { serial: serialOf(entry.der, isTbs), issuedAt: null, revokedAt: null, revocationReason: null };
    affected.push({
      ...result,
      row: { ...result.row, ...details },
      sha256: reportedSha256(entry),
      ct: { origin: environment.origin, leafIndex: entry.leafIndex, entryType: entry.entryType, timestamp: entry.timestamp, issuerKeyHash },
    });
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
    problems,
  };
}

/** The hash a report gives for an entry: of the precertificate for a precert entry. */
function reportedSha256(entry: CtEntry): string {
  return sha256Hex(entry.entryType === 'precert' ? (entry.preCertificate ?? entry.der) : entry.der);
}

/** Filled by findSerial, entry after entry. */
const serialTlv = scratchTlv();

/** Finds the serialNumber INTEGER of a certificate or TBSCertificate by a DER walk; false when there is none. */
function findSerial(der: Uint8Array, isTbs: boolean, into: Tlv): boolean {
  if (!readTlvInto(der, 0, der.length, into) || into.tag !== 0x30) return false;
  if (!isTbs && (!readTlvInto(der, into.contentStart, into.end, into) || into.tag !== 0x30)) return false;
  const tbsEnd = into.end;
  if (!readTlvInto(der, into.contentStart, tbsEnd, into)) return false;
  if ((into.tag as number) === 0xa0 && !readTlvInto(der, into.end, tbsEnd, into)) return false;
  return (into.tag as number) === 0x02;
}

/** The serial (DER INTEGER content, hex) of a certificate or TBSCertificate, or null. */
function serialOf(der: Uint8Array, isTbs: boolean): string | null {
  const tlv = scratchTlv();
  if (!findSerial(der, isTbs, tlv)) return null;
  return Buffer.from(der.buffer, der.byteOffset + tlv.contentStart, tlv.end - tlv.contentStart).toString('hex');
}
