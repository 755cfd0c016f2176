import { defineMeta } from './types.js';

/**
 * Reported by the pipeline, not run on one decoded certificate: two different certificates
 * (different DER, not a precertificate and its certificate) carry the same issuer Name and serial.
 * The issuer + serial pair must identify one certificate. File scans find them in a pre-pass over
 * the files (sources/cert_files.ts), database scans over the whole table
 * (sources/database/duplicate_serials.ts). See docs/checks.md.
 */
export default defineMeta({
  name: 'e_serial_number_duplicate',
  description: 'Another certificate of the same issuer has the same serial number',
  citation: 'RFC 5280 4.1.2.2 (the serial number MUST be unique for each certificate issued by a given CA); BR 7.1 (serial numbers)',
  source: 'RFC 5280',
  effectiveDate: '2008-05-01',
});
