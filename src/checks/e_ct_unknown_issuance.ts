import { defineMeta } from './types.js';

/**
 * Reported by the CT sources, not run on a decoded certificate: a log holds a certificate or
 * precertificate of one of the CA's own issuers whose serial is not in the issuance database.
 * Either the database is incomplete or something issued outside the CA's records.
 */
export default defineMeta({
  name: 'e_ct_unknown_issuance',
  description: "A CT log entry of one of the CA's own issuers has no row in the issuance database",
  citation: 'BR 5.4.1 (records of every issued certificate) and 4.2 (issuance only after validation); RFC 6962 3.1',
  source: 'CABF BR',
  effectiveDate: '2013-06-01',
});
