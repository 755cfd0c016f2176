// EJBCA CE, from doc/sql-scripts/create-tables-ejbca-mysql.sql (Keyfactor/ejbca-ce at
// fa0cddfbaa3a56774f172415cedcca8ec09e7bff; the PostgreSQL script has the same tables and columns):
// CertificateData(fingerprint PK, base64Cert, serialNumber decimal text, notBefore and expireDate
// epoch ms, revocationDate and revocationReason -1 when not revoked, status 20 active / 40 revoked,
// username), Base64CertData(fingerprint PK, base64Cert) when useSeparateCertificateTable is on, and
// UserData(username PK, subjectDN) holding the registered subject as a DN string.
import type { ScanConfig } from '../../../config.js';
import type { DatabasePreset } from './types.js';

const subjectDN = (attribute: string) => ({ dn: 'subjectDN', attribute });

export const EJBCA_PRESET: DatabasePreset = {
  name: 'ejbca',
  product: 'EJBCA (CE and Enterprise)',
  schemaSource: 'Keyfactor/ejbca-ce doc/sql-scripts/create-tables-ejbca-mysql.sql @ fa0cddfbaa3a56774f172415cedcca8ec09e7bff',
  notes:
    'CertificateData joined to UserData by username; the vetted O, C, ST, L, the EV jurisdiction, businessCategory, SN (registration number), street, postalCode and organizationIdentifier from UserData.subjectDN; ' +
    'the subject as it was at issuance from CertReqHistoryData.userDataVO where a certificate has one; ' +
    'the certificate from Base64CertData where base64Cert is NULL; revoked when status is 40. ' +
    'Pages by fingerprint, the text primary key, on every engine; nightly runs go by notBefore (nightly.lookbackHours).',
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
        // Issue #15's fields, under the names EJBCA writes them in a DN (CeSecoreNameStyle:
        // BusinessCategory, JurisdictionState, JurisdictionLocality, STREET, PostalCode,
        // organizationIdentifier, and SN for serialNumber, the registration number).
        businessCategory: subjectDN('BusinessCategory'),
        registrationNumber: subjectDN('SN'),
        jurisdictionState: subjectDN('JurisdictionState'),
        jurisdictionLocality: subjectDN('JurisdictionLocality'),
        streetAddress: subjectDN('STREET'),
        postalCode: subjectDN('PostalCode'),
        organizationIdentifier: subjectDN('organizationIdentifier'),
        // EJBCA keeps no validation type (the EV checks go by the certificate's policy) and no
        // date the subject identity was verified.
        validationType: null,
        vettedAt: null,
      } as ScanConfig['database']['orders']['columns'],
      // The end entity as it was at each issuance (doc/sql-scripts: CertReqHistoryData(fingerprint
      // PK, issuerDN, serialNumber, timestamp, userDataVO LONGTEXT, username)), preferred to
      // UserData where a certificate has one.
      snapshots: { table: 'CertReqHistoryData', fingerprint: 'fingerprint', userDataVO: 'userDataVO' },
    },
  },
};
