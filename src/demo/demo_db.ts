// The demo issuance database: the documented schema, real certificates signed by a demo CA, a
// DV/OV/EV mix with several certificates per order, and the planted cases of Bugzilla 1559376.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock } from '../clock.js';
import { OperationalError } from '../errors.js';
import { ATTRIBUTE, POLICY, type ValidationType } from '../decode/oids.js';
import type { NameAttributeSpec } from './der.js';
import { ORDER_FIELDS, type OptionalOrderFieldName, type RequiredOrderFieldName } from '../sources/order_fields.js';
import { buildCertificate, createDemoCa, generateKeyPair, type KeyPair, type SigningIdentity } from './certificate_builder.js';

/** The order fields a table of these orders has columns for: the required ones, and the optional ones some order gives. */
function fieldsOf(orders: readonly DemoOrder[]): typeof ORDER_FIELDS[number][] {
  return ORDER_FIELDS.filter((field) => !field.optional || orders.some((order) => order[field.name] !== undefined));
}

/** The schema with the orders columns of `fields` (validation_type NOT NULL). */
function issuanceSchema(fields: ReadonlyArray<typeof ORDER_FIELDS[number]>): string {
  return `
CREATE TABLE orders (id TEXT PRIMARY KEY, ${fields.map((field) => `${field.column} TEXT${field.name === 'validationType' ? ' NOT NULL' : ''}`).join(', ')}) WITHOUT ROWID;
CREATE TABLE certificates (id INTEGER PRIMARY KEY, order_id TEXT, serial TEXT NOT NULL, der BLOB NOT NULL,
  issued_at TEXT NOT NULL, revoked_at TEXT, revocation_reason INTEGER);
-- As a CA's issuance database has one: the duplicate-serial query then scans this index, not the table.
CREATE INDEX certificates_serial ON certificates (serial);
`;
}

/** The documented schema: every column of ORDER_FIELDS. */
export const ISSUANCE_SCHEMA = issuanceSchema(ORDER_FIELDS);

/** Deterministic pseudo-random numbers (mulberry32), so a demo corpus is reproducible in shape. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Place {
  country: string;
  state: string;
  locality: string;
}

const PLACES: readonly Place[] = [
  { country: 'US', state: 'California', locality: 'San Francisco' },
  { country: 'US', state: 'New York', locality: 'New York' },
  { country: 'DE', state: 'Bayern', locality: 'München' },
  { country: 'FR', state: 'Île-de-France', locality: 'Paris' },
  { country: 'JP', state: 'Tokyo', locality: 'Chiyoda-ku' },
  { country: 'GB', state: 'England', locality: 'London' },
  { country: 'CA', state: 'Ontario', locality: 'Toronto' },
  { country: 'BR', state: 'São Paulo', locality: 'São Paulo' },
  { country: 'IN', state: 'Karnataka', locality: 'Bengaluru' },
  { country: 'NL', state: 'Noord-Holland', locality: 'Amsterdam' },
  { country: 'SG', state: 'Singapore', locality: 'Singapore' },
  { country: 'AU', state: 'New South Wales', locality: 'Sydney' },
  { country: 'ES', state: 'Madrid', locality: 'Madrid' },
  { country: 'KR', state: 'Seoul', locality: 'Seoul' },
  { country: 'ZA', state: 'Gauteng', locality: 'Johannesburg' },
  { country: 'MX', state: 'Ciudad de México', locality: 'Ciudad de México' },
];

const ORG_WORDS = ['Acme', 'Northwind', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Tyrell', 'Cyberdyne', 'Hooli', 'Vandelay', 'Soylent'];
const ORG_KINDS = ['Bank', 'Logistics', 'Health', 'Energy', 'Telecom', 'Insurance', 'Retail', 'Media'];

/**
 * An order in the documented schema: every required field given (null where the order has no
 * value); an optional field left out is stored as NULL.
 */
export type DemoOrder = { id: string; validationType: ValidationType } & { [K in Exclude<RequiredOrderFieldName, 'validationType'>]: string | null } & {
  [K in OptionalOrderFieldName]?: string | null;
};

/** The subject attributes of issue #15's vetted fields, as issued (undefined: as the demo always issued them). */
export type DemoSubjectFields = { [K in Exclude<OptionalOrderFieldName, 'vettedAt'>]?: string | null };

