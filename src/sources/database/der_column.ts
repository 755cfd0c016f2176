// Where a row's certificate is: the certificates' DER column, or, where that is empty, a second
// table's (EJBCA with useSeparateCertificateTable keeps base64Cert NULL in CertificateData and the
// certificate in Base64CertData, joined by fingerprint).
import type { CertificateTableMapping } from '../../config.js';

/** The SQL expression of a row's stored certificate (alias c: the certificates, d: the fallback table). */
export function derExpression(certificates: CertificateTableMapping, quote: (name: string) => string): string {
  const own = `c.${quote(certificates.columns.der)}`;
  const fallback = certificates.derFallback;
  return fallback ? `COALESCE(${own}, d.${quote(fallback.der)})` : own;
}

/** The join that brings in the fallback table, if one is mapped. */
export function derJoin(certificates: CertificateTableMapping, quote: (name: string) => string): string[] {
  const fallback = certificates.derFallback;
  return fallback ? [`LEFT JOIN ${quote(fallback.table)} AS d ON d.${quote(fallback.join)} = c.${quote(fallback.join)}`] : [];
}
