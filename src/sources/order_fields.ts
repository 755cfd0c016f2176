import type { OrderFieldColumn } from '../config.js';
import type { OrderRecord } from './types.js';
// The vetted order fields, listed once. The config (keys, defaults, validation), every database
// engine's select list, the order join, the shared order store and the demo database all read this
// table, so a new vetted field is one row here.

export interface OrderFieldSpec {
  /** The OrderRecord property and the key under database.orders.columns. */
  readonly name: string;
  /** The column in the default `orders` table. */
  readonly column: string;
  /**
   * An optional field may be absent from the CA's table: with the default mapping, a missing
   * column is read as "not kept" (the checks comparing it do not apply). A required field's
   * missing column stops the scan with one line naming its config key.
   */
  readonly optional: boolean;
  /** Values repeat across orders (countries, categories): the order store keeps each once. */
  readonly repeats: boolean;
}

export const ORDER_FIELDS = [
  { name: 'organization', column: 'organization', optional: false, repeats: false },
  { name: 'country', column: 'country', optional: false, repeats: true },
  { name: 'state', column: 'state', optional: false, repeats: true },
  { name: 'locality', column: 'locality', optional: false, repeats: true },
  { name: 'jurisdictionCountry', column: 'jurisdiction_country', optional: false, repeats: true },
  { name: 'validationType', column: 'validation_type', optional: false, repeats: true },
  // Issue #15: the other vetted EV / OV subject fields and the date the identity was verified.
  { name: 'businessCategory', column: 'business_category', optional: true, repeats: true },
  { name: 'registrationNumber', column: 'registration_number', optional: true, repeats: false },
  { name: 'jurisdictionState', column: 'jurisdiction_state', optional: true, repeats: true },
  { name: 'jurisdictionLocality', column: 'jurisdiction_locality', optional: true, repeats: true },
  { name: 'streetAddress', column: 'street_address', optional: true, repeats: false },
  { name: 'postalCode', column: 'postal_code', optional: true, repeats: true },
  { name: 'organizationIdentifier', column: 'organization_identifier', optional: true, repeats: false },
  /** When the subject identity was verified, ISO 8601 UTC. */
  { name: 'vettedAt', column: 'vetted_at', optional: true, repeats: false },
] as const satisfies readonly OrderFieldSpec[];

export type OrderFieldName = (typeof ORDER_FIELDS)[number]['name'];

/**
 * An order record in one fixed shape, from its id and its field values by position in
 * ORDER_FIELDS (undefined: the field is not kept). A record is made for every row and read by
 * every check: one object literal gives every record the same hidden class, about seven times
 * faster to build than a record grown field by field, and monomorphic to read.
 */
export function orderRecord(id: string, values: ArrayLike<string | null | undefined>): OrderRecord {
  return {
    id,
    organization: values[0],
    country: values[1],
    state: values[2],
    locality: values[3],
    jurisdictionCountry: values[4],
    validationType: values[5],
    businessCategory: values[6],
    registrationNumber: values[7],
    jurisdictionState: values[8],
    jurisdictionLocality: values[9],
    streetAddress: values[10],
    postalCode: values[11],
    organizationIdentifier: values[12],
    vettedAt: values[13],
  } satisfies Record<keyof OrderRecord, string | null | undefined>;
}

/** The fields in table order, by name: the position of a field in RawRow and the order store. */
export const ORDER_FIELD_NAMES: readonly OrderFieldName[] = ORDER_FIELDS.map((field) => field.name);

/** Fields whose default column may be missing from the CA's table. */
export const OPTIONAL_ORDER_FIELDS: ReadonlySet<string> = new Set(ORDER_FIELDS.filter((field) => field.optional).map((field) => field.name));

/** The default column of every field (database.orders.columns without id). */
export const DEFAULT_ORDER_COLUMNS = Object.fromEntries(ORDER_FIELDS.map((field) => [field.name, field.column])) as Record<OrderFieldName, string>;

/** The mapped column of each field, in table order (null: the CA does not keep it). */
export const orderFieldColumns = (columns: Record<OrderFieldName, OrderFieldColumn>): OrderFieldColumn[] => ORDER_FIELD_NAMES.map((name) => columns[name] ?? null);

type FieldSpecs = (typeof ORDER_FIELDS)[number];
/** Fields every orders table has a column for (unless mapped to null). */
export type RequiredOrderFieldName = Extract<FieldSpecs, { optional: false }>['name'];
/** Fields whose default column may be missing (issue #15's vetted EV / OV fields and vettedAt). */
export type OptionalOrderFieldName = Extract<FieldSpecs, { optional: true }>['name'];
