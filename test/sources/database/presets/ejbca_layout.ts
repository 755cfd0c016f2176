// A database in EJBCA's layout, built from the demo corpus: shared by the SQLite preset tests and
// the server tests that load it into PostgreSQL and MariaDB (test/sources/servers.ts).
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Clock } from '../../../../src/clock.js';
import { writeDemoDatabase } from '../../../../src/demo/demo_db.js';
import { writeDemoExports, type DemoExports } from '../../../../src/demo/demo_exports.js';
import { userDataVO } from '../../orders/ejbca_user_data_vo.js';

/** A planted case of the demo corpus, with the fingerprint EJBCA keys its certificate by (reports' cert_id). */
export interface PlantedEjbcaRow {
  id: number;
  what: string;
  fingerprint: string;
}

export interface EjbcaDatabase {
  path: string;
  planted: PlantedEjbcaRow[];
  /**
   * Writes the same certificates as a static-ct tile tree and PEM files, with their issuer
   * (demo_exports.ts), for --ct and --pem scans joined with this database by serial.
   */
  exports: () => DemoExports;
}

/**
 * The tables and columns certscan reads, with the types EJBCA's own script gives them:
 * Keyfactor/ejbca-ce doc/sql-scripts/create-tables-ejbca-mysql.sql at
 * fa0cddfbaa3a56774f172415cedcca8ec09e7bff (CertificateData, Base64CertData, UserData; the
 * columns certscan does not read are left out, NOT NULL ones included so rows look as EJBCA writes them).
 */
export const EJBCA_TABLES = `
CREATE TABLE CertificateData (
    fingerprint VARCHAR(250) NOT NULL,
    base64Cert LONGTEXT,
    certificateProfileId INT(11) NOT NULL,
    expireDate BIGINT(20) NOT NULL,
    issuerDN VARCHAR(250) NOT NULL,
    notBefore BIGINT(20),
    revocationDate BIGINT(20) NOT NULL,
    revocationReason INT(11) NOT NULL,
    rowVersion INT(11) NOT NULL,
    serialNumber VARCHAR(250) NOT NULL,
    status INT(11) NOT NULL,
    subjectDN VARCHAR(400) NOT NULL,
    type INT(11) NOT NULL,
    updateTime BIGINT(20) NOT NULL,
    username VARCHAR(250),
    PRIMARY KEY (fingerprint)
);
CREATE TABLE Base64CertData (
    fingerprint VARCHAR(250) NOT NULL,
    base64Cert LONGTEXT,
    rowVersion INT(11) NOT NULL,
    PRIMARY KEY (fingerprint)
);
CREATE TABLE UserData (
    username VARCHAR(250) NOT NULL,
    cAId INT(11) NOT NULL,
    certificateProfileId INT(11) NOT NULL,
    endEntityProfileId INT(11) NOT NULL,
    status INT(11) NOT NULL,
    subjectDN VARCHAR(400),
    timeCreated BIGINT(20) NOT NULL,
    timeModified BIGINT(20) NOT NULL,
    tokenType INT(11) NOT NULL,
    type INT(11) NOT NULL,
    PRIMARY KEY (username)
);`;

