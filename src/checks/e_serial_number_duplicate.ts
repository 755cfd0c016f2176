import { defineMeta } from './types.js';

/**
 * Reported by the file source, not run on one decoded certificate: two different certificates
 * (different DER, not a precertificate and its certificate) carry the same issuer Name and serial.
 * The issuer + serial pair must identify one certificate.
 */
export default defineMeta({
  name: 'e_serial_number_duplicate',
  description: 'Another certificate of the same issuer has the same serial number',
  citation: 'RFC 5280 4.1.2.2 (the serial number MUST be unique for each certificate issued by a given CA); BR 7.1 (serial numbers)',
  source: 'RFC 5280',
  effectiveDate: '2008-05-01',
});
