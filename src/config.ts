// The scan configuration: its type, its defaults and its validation. Every error names the bad key.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { OperationalError } from './errors.js';
import { DEFAULT_ORDER_COLUMNS, ORDER_FIELD_NAMES, type OrderFieldName } from './sources/order_fields.js';
import { canonicalAttributeType, DnSyntaxError } from './sources/database/dn_string.js';
import { PRESETS, presetNamed } from './sources/database/presets/index.js';

export type DerEncoding = 'blob' | 'base64' | 'pem';
export type SerialEncoding = 'hex' | 'decimal';
/** sql-datetime: 'YYYY-MM-DD HH:MM:SS' text in UTC (a DATETIME column as SQLite and MySQL text hold it; Boulder's issued). */
export type TimeEncoding = 'iso8601' | 'epoch-ms' | 'epoch-s' | 'sql-datetime';

export interface CertificateTableMapping {
  table: string;
  columns: {
    /** Integer key used for keyset pagination (`WHERE id > ? ORDER BY id`); `rowid` is allowed. */
    id: string;
    orderId: string;
    serial: string;
    der: string;
    issuedAt: string;
    /** null when the CA keeps revocation elsewhere. NULL, -1, 0 and Go's zero time mean "not revoked". */
    revokedAt: string | null;
    /** A negative reason (EJBCA's -1) is no reason. */
    revocationReason: string | null;
    /** A status column: when mapped, a row is revoked when its value is one of revokedStatuses. */
    status: string | null;
  };
  /** Values of the status column that mean revoked (EJBCA: "40"; Boulder: "revoked"). */
  revokedStatuses: string[];
  /**
   * Revocation kept in another table (Boulder's certificateStatus): revokedAt, revocationReason
   * and status are its columns, joined on its serial column = the certificates' serial. null: the
   * certificates table itself.
   */
  revocationTable: { table: string; serial: string } | null;
  /**
   * Where the DER column is NULL, the certificate from this table instead (EJBCA's Base64CertData
   * with useSeparateCertificateTable), joined on a column both tables have (fingerprint).
   */
  derFallback: { table: string; join: string; der: string } | null;
  derEncoding: DerEncoding;
  serialEncoding: SerialEncoding;
  timeEncoding: TimeEncoding;
}

/**
 * The precertificates table: its name, and those of its columns that are not named as the
 * certificates table's (revocation, encodings and the order join are the certificates').
 */
export interface PrecertificateTableMapping {
  table: string;
  columns: Partial<Pick<CertificateTableMapping['columns'], 'id' | 'orderId' | 'serial' | 'der' | 'issuedAt'>>;
}

/** An order field read from one attribute of a DN string column (EJBCA's UserData.subjectDN). */
export interface DnAttributeColumn {
  dn: string;
  /** "C", "O", "JurisdictionCountry", "2.5.4.6"...: any name or OID form of the attribute. */
  attribute: string;
}

/** Where an order field is read: a column, an attribute of a DN column, or null (not kept). */
export type OrderFieldColumn = string | DnAttributeColumn | null;

export interface OrderTableMapping {
  /**
   * Where the orders are when not in the certificates' database (--orders): a CSV or JSON Lines
   * export whose header names the mapped columns, or another database (a SQLite path or a server
   * URL) holding the table below. null: the table below, in the certificates' database.
   */
  source: string | null;
  table: string;
  /** The key column, then one column per vetted field (src/sources/order_fields.ts): a column, an attribute of a DN column, or null (not kept). */
  columns: { id: string } & Record<OrderFieldName, OrderFieldColumn>;
  /**
   * EJBCA's CertReqHistoryData: the end entity as it was at each issuance, keyed by the
   * certificate's fingerprint; where a certificate has one, its DN-mapped fields come from it
   * instead of the orders table (src/sources/orders/ejbca_snapshots.ts). null: none.
   */
  snapshots?: { table: string; fingerprint: string; userDataVO: string } | null;
}