/** A DN value as EJBCA writes it: , + " \\ = ; escaped with a backslash. */
const escapeDnValue = (value: string) => value.replace(/([,+"\\=;])/g, '\\$1');

/**
 * The demo corpus (both 2019 cases, an EV jurisdiction case, an orphan, a damaged row) moved into
 * EJBCA's layout: every other certificate in Base64CertData with base64Cert NULL, as with
 * useSeparateCertificateTable; not revoked as EJBCA says it (-1, -1, status 20); the vetted subject
 * only in UserData.subjectDN, with EJBCA's escaping.
 */
export function writeEjbcaDatabase(dir: string, clock: Clock, count = 200): EjbcaDatabase {
  const demo = join(dir, 'demo.sqlite');
  const { planted, issuerCertificate } = writeDemoDatabase(demo, { count, clock });
  const fingerprints = new Map<number, string>();
  const path = join(dir, 'ejbca.sqlite');
  const db = new Database(path);
  db.exec(EJBCA_TABLES);
  db.exec(`ATTACH '${demo}' AS demo`);
  const certificates = db.prepare('SELECT id, order_id, serial, der, issued_at, revoked_at, revocation_reason FROM demo.certificates ORDER BY id').all() as Array<{
    id: number;
    order_id: string | null;
    serial: string;
    der: Buffer;
    issued_at: string;
    revoked_at: string | null;
    revocation_reason: number | null;
  }>;
  const insertCertificate = db.prepare(
    `INSERT INTO CertificateData (fingerprint, base64Cert, certificateProfileId, expireDate, issuerDN, notBefore, revocationDate, revocationReason, rowVersion, serialNumber, status, subjectDN, type, updateTime, username)
     VALUES (?, ?, 1, ?, 'CN=certscan Demo Issuing CA', ?, ?, ?, 0, ?, ?, '', 1, ?, ?)`,
  );
  const insertSeparate = db.prepare('INSERT INTO Base64CertData (fingerprint, base64Cert, rowVersion) VALUES (?, ?, 0)');
  db.transaction(() => {
    for (const row of certificates) {
      const fingerprint = createHash('sha1').update(row.der).digest('hex');
      fingerprints.set(row.id, fingerprint);
      const base64 = row.der.toString('base64');
      const separate = row.id % 2 === 0;
      const notBefore = Date.parse(row.issued_at);
      const revoked = row.revoked_at !== null;
      insertCertificate.run(
        fingerprint,
        separate ? null : base64,
        notBefore + 398 * 86_400_000,
        notBefore,
        revoked ? Date.parse(row.revoked_at!) : -1,
        revoked ? row.revocation_reason : -1,
        BigInt(`0x${row.serial}`).toString(10),
        revoked ? 40 : 20,
        notBefore,
        row.order_id,
      );
      if (separate) insertSeparate.run(fingerprint, base64);
    }
    const orders = db.prepare('SELECT * FROM demo.orders').all() as Array<Record<string, string | null>>;
    const insertUser = db.prepare('INSERT INTO UserData (username, cAId, certificateProfileId, endEntityProfileId, status, subjectDN, timeCreated, timeModified, tokenType, type) VALUES (?, 1, 1, 1, 40, ?, 0, 0, 1, 1)');
    for (const order of orders) {
      // In the order EJBCA writes a DN (DnComponents' forward order) and under the names it writes
      // (CeSecoreNameStyle: SN is serialNumber, the registration number).
      const parts: string[] = [];
      const add = (name: string, value: string | null | undefined) => {
        if (value !== null && value !== undefined) parts.push(`${name}=${escapeDnValue(value)}`);
      };
      add('JurisdictionCountry', order.jurisdiction_country);
      add('JurisdictionState', order.jurisdiction_state);
      add('JurisdictionLocality', order.jurisdiction_locality);
      add('STREET', order.street_address);
      add('BusinessCategory', order.business_category);
      add('PostalCode', order.postal_code);
      add('CN', `${order.id!.toLowerCase()}.example`);
      add('SN', order.registration_number);
      add('organizationIdentifier', order.organization_identifier);
      add('O', order.organization);
      add('L', order.locality);
      add('ST', order.state);
      add('C', order.country);
      insertUser.run(order.id, parts.join(','));
    }
  })();
  db.exec('DETACH demo');
  db.close();
  return { path, planted: planted.map((item) => ({ ...item, fingerprint: fingerprints.get(item.id)! })), exports: () => writeDemoExports(demo, issuerCertificate) };
}

/** CertReqHistoryData as the same script creates it (all its columns). */
const CERT_REQ_HISTORY_TABLE = `
CREATE TABLE CertReqHistoryData (
    fingerprint VARCHAR(250) NOT NULL,
    issuerDN VARCHAR(250) NOT NULL,
    rowProtection LONGTEXT,
    rowVersion INT(11) NOT NULL,
    serialNumber VARCHAR(250) NOT NULL,
    timestamp BIGINT(20) NOT NULL,
    userDataVO LONGTEXT NOT NULL,
    username VARCHAR(250) NOT NULL,
    PRIMARY KEY (fingerprint)
);`;

/**
 * Adds CertReqHistoryData to an EJBCA-layout database: a snapshot per certificate as EJBCA writes
 * it at issuance, but for the LR order's unplanted certificate (`none`: issued before the CA kept
 * request history) and one cut short (`unreadable`: the organizationIdentifier case); then the LR
 * end entity "corrected" to GH in UserData, as an RA operator might after issuance.
 */
export function addCertReqHistory(path: string, planted: readonly PlantedEjbcaRow[]): { unreadable: string; none: string } {
  const db = new Database(path);
  const plantedFingerprints = new Set(planted.map((item) => item.fingerprint));
  const unreadable = planted.find((item) => item.what.startsWith('organizationIdentifier with transposed'))!.fingerprint;
  const none = (db.prepare("SELECT fingerprint FROM CertificateData WHERE username = 'ORD-2019-LR'").pluck().all() as string[]).find((fingerprint) => !plantedFingerprints.has(fingerprint))!;
  db.exec(CERT_REQ_HISTORY_TABLE);
  const subjectOf = db.prepare('SELECT subjectDN FROM UserData WHERE username = ?').pluck();
  const insert = db.prepare("INSERT INTO CertReqHistoryData VALUES (?, 'CN=certscan Demo Issuing CA', NULL, 0, ?, ?, ?, ?)");
  const rows = db.prepare('SELECT rowid, fingerprint, serialNumber, notBefore, username FROM CertificateData ORDER BY rowid').all() as Array<{ rowid: number; fingerprint: string; serialNumber: string; notBefore: number; username: string }>;
  db.transaction(() => {
    for (const row of rows) {
      if (row.fingerprint === none) continue; // issued before the CA kept request history
      // The end entity at issuance: as UserData holds it before the edits below. The orphan's
      // end entity was deleted after issuance; EJBCA keeps its history (the MM order's subject).
      const dn = (subjectOf.get(row.username === 'ORD-DELETED-0001' ? 'ORD-2019-MM' : row.username) as string | undefined) ?? '';
      const xml = userDataVO(dn, { username: row.username });
      insert.run(row.fingerprint, row.serialNumber, row.notBefore, row.fingerprint === unreadable ? xml.slice(0, xml.length - 40) : xml, row.username);
    }
    // After issuance an RA operator "corrected" the LR end entity to GH, as the certificate
    // says: compared with UserData as it is now, the 2019 C=GH case would disappear.
    db.prepare("UPDATE UserData SET subjectDN = replace(subjectDN, 'C=LR', 'C=GH') WHERE username = 'ORD-2019-LR'").run();
  })();
  db.close();
  return { unreadable, none };
}
