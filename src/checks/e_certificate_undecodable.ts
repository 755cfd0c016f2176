import { defineMeta } from './types.js';

/**
 * Reported by the decode phase, not run on a decoded certificate: the row's DER is not a
 * certificate pkijs can decode (truncated, trailing bytes, not X.509). The row id is kept so the
 * CA can find the record.
 */
export default defineMeta({
  name: 'e_certificate_undecodable',
  description: 'Stored certificate DER does not decode as an X.509 certificate',
  citation: 'RFC 5280 4.1 (Certificate is a DER-encoded SEQUENCE); BR 7.1',
  source: 'RFC 5280',
  effectiveDate: '2008-05-01',
});
