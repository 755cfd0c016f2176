// Object identifiers certscan reads. Names follow RFC 4514 / X.520 short forms where they exist.

export const ATTRIBUTE = {
  countryName: '2.5.4.6',
  stateOrProvinceName: '2.5.4.8',
  localityName: '2.5.4.7',
  organizationName: '2.5.4.10',
  organizationalUnitName: '2.5.4.11',
  commonName: '2.5.4.3',
  serialNumber: '2.5.4.5',
  streetAddress: '2.5.4.9',
  postalCode: '2.5.4.17',
  givenName: '2.5.4.42',
  surname: '2.5.4.4',
  businessCategory: '2.5.4.15',
  organizationIdentifier: '2.5.4.97',
  emailAddress: '1.2.840.113549.1.9.1',
  domainComponent: '0.9.2342.19200300.100.1.25',
  /** EVG 7.1.4.2.4 jurisdictionCountryName (Microsoft arc). */
  jurisdictionCountryName: '1.3.6.1.4.1.311.60.2.1.3',
  jurisdictionStateOrProvinceName: '1.3.6.1.4.1.311.60.2.1.2',
  jurisdictionLocalityName: '1.3.6.1.4.1.311.60.2.1.1',
} as const;

/** Short labels used when a Name is printed (RFC 4514 where defined; jurisdiction* as EV usage). */
export const ATTRIBUTE_LABEL: Readonly<Record<string, string>> = {
  [ATTRIBUTE.countryName]: 'C',
  [ATTRIBUTE.stateOrProvinceName]: 'ST',
  [ATTRIBUTE.localityName]: 'L',
  [ATTRIBUTE.organizationName]: 'O',
  [ATTRIBUTE.organizationalUnitName]: 'OU',
  [ATTRIBUTE.commonName]: 'CN',
  [ATTRIBUTE.serialNumber]: 'serialNumber',
  [ATTRIBUTE.streetAddress]: 'street',
  [ATTRIBUTE.postalCode]: 'postalCode',
  [ATTRIBUTE.givenName]: 'GN',
  [ATTRIBUTE.surname]: 'SN',
  [ATTRIBUTE.businessCategory]: 'businessCategory',
  [ATTRIBUTE.organizationIdentifier]: 'organizationIdentifier',
  [ATTRIBUTE.emailAddress]: 'emailAddress',
  [ATTRIBUTE.domainComponent]: 'DC',
  [ATTRIBUTE.jurisdictionCountryName]: 'jurisdictionC',
  [ATTRIBUTE.jurisdictionStateOrProvinceName]: 'jurisdictionST',
  [ATTRIBUTE.jurisdictionLocalityName]: 'jurisdictionL',
};

export const EXTENSION = {
  subjectAltName: '2.5.29.17',
  certificatePolicies: '2.5.29.32',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  authorityKeyIdentifier: '2.5.29.35',
  subjectKeyIdentifier: '2.5.29.14',
  /** RFC 6962 3.1 precertificate poison. */
  ctPoison: '1.3.6.1.4.1.11129.2.4.3',
} as const;

/** CA/Browser Forum reserved policy identifiers (BR 7.1.6.1, EVG 9.3.4). */
export const POLICY = {
  DV: '2.23.140.1.2.1',
  OV: '2.23.140.1.2.2',
  IV: '2.23.140.1.2.3',
  EV: '2.23.140.1.1',
} as const;

export type ValidationType = keyof typeof POLICY;
export const VALIDATION_TYPES: readonly ValidationType[] = ['DV', 'OV', 'IV', 'EV'];

export const SIGNATURE_ALGORITHM = {
  ecdsaWithSHA256: '1.2.840.10045.4.3.2',
  ecPublicKey: '1.2.840.10045.2.1',
  prime256v1: '1.2.840.10045.3.1.7',
  serverAuth: '1.3.6.1.5.5.7.3.1',
} as const;
