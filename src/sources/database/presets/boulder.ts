// Boulder, from sa/db/boulder_sa/ as it stands in letsencrypt/boulder's sa/db/01-boulder_sa.sql at
// 2d00c8e27919fe945e53b2cf857838e68a1da111: certificates(id BIGINT AUTO_INCREMENT, registrationID,
// serial hex text, digest, der MEDIUMBLOB, issued and expires DATETIME in UTC), and revocation in
// certificateStatus(serial, status 'good' / 'revoked', revokedDate DATETIME (Go's zero time when not
// revoked), revokedReason); precertificates(id, registrationID, serial, der, issued, expires), the
// same columns but digest, written before the final certificate (certificateStatus is written with
// the precertificate, so it holds the revocation of both). Boulder issues DV only and keeps no vetted subject: registrations hold
// ACME accounts, so no order field is mapped (value checks only) unless --orders names a vetting system.
import type { ScanConfig } from '../../../config.js';
import { ORDER_FIELD_NAMES } from '../../order_fields.js';
import type { DatabasePreset } from './types.js';

export const BOULDER_PRESET: DatabasePreset = {
  name: 'boulder',
  product: "Boulder (Let's Encrypt's ACME CA)",
  schemaSource: 'letsencrypt/boulder sa/db/01-boulder_sa.sql @ 2d00c8e27919fe945e53b2cf857838e68a1da111',
  notes:
    'certificates with revocation from certificateStatus by serial (status revoked); ' +
    'precertificates in the same scan, paired with their certificates by serial; ' +
    'registrations as the order table with no vetted fields (Boulder is DV).',
  database: {
    certificates: {
      table: 'certificates',
      columns: {
        id: 'id',
        orderId: 'registrationID',
        serial: 'serial',
        der: 'der',
        issuedAt: 'issued',
        revokedAt: 'revokedDate',
        revocationReason: 'revokedReason',
        status: 'status',
      },
      revokedStatuses: ['revoked'],
      revocationTable: { table: 'certificateStatus', serial: 'serial' },
      derFallback: null,
      derEncoding: 'blob',
      serialEncoding: 'hex',
      timeEncoding: 'sql-datetime',
    },
    // Its columns are named as the certificates' (it has no digest, which certscan does not read).
    precertificates: { table: 'precertificates', columns: {} },
    orders: {
      source: null,
      table: 'registrations',
      // Boulder vets domains only: no subject identity to compare.
      columns: { id: 'id', ...Object.fromEntries(ORDER_FIELD_NAMES.map((name) => [name, null])) } as ScanConfig['database']['orders']['columns'],
      snapshots: null,
    },
  },
};
