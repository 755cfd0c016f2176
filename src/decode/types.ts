import type { ValidationType } from './oids.js';
import type { ValidityEncoding } from './time.js';

/** One AttributeTypeAndValue of a Name, in certificate order. */
export interface NameAttribute {
  oid: string;
  /** Short label (C, ST, O, jurisdictionC, ...) or the dotted OID when certscan has no label for it. */
  label: string;
  /** The decoded string value; for a non-string value, `#` and the hex of its DER (RFC 4514 2.4). */
  value: string;
  /** The ASN.1 type the value was encoded with: PrintableString, UTF8String, BMPString, ... */
  stringType: string;
  /** Which RDN (0-based) holds the attribute: two attributes with one index form a multi-valued RDN. */
  rdnIndex: number;
}

/**
 * What the checks see of a certificate. The fast path (src/decode/facts.ts) produces exactly these
 * fields, equal to what a full pkijs decode gives; the differential tests hold it to that.
 */
export interface CertificateFacts {
  /** The serial number's DER INTEGER content bytes, lowercase hex (a leading 00 kept when DER has it). */
  serialHex: string;
  issuer: NameAttribute[];
  subject: NameAttribute[];
  subjectRdnCount: number;
  /** ISO 8601 UTC: the instant the time names, whatever form it is encoded in (see src/decode/time.ts). */
  notBefore: string;
  notAfter: string;
  /** notBefore and notAfter as epoch milliseconds (for the checks that count days). */
  notBeforeMs: number;
  notAfterMs: number;
  /**
   * The validity times as encoded, when either is not in the DER form RFC 5280 4.1.2.5 demands
   * (e_validity_time_not_der reports them); null when both are.
   */
  validityEncoding: ValidityEncoding | null;
  policyOids: string[];
  /** From the CA/B Forum reserved policy OIDs; null when none is asserted. */
  validationType: ValidationType | null;
  /** RFC 6962 poison extension present. */
  isPrecertificate: boolean;
  isCA: boolean;
}

/** Everything the reports need as well: the full pkijs decode. Plain data, safe to post between threads. */
export interface DecodedCertificate extends CertificateFacts {
  dnsNames: string[];
  /** SHA-256 of the whole DER input, lowercase hex. */
  sha256: string;
}

/** A certificate whose DER pkijs cannot decode. The message says where decoding stopped. */
export class DecodeError extends Error {
  override readonly name = 'DecodeError';
}