export interface ScanConfig {
  database: {
    /**
     * A CA product's schema (certscan presets): its complete certificates and orders mapping, under
     * any key given next to it. null: the mapping below.
     */
    preset: string | null;
    path: string;
    /** A server's URL (postgresql://, mysql://, mariadb://); overrides path. --db takes either. */
    url: string | null;
    /** A file holding the server password (first line), when the URL and environment have none. */
    passwordFile: string | null;
    /** Server engines: a statement running longer is cancelled (the page is retried, then the scan fails). */
    statementTimeoutMs: number;
    pageSize: number;
    certificates: CertificateTableMapping;
    /**
     * Precertificates kept in a table of their own (Boulder's precertificates), scanned with the
     * certificates in one scan and paired with them by serial. null: none.
     */
    precertificates: PrecertificateTableMapping | null;
    orders: OrderTableMapping;
  };
  /** Worker threads for decode + checks; "auto" is the number of cores. */
  workers: number | 'auto';
  /** Batches queued per worker beyond the one it is working on: bounds memory. */
  batchesInFlightPerWorker: number;
  output: {
    /** Reports go to `<baseDir>/<UTC timestamp>/` unless --out names a directory. */
    baseDir: string;
    /**
     * A resumable audit checkpoints after a batch once this long has passed since its last
     * checkpoint (0: after every batch). A resumed audit redoes at most about this much work.
     */
    checkpointIntervalMs: number;
  };
  /** certscan nightly. */
  nightly: {
    /** Checkpoint between nights: highest id scanned and the findings already reported. */
    stateFile: string;
    /** Ids are not strictly in issuance order: each night re-reads this many ids below the checkpoint. */
    lookbackIds: number;
    /**
     * A text certificate key (EJBCA's fingerprint) has no order of issuance: nights then go by
     * issue time, and each re-reads the certificates issued this many hours before the last night.
     */
    lookbackHours: number;
    /** Each night's reports go to `<outputDir>/<UTC timestamp>/`. */
    outputDir: string;
  };
  /** CT and file sources. */
  ct: {
    /** The CA's issuing certificates (PEM or DER files): entries of other issuers are skipped. */
    issuers: string[];
    /** Or their SPKI SHA-256 (RFC 6962 issuer_key_hash), hex. */
    issuerKeyHashes: string[];
  };
  checks: {
    /** Check names switched off. */
    disabled: string[];
    /** Country codes a CA's workflows use as placeholders (the 2019 embargo workflow used AD). */
    placeholderCountries: string[];
    /** Values a CA's workflows use as placeholders, besides the built-in ones ("Some-State", "N/A", ...). */
    placeholderValues: string[];
    /** Countries on the CA's embargo / sanctions list: their orders get a second review. */
    embargoedCountries: string[];
  };
  /** What summary.md (the CCADB incident report) says of the CA itself: fixed per CA. */
  report: {
    /** The CA Owner's name as disclosed in the CCADB. */
    caOwner: string | null;
    /** CA Owner CCADB unique ID: "A" and six digits. */
    ccadbId: string | null;
    /** Policies beyond the rules the checks cite, e.g. "Example CA CPS 4.2, section 3.2.2". */
    relevantPolicies: string[];
  };
}

/** What the summary line and summary.md name when no config file was used. */
export const BUILT_IN_DEFAULTS = 'built-in defaults';

/**
 * The built-in defaults: the same values as the shipped scan.config.json (a test holds them equal),
 * so a scan outside the repository keeps the placeholder and embargo lists. A partial config file
 * is merged onto these, key by key.
 */
