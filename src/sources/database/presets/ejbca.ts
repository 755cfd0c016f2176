// EJBCA CE, from doc/sql-scripts/create-tables-ejbca-mysql.sql (Keyfactor/ejbca-ce at
// fa0cddfbaa3a56774f172415cedcca8ec09e7bff; the PostgreSQL script has the same tables and columns):
// CertificateData(fingerprint PK, base64Cert, serialNumber decimal text, notBefore and expireDate
// epoch ms, revocationDate and revocationReason -1 when not revoked, status 20 active / 40 revoked,
// username), Base64CertData(fingerprint PK, base64Cert) when useSeparateCertificateTable is on, and
// UserData(username PK, subjectDN) holding the registered subject as a DN string.
import type { ScanConfig } from '../../../config.js';
import { ORDER_FIELDS } from '../../order_fields.js';
import type { DatabasePreset } from './types.js';

const OPTIONAL_ORDER_FIELD_NAMES = ORDER_FIELDS.filter((field) => field.optional).map((field) => field.name);

const subjectDN = (attribute: string) => ({ dn: 'subjectDN', attribute });

export const EJBCA_PRESET: DatabasePreset = {
  name: 'ejbca',
  product: 'EJBCA (CE and Enterprise)',
  schemaSource: 'Keyfactor/ejbca-ce doc/sql-scripts/create-tables-ejbca-mysql.sql @ fa0cddfbaa3a56774f172415cedcca8ec09e7bff',
  notes:
    'CertificateData joined to UserData by username; the vetted O, C, ST, L and JurisdictionCountry from UserData.subjectDN; ' +
    'the certificate from Base64CertData where base64Cert is NULL; revoked when status is 40. ' +
    'Pages by fingerprint, the text primary key, on every engine (no nightly on it: use audit --from).',
  database: {
    certificates: {
      table: 'CertificateData',
      columns: {
        // The primary key, hex text: keyset pages in its order on every engine; reports name certificates by it.
        id: 'fingerprint',
        orderId: 'username',
        serial: 'serialNumber',
        der: 'base64Cert',
        issuedAt: 'notBefore',
        revokedAt: 'revocationDate',
        revocationReason: 'revocationReason',
        status: 'status',
      },
      // CertificateConstants: CERT_REVOKED = 40 (CERT_ACTIVE = 20, CERT_NOTIFIEDABOUTEXPIRATION = 21).
      revokedStatuses: ['40'],
      revocationTable: null,
      derFallback: { table: 'Base64CertData', join: 'fingerprint', der: 'base64Cert' },
      derEncoding: 'base64',
      serialEncoding: 'decimal',
      timeEncoding: 'epoch-ms',
    },
    orders: {
      source: null,
      table: 'UserData',
      columns: {
        id: 'username',
        organization: subjectDN('O'),
        country: subjectDN('C'),
        state: subjectDN('ST'),
        locality: subjectDN('L'),
        jurisdictionCountry: subjectDN('JurisdictionCountry'),
        // EJBCA keeps no validation type: the EV checks go by the certificate's policy. The issue
        // #15 fields (businessCategory, jurisdiction state/locality, serialNumber, street,
        // postalCode, organizationIdentifier) are not mapped yet: map them with
        // { "dn": "subjectDN", "attribute": ... } next to the preset. EJBCA keeps no vetting date.
        validationType: null,
        ...Object.fromEntries(OPTIONAL_ORDER_FIELD_NAMES.map((name) => [name, null])),
      } as ScanConfig['database']['orders']['columns'],
    },
  },
};