export interface DemoCertificateSpec extends DemoSubjectFields {
  orderId: string | null;
  validationType: ValidationType;
  /** The subject as issued; differs from the order only where a case is planted. */
  country: string | null;
  state: string | null;
  locality: string | null;
  organization: string | null;
  jurisdictionCountry: string | null;
  commonName: string;
  notBefore: Date;
  /** Default: 365 days (before 2020-09-01) or 90 days after notBefore, less a second. */
  notAfter?: Date;
  revokedAt: Date | null;
  revocationReason: number | null;
  /** Store only the first N bytes of the DER: a damaged row. */
  truncateTo?: number;
  /** Why this row is in the demo (planted cases only). */
  plantedAs?: string;
}

const DAY = 86_400_000;

export function subjectFor(spec: DemoCertificateSpec): NameAttributeSpec[] {
  const subject: NameAttributeSpec[] = [];
  const add = (oid: string, value: string | null | undefined, type?: NameAttributeSpec['type']) => {
    if (value) subject.push(type ? { oid, value, type } : { oid, value });
  };
  if (spec.validationType === 'EV') {
    add(ATTRIBUTE.businessCategory, spec.businessCategory === undefined ? 'Private Organization' : spec.businessCategory);
    add(ATTRIBUTE.jurisdictionLocalityName, spec.jurisdictionLocality);
    add(ATTRIBUTE.jurisdictionStateOrProvinceName, spec.jurisdictionState);
    add(ATTRIBUTE.jurisdictionCountryName, spec.jurisdictionCountry, 'PrintableString');
    add(ATTRIBUTE.serialNumber, spec.registrationNumber === undefined ? `HRB ${100000 + spec.commonName.length * 7919}` : spec.registrationNumber, 'PrintableString');
  } else add(ATTRIBUTE.serialNumber, spec.registrationNumber, 'PrintableString');
  add(ATTRIBUTE.countryName, spec.country, 'PrintableString');
  add(ATTRIBUTE.stateOrProvinceName, spec.state);
  add(ATTRIBUTE.localityName, spec.locality);
  add(ATTRIBUTE.streetAddress, spec.streetAddress);
  add(ATTRIBUTE.postalCode, spec.postalCode);
  add(ATTRIBUTE.organizationName, spec.organization);
  add(ATTRIBUTE.organizationIdentifier, spec.organizationIdentifier);
  subject.push({ oid: ATTRIBUTE.commonName, value: spec.commonName });
  return subject;
}

/** The subject fields of a certificate issued exactly as `order` was vetted. */
function issuedAsVetted(order: DemoOrder): Omit<DemoCertificateSpec, 'orderId' | 'validationType' | 'commonName' | 'notBefore' | 'revokedAt' | 'revocationReason'> {
  const { id: _id, validationType: _type, vettedAt: _vettedAt, ...fields } = order;
  return fields;
}