export const DEFAULT_CONFIG: ScanConfig = {
  database: {
    preset: null,
    path: 'demo/issuance.sqlite',
    url: null,
    passwordFile: null,
    statementTimeoutMs: 300_000,
    pageSize: 500,
    certificates: {
      table: 'certificates',
      columns: {
        id: 'id',
        orderId: 'order_id',
        serial: 'serial',
        der: 'der',
        issuedAt: 'issued_at',
        revokedAt: 'revoked_at',
        revocationReason: 'revocation_reason',
        status: null,
      },
      revokedStatuses: [],
      revocationTable: null,
      derFallback: null,
      derEncoding: 'blob',
      serialEncoding: 'hex',
      timeEncoding: 'iso8601',
    },
    precertificates: null,
    orders: {
      source: null,
      table: 'orders',
      columns: { id: 'id', ...DEFAULT_ORDER_COLUMNS },
      snapshots: null,
    },
  },
  workers: 'auto',
  batchesInFlightPerWorker: 2,
  output: { baseDir: 'reports', checkpointIntervalMs: 2000 },
  nightly: { stateFile: 'reports/nightly-state.json', lookbackIds: 10_000, lookbackHours: 72, outputDir: 'reports/nightly' },
  ct: { issuers: [], issuerKeyHashes: [] },
  checks: { disabled: [], placeholderCountries: ['AD'], placeholderValues: [], embargoedCountries: ['CU', 'IR', 'KP', 'SY'] },
  report: { caOwner: null, ccadbId: null, relevantPolicies: [] },
};

export function resolveWorkerCount(config: ScanConfig): number {
  return config.workers === 'auto' ? availableParallelism() : config.workers;
}

// ---- validation -------------------------------------------------------------------------------

type Validator = (value: unknown, key: string) => unknown;

function fail(key: string, message: string): never {
  throw new OperationalError(`config: ${key}: ${message}`);
}

const SQL_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

