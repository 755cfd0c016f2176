// The CA's own issuers: CT logs hold every CA's certificates, and certscan audits only its own.
// An issuer is known by the SHA-256 of its SubjectPublicKeyInfo (a precert's issuer_key_hash)
// and by its subject Name (for certificates that come without a chain).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { OperationalError } from '../../errors.js';
import { readPemCertificates } from '../../decode/pem.js';
import { children, readTlv, type Tlv } from '../../decode/der_walk.js';

/** The TBSCertificate TLV of a certificate, or the TLV itself when `der` is a TBSCertificate. */
function tbsOf(der: Uint8Array, isTbs: boolean): Tlv | null {
  const outer = readTlv(der, 0, der.length);
  if (!outer || outer.tag !== 0x30) return null;
  if (isTbs) return outer;
  const tbs = readTlv(der, outer.contentStart, outer.end);
  return tbs && tbs.tag === 0x30 ? tbs : null;
}

/** The fields of a TBSCertificate after the optional version: serial, signature, issuer, validity, subject, spki. */
function tbsFields(der: Uint8Array, isTbs: boolean): Tlv[] | null {
  const tbs = tbsOf(der, isTbs);
  if (!tbs) return null;
  try {
    const fields = children(der, tbs);
    return fields[0]?.tag === 0xa0 ? fields.slice(1) : fields;
  } catch {
    return null;
  }
}

const bytesOf = (der: Uint8Array, tlv: Tlv) => Buffer.from(der.buffer, der.byteOffset + tlv.start, tlv.end - tlv.start);

/** Hex of the issuer Name DER of a certificate or TBSCertificate. */
export function issuerNameHex(der: Uint8Array, isTbs: boolean): string | null {
  const issuer = tbsFields(der, isTbs)?.[2];
  return issuer ? bytesOf(der, issuer).toString('hex') : null;
}

/** SHA-256 of a certificate's SubjectPublicKeyInfo DER (what RFC 6962 calls issuer_key_hash). */
export function spkiSha256(certificateDer: Uint8Array): string | null {
  const spki = tbsFields(certificateDer, false)?.[5];
  return spki ? createHash('sha256').update(bytesOf(certificateDer, spki)).digest('hex') : null;
}

function subjectNameHex(certificateDer: Uint8Array): string | null {
  const subject = tbsFields(certificateDer, false)?.[4];
  return subject ? bytesOf(certificateDer, subject).toString('hex') : null;
}

/** Plain data, so workers receive it as is. */
export interface IssuerSet {
  /** SPKI SHA-256 hex of each own issuer. */
  keyHashes: string[];
  /** Subject Name DER hex -> SPKI SHA-256 hex. */
  keyHashByName: Record<string, string>;
}

export function loadIssuerSet(files: readonly string[], keyHashes: readonly string[]): IssuerSet {
  const set: IssuerSet = { keyHashes: keyHashes.map((hash) => hash.toLowerCase()), keyHashByName: {} };
  for (const file of files) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (error) {
      throw new OperationalError(`issuer file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    const certificates = bytes.includes('-----BEGIN') ? readPemCertificates(bytes.toString('latin1')) : [bytes];
    if (certificates.length === 0) throw new OperationalError(`issuer file ${file}: no certificate in it`);
    for (const der of certificates) {
      const keyHash = spkiSha256(der);
      const name = subjectNameHex(der);
      if (!keyHash || !name) throw new OperationalError(`issuer file ${file}: not a DER or PEM certificate`);
      set.keyHashes.push(keyHash);
      set.keyHashByName[name] = keyHash;
    }
  }
  return set;
}
