// Decode + checks for one batch of rows. Pure: the worker threads call it, and so can tests.
import { createHash } from 'node:crypto';
import { decodeCertificate } from './decode/certificate.js';
import { FactsDecoder } from './decode/facts.js';
import { DecodeError, type DecodedCertificate } from './decode/types.js';
import { CHECKS, PIPELINE_FINDINGS } from './checks/index.js';
import { checkInput, runChecks } from './checks/run.js';
import { normalizeText } from './checks/subject.js';
import type { Check, CheckContext, Finding } from './checks/types.js';
import type { ReportedRow, RowDetails, SourceRow, SourceRowMeta } from './sources/types.js';

/** A certificate with at least one finding, as the checks left it. */
export interface RowInspection {
  row: SourceRowMeta;
  /** null when the DER did not decode. */
  certificate: DecodedCertificate | null;
  /** SHA-256 of the stored DER (also for undecodable rows). */
  sha256: string;
  findings: Finding[];
}

/** A certificate with at least one finding, with everything the reports need. */
export interface AffectedCertificate {
  row: ReportedRow;
  /** null when the DER did not decode. */
  certificate: DecodedCertificate | null;
  /** SHA-256 of the stored DER (also for undecodable rows). */
  sha256: string;
  findings: Finding[];
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
export function inspectRow(inspector: Inspector, row: SourceRow): RowInspection | null {
  const { der, ...meta } = row;
  if (!inspector.fullDecodeOnly) {
    const facts = inspector.facts.decode(der);
    if (facts && runChecks(inspector.checks, checkInput(facts, meta), inspector.context).length === 0) return null;
  }
  let certificate: DecodedCertificate;
  try {
    certificate = decodeCertificate(der);
  } catch (error) {
    if (!(error instanceof DecodeError) && !(error instanceof Error)) throw error;
    if (!inspector.undecodableEnabled) return null;
    const undecodable = PIPELINE_FINDINGS.undecodable;
    return {
      row: meta,
      certificate: null,
      sha256: createHash('sha256').update(der).digest('hex'),
      findings: [
        {
          check: undecodable.name,
          severity: 'error',
          detail: `row ${meta.ref} (${der.length} bytes): ${error.message}`,
          citation: undecodable.citation,
        },
      ],
    };
  }
  const findings = runChecks(inspector.checks, checkInput(certificate, meta), inspector.context);
  if (findings.length === 0) return null;
  return { row: meta, certificate, sha256: certificate.sha256, findings: [...findings] };
}

/** Inspects a batch; `readDetails` supplies the report-only data of the few affected rows. */
export function inspectRows(inspector: Inspector, seq: number, rows: readonly SourceRow[], readDetails: (ref: number) => RowDetails): BatchResult {
  const affected: AffectedCertificate[] = [];
  const before = { ...inspector.facts.stats };
  for (const row of rows) {
    const result = inspectRow(inspector, row);
    if (result) affected.push({ ...result, row: { ...result.row, ...readDetails(result.row.ref) } });
  }
  return {
    seq,
    scanned: rows.length,
    firstRef: rows[0]?.ref ?? null,
    lastRef: rows[rows.length - 1]?.ref ?? null,
    affected,
    fastDecoded: inspector.facts.stats.fast - before.fast,
    fastPathFallbacks: inspector.facts.stats.fallback - before.fallback,
  };
}