const identifier: Validator = (value, key) => {
  if (typeof value !== 'string' || !SQL_IDENTIFIER.test(value)) fail(key, `must be a plain SQL identifier (letters, digits, _), got ${JSON.stringify(value)}`);
  return value;
};
const optionalIdentifier: Validator = (value, key) => (value === null ? null : identifier(value, key));
/** An order field: a column, null, or `{ "dn": COLUMN, "attribute": NAME }`. */
const orderFieldColumn: Validator = (value, key) => {
  if (value === null || typeof value === 'string') return optionalIdentifier(value, key);
  if (typeof value !== 'object' || Array.isArray(value)) fail(key, `must be a column name, null, or { "dn": COLUMN, "attribute": NAME }, got ${JSON.stringify(value)}`);
  const { dn, attribute, ...rest } = value as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length) fail(`${key}.${unknown[0]}`, 'unknown key (known here: dn, attribute)');
  identifier(dn, `${key}.dn`);
  if (typeof attribute !== 'string') fail(`${key}.attribute`, `must be an attribute name such as "C" or an OID, got ${JSON.stringify(attribute)}`);
  try {
    canonicalAttributeType(attribute);
  } catch (error) {
    if (error instanceof DnSyntaxError) fail(`${key}.attribute`, error.message);
    throw error;
  }
  return { dn, attribute };
};
const revocationTable: Validator = (value, key) => {
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) fail(key, `must be null or { "table": NAME, "serial": COLUMN }, got ${JSON.stringify(value)}`);
  const { table, serial, ...rest } = value as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length) fail(`${key}.${unknown[0]}`, 'unknown key (known here: table, serial)');
  return { table: identifier(table, `${key}.table`), serial: identifier(serial, `${key}.serial`) };
};
const derFallback: Validator = (value, key) => {
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) fail(key, `must be null or { "table": NAME, "join": COLUMN, "der": COLUMN }, got ${JSON.stringify(value)}`);
  const { table, join, der, ...rest } = value as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length) fail(`${key}.${unknown[0]}`, 'unknown key (known here: table, join, der)');
  return { table: identifier(table, `${key}.table`), join: identifier(join, `${key}.join`), der: identifier(der, `${key}.der`) };
};
const PRECERTIFICATE_COLUMNS = ['id', 'orderId', 'serial', 'der', 'issuedAt'] as const;
const precertificates: Validator = (value, key) => {
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) fail(key, `must be null or { "table": NAME, "columns": { ... } }, got ${JSON.stringify(value)}`);
  const { table, columns = {}, ...rest } = value as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length) fail(`${key}.${unknown[0]}`, 'unknown key (known here: table, columns)');
  if (typeof columns !== 'object' || columns === null || Array.isArray(columns)) fail(`${key}.columns`, `must be an object, got ${JSON.stringify(columns)}`);
  const mapped: Record<string, unknown> = {};
  for (const [name, column] of Object.entries(columns as Record<string, unknown>)) {
    if (!(PRECERTIFICATE_COLUMNS as readonly string[]).includes(name)) fail(`${key}.columns.${name}`, `unknown key (known here: ${PRECERTIFICATE_COLUMNS.join(', ')})`);
    mapped[name] = identifier(column, `${key}.columns.${name}`);
  }
  return { table: identifier(table, `${key}.table`), columns: mapped };
};
const snapshots: Validator = (value, key) => {
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) fail(key, `must be null or { "table": NAME, "fingerprint": COLUMN, "userDataVO": COLUMN }, got ${JSON.stringify(value)}`);
  const { table, fingerprint, userDataVO, ...rest } = value as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length) fail(`${key}.${unknown[0]}`, 'unknown key (known here: table, fingerprint, userDataVO)');
  return { table: identifier(table, `${key}.table`), fingerprint: identifier(fingerprint, `${key}.fingerprint`), userDataVO: identifier(userDataVO, `${key}.userDataVO`) };
};
const nonEmptyString: Validator = (value, key) => {
  if (typeof value !== 'string' || value === '') fail(key, `must be a non-empty string, got ${JSON.stringify(value)}`);
  return value;
};
const optionalNonEmptyString: Validator = (value, key) => (value === null ? null : nonEmptyString(value, key));
const integerIn =
  (min: number, max: number): Validator =>
  (value, key) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      fail(key, `must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
    }
    return value;
  };
const oneOf =
  (...allowed: string[]): Validator =>
  (value, key) => {
    if (typeof value !== 'string' || !allowed.includes(value)) fail(key, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
    return value;
  };
const workers: Validator = (value, key) => (value === 'auto' ? value : integerIn(1, 256)(value, key));
const stringList =
  (pattern?: RegExp, what?: string): Validator =>
  (value, key) => {
    if (!Array.isArray(value)) fail(key, `must be an array of strings, got ${JSON.stringify(value)}`);
    value.forEach((item, index) => {
      if (typeof item !== 'string' || (pattern && !pattern.test(item))) fail(`${key}[${index}]`, `must be ${what ?? 'a string'}, got ${JSON.stringify(item)}`);
    });
    return value;
  };

type Shape = { [key: string]: Validator | Shape };

const SHAPE: Shape = {
  $schema: (value, key) => (typeof value === 'string' ? value : fail(key, 'must be a string')),
  database: {
    preset: (value, key) => (value === null ? null : oneOf(...PRESETS.map((preset) => preset.name))(value, key)),
    path: nonEmptyString,
    url: optionalNonEmptyString,
    passwordFile: optionalNonEmptyString,
    statementTimeoutMs: integerIn(1000, 86_400_000),
    pageSize: integerIn(1, 100_000),
    certificates: {
      table: identifier,
      columns: {
        id: identifier,
        orderId: identifier,
        serial: identifier,
        der: identifier,
        issuedAt: identifier,
        revokedAt: optionalIdentifier,
        revocationReason: optionalIdentifier,
        status: optionalIdentifier,
      },
      revokedStatuses: stringList(/\S/, 'a non-blank status value'),
      revocationTable: revocationTable,
      derFallback: derFallback,
      derEncoding: oneOf('blob', 'base64', 'pem'),
      serialEncoding: oneOf('hex', 'decimal'),
      timeEncoding: oneOf('iso8601', 'epoch-ms', 'epoch-s', 'sql-datetime'),
    },
    precertificates: precertificates,
    orders: {
      // An export (.csv, .jsonl, .ndjson), or another database: a SQLite path or a server URL.
      source: optionalNonEmptyString,
      table: identifier,
      columns: { id: identifier, ...Object.fromEntries(ORDER_FIELD_NAMES.map((name) => [name, orderFieldColumn])) },
      snapshots: snapshots,
    },
  },
  workers,
  batchesInFlightPerWorker: integerIn(1, 64),
  output: { baseDir: nonEmptyString, checkpointIntervalMs: integerIn(0, 3_600_000) },
  nightly: {
    stateFile: nonEmptyString,
    lookbackIds: integerIn(0, 1_000_000_000),
    lookbackHours: integerIn(0, 8_760),
    outputDir: nonEmptyString,
  },
  ct: {
    issuers: stringList(/\S/, 'a file path'),
    issuerKeyHashes: stringList(/^[0-9a-fA-F]{64}$/, 'a SHA-256 in hex (64 digits)'),
  },
  checks: {
    disabled: stringList(/^[enw]_[a-z0-9_]+$/, 'a check name such as e_subject_country_order_mismatch'),
    placeholderCountries: stringList(/^[A-Za-z]{2}$/, 'a two-letter country code'),
    placeholderValues: stringList(/\S/, 'a non-blank string'),
    embargoedCountries: stringList(/^[A-Za-z]{2}$/, 'a two-letter country code'),
  },
  report: {
    caOwner: (value, key) => (value === null ? null : nonEmptyString(value, key)),
    ccadbId: (value, key) => (value === null || (typeof value === 'string' && /^A\d{6}$/.test(value)) ? value : fail(key, `must be "A" and six digits (the CCADB unique ID), got ${JSON.stringify(value)}`)),
    relevantPolicies: stringList(/\S/, 'a non-blank string'),
  },
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Merges `input` over `defaults`, validating every key against `shape`. */
function merge(shape: Shape, defaults: unknown, input: unknown, path: string): unknown {
  if (!isPlainObject(input)) fail(path || '(top level)', `must be an object, got ${JSON.stringify(input)}`);
  const result: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [key, value] of Object.entries(input)) {
    const keyPath = path ? `${path}.${key}` : key;
    const rule = shape[key];
    if (!rule) fail(keyPath, `unknown key (known here: ${Object.keys(shape).filter((k) => k !== '$schema').join(', ')})`);
    result[key] = typeof rule === 'function' ? rule(value, keyPath) : merge(rule, result[key], value, keyPath);
  }
  return result;
}

/** The defaults with a preset's mapping in place (the keys given next to it are merged over it). */
function presetDefaults(input: unknown): ScanConfig {
  const database = isPlainObject(input) && isPlainObject(input.database) ? input.database : {};
  const name = database.preset;
  if (name === undefined || name === null) return DEFAULT_CONFIG;
  const validated = ((SHAPE.database as Shape).preset as Validator)(name, 'database.preset') as string;
  const preset = presetNamed(validated)!;
  const defaults = structuredClone(DEFAULT_CONFIG);
  defaults.database.certificates = structuredClone(preset.database.certificates);
  defaults.database.orders = structuredClone(preset.database.orders);
  defaults.database.precertificates = structuredClone(preset.database.precertificates ?? null);
  return defaults;
}

/** Validates a parsed config object and fills in the defaults (a preset's mapping first, if named). */
export function parseConfig(input: unknown): ScanConfig {
  const config = merge(SHAPE, presetDefaults(input), input, '') as ScanConfig & { $schema?: string };
  delete config.$schema;
  return config;
}

/** A config file; `preset` (--preset) names the schema preset over the file's database.preset. */
export function loadConfigFile(path: string, preset?: string): ScanConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new OperationalError(`config: cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new OperationalError(`config: ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (preset !== undefined && isPlainObject(parsed)) parsed = { ...parsed, database: { ...(isPlainObject(parsed.database) ? parsed.database : {}), preset } };
  return parseConfig(parsed);
}
