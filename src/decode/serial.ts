// The serialNumber of a certificate or TBSCertificate, found by a DER walk (no full decode).
import { readTlvInto, scratchTlv, type Tlv } from './der_walk.js';

/** Finds the serialNumber INTEGER of a certificate or TBSCertificate; false when there is none. */
export function findSerial(der: Uint8Array, isTbs: boolean, into: Tlv): boolean {
  if (!readTlvInto(der, 0, der.length, into) || into.tag !== 0x30) return false;
  if (!isTbs && (!readTlvInto(der, into.contentStart, into.end, into) || into.tag !== 0x30)) return false;
  const tbsEnd = into.end;
  if (!readTlvInto(der, into.contentStart, tbsEnd, into)) return false;
  if ((into.tag as number) === 0xa0 && !readTlvInto(der, into.end, tbsEnd, into)) return false;
  return (into.tag as number) === 0x02;
}

/** The serial (DER INTEGER content, hex) of a certificate or TBSCertificate, or null. */
export function serialHexOf(der: Uint8Array, isTbs: boolean): string | null {
  const tlv = scratchTlv();
  if (!findSerial(der, isTbs, tlv)) return null;
  return Buffer.from(der.buffer, der.byteOffset + tlv.contentStart, tlv.end - tlv.contentStart).toString('hex');
}

/** The identity of an issuer + serial pair: the issuer Name's DER and the serial's DER content, hex. */
export function serialKey(issuerName: string, serialHex: string): string {
  return `${issuerName}:${serialHex}`;
}
