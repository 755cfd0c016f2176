// Builds real X.509 v3 certificates: the TBSCertificate is DER-encoded here and signed with
// node:crypto (ECDSA P-256 / SHA-256). Fast enough for a million-certificate benchmark corpus.
import { createPublicKey, generateKeyPairSync, sign, createHash, type KeyObject } from 'node:crypto';
import * as der from './der.js';
import { ATTRIBUTE, EXTENSION, SIGNATURE_ALGORITHM } from '../decode/oids.js';

export interface SigningIdentity {
  /** DER-encoded Name of this identity (the issuer of what it signs). */
  name: Buffer;
  privateKey: KeyObject;
  /** SHA-1 of the subjectPublicKey bits: its key identifier (RFC 5280 4.2.1.2 method 1). */
  keyIdentifier: Buffer;
  certificate: Buffer;
}

export interface KeyPair {
  privateKey: KeyObject;
  spki: Buffer;
}

export function generateKeyPair(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, spki: publicKey.export({ type: 'spki', format: 'der' }) };
}

function keyIdentifierOf(spki: Buffer): Buffer {
  // The subjectPublicKey BIT STRING of a P-256 SPKI is its last 65 bytes (uncompressed point).
  return createHash('sha1').update(spki.subarray(spki.length - 65)).digest();
}

const ECDSA_SHA256 = der.sequence(der.objectIdentifier(SIGNATURE_ALGORITHM.ecdsaWithSHA256));

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return der.sequence(
    der.objectIdentifier(oid),
    ...(critical ? [der.boolean(true)] : []),
    der.octetString(value),
  );
}

export interface CertificateSpec {
  serial: Buffer;
  subject: ReadonlyArray<der.NameAttributeSpec | ReadonlyArray<der.NameAttributeSpec>>;
  notBefore: Date;
  notAfter: Date;
  dnsNames?: readonly string[];
  policyOids?: readonly string[];
  /** Adds the RFC 6962 poison extension: a precertificate. */
  precertificate?: boolean;
  isCA?: boolean;
  subjectPublicKeyInfo: Buffer;
  /** notBefore and notAfter encoded exactly so (see der.utcTime), instead of from the two Dates. */
  encodedValidity?: readonly [der.Der, der.Der];
}

export function buildTbsCertificate(spec: CertificateSpec, issuer: SigningIdentity): Buffer {
  const extensions: Buffer[] = [];
  extensions.push(
    extension(
      EXTENSION.basicConstraints,
      true,
      spec.isCA ? der.sequence(der.boolean(true)) : der.sequence(),
    ),
  );
  // keyUsage: digitalSignature for leaves; keyCertSign + cRLSign for CAs.
  extensions.push(
    extension(EXTENSION.keyUsage, true, spec.isCA ? der.tlv(0x03, Buffer.from([1, 0x06])) : der.tlv(0x03, Buffer.from([7, 0x80]))),
  );
  if (!spec.isCA) {
    extensions.push(extension(EXTENSION.extKeyUsage, false, der.sequence(der.objectIdentifier(SIGNATURE_ALGORITHM.serverAuth))));
  }
  extensions.push(extension(EXTENSION.subjectKeyIdentifier, false, der.octetString(keyIdentifierOf(spec.subjectPublicKeyInfo))));
  extensions.push(extension(EXTENSION.authorityKeyIdentifier, false, der.sequence(der.tlv(0x80, issuer.keyIdentifier))));
  if (spec.dnsNames?.length) {
    extensions.push(
      extension(EXTENSION.subjectAltName, false, der.sequence(...spec.dnsNames.map((dns) => der.tlv(0x82, Buffer.from(dns, 'ascii'))))),
    );
  }
  if (spec.policyOids?.length) {
    extensions.push(
      extension(
        EXTENSION.certificatePolicies,
        false,
        der.sequence(...spec.policyOids.map((oid) => der.sequence(der.objectIdentifier(oid)))),
      ),
    );
  }
  if (spec.precertificate) extensions.push(extension(EXTENSION.ctPoison, true, der.nullValue()));

  return der.sequence(
    der.explicit(0, der.smallInteger(2)),
    der.unsignedInteger(spec.serial),
    ECDSA_SHA256,
    issuer.name,
    spec.encodedValidity ? der.sequence(...spec.encodedValidity) : der.sequence(der.time(spec.notBefore), der.time(spec.notAfter)),
    der.name(spec.subject),
    spec.subjectPublicKeyInfo,
    der.explicit(3, der.sequence(...extensions)),
  );
}

export function signCertificate(tbs: Buffer, issuer: SigningIdentity): Buffer {
  const signature = sign('sha256', tbs, issuer.privateKey);
  return der.sequence(tbs, ECDSA_SHA256, der.bitString(signature));
}

export function buildCertificate(spec: CertificateSpec, issuer: SigningIdentity): Buffer {
  return signCertificate(buildTbsCertificate(spec, issuer), issuer);
}

/** A self-signed root and an issuing CA under it: the demo CA that signs every demo certificate. */
export function createDemoCa(now: Date, label = 'certscan Demo'): { root: SigningIdentity; issuing: SigningIdentity } {
  const caName = (cn: string) =>
    [
      { oid: ATTRIBUTE.countryName, value: 'XX', type: 'PrintableString' as const },
      { oid: ATTRIBUTE.organizationName, value: `${label} CA` },
      { oid: ATTRIBUTE.commonName, value: cn },
    ];
  const notBefore = new Date(Date.UTC(2018, 0, 1));
  const notAfter = new Date(now.getTime() + 10 * 365 * 86400_000);

  const rootKeys = generateKeyPair();
  const rootName = der.name(caName(`${label} Root CA`));
  const rootSelf: SigningIdentity = {
    name: rootName,
    privateKey: rootKeys.privateKey,
    keyIdentifier: keyIdentifierOf(rootKeys.spki),
    certificate: Buffer.alloc(0),
  };
  rootSelf.certificate = buildCertificate(
    { serial: Buffer.from([1]), subject: caName(`${label} Root CA`), notBefore, notAfter, isCA: true, subjectPublicKeyInfo: rootKeys.spki },
    rootSelf,
  );

  const issuingKeys = generateKeyPair();
  const issuing: SigningIdentity = {
    name: der.name(caName(`${label} Issuing CA 1`)),
    privateKey: issuingKeys.privateKey,
    keyIdentifier: keyIdentifierOf(issuingKeys.spki),
    certificate: buildCertificate(
      { serial: Buffer.from([2]), subject: caName(`${label} Issuing CA 1`), notBefore, notAfter, isCA: true, subjectPublicKeyInfo: issuingKeys.spki },
      rootSelf,
    ),
  };
  return { root: rootSelf, issuing };
}

/** The public key of an identity, for signature checks in tests. */
export function publicKeyOf(identity: SigningIdentity): KeyObject {
  return createPublicKey(identity.privateKey);
}
