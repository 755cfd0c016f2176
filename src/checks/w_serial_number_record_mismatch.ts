import { defineMeta } from './types.js';

/**
 * Reported by the database sources, not run on a decoded certificate: the serial column of the
 * certificate's row (database.certificates.columns.serial) holds another serial than the
 * certificate itself. The certificate may be fine; the CA's records of it are not, and anything
 * that looks certificates up by serial (OCSP, CRLs, revocation requests, CT reconciliation) finds
 * the wrong one or none. Only when the serial column holds a readable serial. A warning: the
 * records are to be fixed, the certificate itself is not mis-issued (no BR 4.9.1.1 reason applies).
 */
export default defineMeta({
  name: 'w_serial_number_record_mismatch',
  description: "The issuance database records another serial number than the certificate's own",
  citation: 'BR 5.4.1 and 5.5.1 (records of every issued certificate, kept accurately); RFC 5280 4.1.2.2 (the serial number identifies the certificate)',
  source: 'CABF BR',
  effectiveDate: '2013-06-01',
});