function slug(text: string): string {
  return text.toLowerCase().normalize('NFD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** Orders and certificate specs for a corpus of about `count` certificates. */
export function planDemoCorpus(count: number, now: Date, seed = 1559376): { orders: DemoOrder[]; certificates: DemoCertificateSpec[] } {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const orders: DemoOrder[] = [];
  const certificates: DemoCertificateSpec[] = [];
  const issueDate = () => new Date(now.getTime() - Math.floor((30 + random() * 700) * DAY));

  const planted = plantedCases(now);
  const ordinaryTarget = Math.max(0, count - planted.certificates.length);
  for (let n = 0; certificates.length < ordinaryTarget; n++) {
    const roll = random();
    const type: ValidationType = roll < 0.2 ? 'DV' : roll < 0.9 ? 'OV' : 'EV';
    const place = pick(PLACES);
    const organization = type === 'DV' ? null : `${pick(ORG_WORDS)} ${pick(ORG_KINDS)} ${n}`;
    const order: DemoOrder = {
      id: `ORD-${String(n + 1).padStart(7, '0')}`,
      organization,
      country: type === 'DV' ? null : place.country,
      state: type === 'DV' ? null : place.state,
      locality: type === 'DV' ? null : place.locality,
      jurisdictionCountry: type === 'EV' ? place.country : null,
      validationType: type,
      ...(type === 'EV' ? { businessCategory: 'Private Organization', registrationNumber: `HRB ${100000 + n * 7}` } : {}),
    };
    orders.push(order);
    const domain = `${slug(organization ?? `site ${n}`)}.example`;
    const perOrder = 3 + Math.floor(random() * 5); // 3..7, about 5 per order
    let first = now;
    for (let k = 0; k < perOrder && certificates.length < ordinaryTarget; k++) {
      const revoked = random() < 0.03;
      // An order's certificates within 300 days of its first (and, as every ordinary one, at least
      // 30 days before now), so its vetting, 5 days before the first, is within the 398-day reuse
      // period for each of them.
      const notBefore = k === 0 ? issueDate() : new Date(Math.min(first.getTime() + Math.floor(random() * 300) * DAY, now.getTime() - 30 * DAY));
      if (k === 0) {
        first = notBefore;
        if (type !== 'DV') order.vettedAt = new Date(notBefore.getTime() - 5 * DAY).toISOString();
      }
      certificates.push({
        orderId: order.id,
        validationType: type,
        ...issuedAsVetted(order),
        commonName: k === 0 ? domain : `www${k}.${domain}`,
        notBefore,
        revokedAt: revoked ? new Date(notBefore.getTime() + 10 * DAY) : null,
        revocationReason: revoked ? 4 : null,
      });
    }
  }
  orders.push(...planted.orders);
  // Spread the planted certificates through the corpus, as real ones would be.
  planted.certificates.forEach((spec, index) => {
    const at = Math.floor(((index + 1) * certificates.length) / (planted.certificates.length + 1));
    certificates.splice(at + index, 0, spec);
  });
  return { orders, certificates };
}

/** The cases a scan of the demo must find (and the XX case it must not). */
export function plantedCases(now: Date): { orders: DemoOrder[]; certificates: DemoCertificateSpec[] } {
  const mm: DemoOrder = { id: 'ORD-2019-MM', organization: 'Myanma Demo Economic Bank', country: 'MM', state: 'Yangon Region', locality: 'Yangon', jurisdictionCountry: null, validationType: 'OV' };
  const lr: DemoOrder = { id: 'ORD-2019-LR', organization: 'Liberia Demo Telecom Inc.', country: 'LR', state: 'Montserrado', locality: 'Monrovia', jurisdictionCountry: null, validationType: 'OV' };
  const ev: DemoOrder = {
    id: 'ORD-EV-DE-1', organization: 'Rheinwerk Demo GmbH', country: 'DE', state: 'Nordrhein-Westfalen', locality: 'Köln', jurisdictionCountry: 'DE', validationType: 'EV',
    businessCategory: 'Private Organization', registrationNumber: 'HRB 4711',
  };
  const xx: DemoOrder = { id: 'ORD-XX-1', organization: 'High Seas Demo Shipping Ltd', country: 'XX', state: null, locality: 'International Waters', jurisdictionCountry: null, validationType: 'OV' };
  const recent = new Date(now.getTime() - 20 * DAY);
  const days = (from: Date, count: number) => new Date(from.getTime() + count * DAY).toISOString();
  // Issue #15: an EV order with every field vetted (a Dutch company registered in Utrecht with its place of business in Amsterdam).
  const nl: DemoOrder = {
    id: 'ORD-EV-NL-15', organization: 'Voorbeeld Demo B.V.', country: 'NL', state: 'Noord-Holland', locality: 'Amsterdam', validationType: 'EV',
    jurisdictionCountry: 'NL', jurisdictionState: 'Utrecht', jurisdictionLocality: 'Utrecht', businessCategory: 'Private Organization', registrationNumber: '30123456',
    streetAddress: 'Damrak 1', postalCode: '1012 LG', organizationIdentifier: 'NTRNL-30123456', vettedAt: days(recent, -30),
  };
  const stale: DemoOrder = { id: 'ORD-OV-STALE-1', organization: 'Oude Vetting Demo N.V.', country: 'BE', state: 'Antwerpen', locality: 'Antwerpen', jurisdictionCountry: null, validationType: 'OV', vettedAt: days(recent, -900) };
  const early: DemoOrder = { id: 'ORD-OV-EARLY-1', organization: 'Vroeg Demo B.V.', country: 'NL', state: 'Zuid-Holland', locality: 'Rotterdam', jurisdictionCountry: null, validationType: 'OV', vettedAt: days(recent, 3) };
  const fromOrder = (order: DemoOrder, commonName: string, notBefore: Date, overrides: Partial<DemoCertificateSpec> = {}): DemoCertificateSpec => ({
    orderId: order.id,
    validationType: order.validationType,
    ...issuedAsVetted(order),
    commonName,
    notBefore,
    revokedAt: null,
    revocationReason: null,
    ...overrides,
  });
  return {
    orders: [mm, lr, ev, xx, nl, stale, early],
    certificates: [
      fromOrder(mm, 'www.mm-demo-bank.example', new Date('2019-05-02T09:00:00Z')),
      fromOrder(mm, 'mm-demo-bank.example', new Date('2019-06-12T08:30:00Z'), {
        country: 'AD',
        revokedAt: new Date('2019-06-20T12:00:00Z'),
        revocationReason: 4,
        plantedAs: 'Bugzilla 1559376: vetted MM, issued C=AD (placeholder from a manual workflow)',
      }),
      fromOrder(lr, 'lr-demo-telecom.example', recent, {
        country: 'GH',
        plantedAs: 'Bugzilla 1559376: vetted LR, issued C=GH',
      }),
      fromOrder(lr, 'www.lr-demo-telecom.example', recent),
      fromOrder(ev, 'rheinwerk-demo.example', recent, { jurisdictionCountry: 'AT', plantedAs: 'EV jurisdictionC=AT where DE was vetted' }),
      {
        ...fromOrder(mm, 'orphan-demo.example', recent, { plantedAs: 'order_id with no order row' }),
        orderId: 'ORD-DELETED-0001',
      },
      fromOrder(xx, 'high-seas-demo.example', recent),
      fromOrder(lr, 'damaged-row.example', recent, { truncateTo: 200, plantedAs: 'DER truncated to 200 bytes' }),
      // Issue #15: one of each vetted-field case, after Bugzilla's.
      fromOrder(nl, 'voorbeeld-demo.example', recent),
      fromOrder(nl, 'overheid.voorbeeld-demo.example', recent, { businessCategory: 'Government Entity', plantedAs: 'businessCategory "Government Entity" where "Private Organization" was vetted (Bugzilla 1715929)' }),
      fromOrder(nl, 'kvk.voorbeeld-demo.example', recent, { registrationNumber: '00', plantedAs: 'serialNumber "00" for registration number 30123456 (Bugzilla 1575022)' }),
      fromOrder(nl, 'provincie.voorbeeld-demo.example', recent, { jurisdictionState: 'Utreht', plantedAs: 'jurisdictionST "Utreht" misspelled (Bugzilla 1576013)' }),
      fromOrder(nl, 'gemeente.voorbeeld-demo.example', recent, { jurisdictionLocality: 'Utrecht County', plantedAs: 'jurisdictionL holds a county (Bugzilla 1576013)' }),
      fromOrder(nl, 'adres.voorbeeld-demo.example', recent, { streetAddress: '1012 LG', postalCode: 'Damrak 1', plantedAs: 'street and postalCode swapped (Bugzilla 1771482)' }),
      fromOrder(nl, 'post.voorbeeld-demo.example', recent, { postalCode: '1012', plantedAs: 'postalCode "1012" for "1012 LG", cut short (Bugzilla 1802845)' }),
      fromOrder(nl, 'oi.voorbeeld-demo.example', recent, { organizationIdentifier: 'NTRNL-30123465', plantedAs: 'organizationIdentifier with transposed digits (Bugzilla 2062100)' }),
      fromOrder(nl, 'jl.voorbeeld-demo.example', recent, { jurisdictionLocality: null, plantedAs: 'EV certificate without the vetted jurisdictionL' }),
      fromOrder(nl, 'lang.voorbeeld-demo.example', recent, { notAfter: new Date(recent.getTime() + 400 * DAY), plantedAs: 'valid 400 days' }),
      fromOrder(stale, 'oude-vetting-demo.example', recent, { plantedAs: 'issued 900 days after its order was vetted' }),
      fromOrder(early, 'vroeg-demo.example', recent, { plantedAs: 'issued 3 days before its order was vetted' }),
    ],
  };
}

function randomSerial(random: () => number): Buffer {
  const serial = Buffer.alloc(16);
  for (let index = 0; index < serial.length; index++) serial[index] = Math.floor(random() * 256);
  serial[0] = 0x01 + (serial[0]! & 0x3f); // positive, no leading zero byte
  return serial;
}

/** The certificate of a spec; with `precertificate`, the RFC 6962 precertificate of the same TBS plus poison. */
export function buildDemoCertificate(spec: DemoCertificateSpec, serial: Buffer, issuer: SigningIdentity, subscriberKey: KeyPair, precertificate = false): Buffer {
  const lifetimeDays = spec.notBefore < new Date('2020-09-01T00:00:00Z') ? 365 : 90;
  const notAfter = spec.notAfter ?? new Date(spec.notBefore.getTime() + lifetimeDays * DAY - 1000);
  const der = buildCertificate(
    {
      serial,
      subject: subjectFor(spec),
      notBefore: spec.notBefore,
      notAfter,
      dnsNames: [spec.commonName],
      policyOids: [POLICY[spec.validationType]],
      subjectPublicKeyInfo: subscriberKey.spki,
      precertificate,
    },
    issuer,
  );
  return spec.truncateTo ? der.subarray(0, spec.truncateTo) : der;
}

export interface DemoDatabaseResult {
  path: string;
  orders: number;
  certificates: number;
  planted: Array<{ id: number; orderId: string | null; what: string }>;
  issuerCertificate: Buffer;
  /** The DER of each certificate by id - 1, and of its precertificate, when asked for (keepIssued). */
  issued: Buffer[];
  issuedPrecertificates: Buffer[];
}

/** Writes a new demo database at `path` (via a temp file, so a half-built demo never appears). */
export function writeDemoDatabase(path: string, options: { count: number; clock: Clock; seed?: number; overwrite?: boolean }): DemoDatabaseResult {
  if (existsSync(path) && !options.overwrite) throw new OperationalError(`${path} already exists; remove it or pass --force`);
  if (!Number.isInteger(options.count) || options.count < 10) throw new OperationalError(`--count must be an integer of at least 10, got ${options.count}`);
  const now = options.clock();
  return writeIssuanceDatabase(path, planDemoCorpus(options.count, now, options.seed), { now, seed: options.seed });
}

/**
 * Writes orders and certificates (signed here by a fresh demo CA) into a new database in the
 * documented schema. Ids are 1..n in the order of `plan.certificates`.
 */
export function writeIssuanceDatabase(
  path: string,
  plan: { orders: readonly DemoOrder[]; certificates: readonly DemoCertificateSpec[] },
  options: { now: Date; seed?: number; ca?: { root: SigningIdentity; issuing: SigningIdentity }; keepIssued?: boolean },
): DemoDatabaseResult {
  const ca = options.ca ?? createDemoCa(options.now);
  const issued: Buffer[] = [];
  const issuedPrecertificates: Buffer[] = [];
  const random = seededRandom((options.seed ?? 1559376) ^ 0x5eed);
  const keys = Array.from({ length: 8 }, () => generateKeyPair());

  mkdirSync(dirname(path) || '.', { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  rmSync(temp, { force: true });
  const db = new Database(temp);
  const planted: DemoDatabaseResult['planted'] = [];
  try {
    // A plan whose orders leave an optional field out writes a table without its column, as a CA's
    // database without the issue #15 columns is.
    const fields = fieldsOf(plan.orders);
    db.exec(issuanceSchema(fields));
    const insertOrder = db.prepare(`INSERT INTO orders (id, ${fields.map((field) => field.column).join(', ')}) VALUES (${['?', ...fields.map(() => '?')].join(', ')})`);
    const insertCertificate = db.prepare('INSERT INTO certificates VALUES (?, ?, ?, ?, ?, ?, ?)');
    db.transaction(() => {
      for (const order of plan.orders) {
        insertOrder.run(order.id, ...fields.map((field) => order[field.name] ?? null));
      }
      plan.certificates.forEach((spec, index) => {
        const id = index + 1;
        const serial = randomSerial(random);
        const der = buildDemoCertificate(spec, serial, ca.issuing, keys[index % keys.length]!);
        if (options.keepIssued) {
          issued.push(der);
          issuedPrecertificates.push(buildDemoCertificate(spec, serial, ca.issuing, keys[index % keys.length]!, true));
        }
        insertCertificate.run(
          id,
          spec.orderId,
          serial.toString('hex'),
          der,
          spec.notBefore.toISOString(),
          spec.revokedAt?.toISOString() ?? null,
          spec.revocationReason,
        );
        if (spec.plantedAs) planted.push({ id, orderId: spec.orderId, what: spec.plantedAs });
      });
    })();
    db.close();
    renameSync(temp, path);
  } catch (error) {
    if (db.open) db.close();
    rmSync(temp, { force: true });
    throw error;
  }
  return { path, orders: plan.orders.length, certificates: plan.certificates.length, planted, issuerCertificate: ca.issuing.certificate, issued, issuedPrecertificates };
}
