// Reading and printing decoded Names.
import type { NameAttribute } from './types.js';

export function valuesOf(attributes: readonly NameAttribute[], oid: string): string[] {
  return attributes.filter((attribute) => attribute.oid === oid).map((attribute) => attribute.value);
}

/** RFC 4514 2.4 escaping of one attribute value. */
function escapeValue(value: string): string {
  if (value.startsWith('#') && /^#[0-9a-f]*$/.test(value)) return value;
  return value
    .replace(/[\\"+,;<>=]/g, (character) => `\\${character}`)
    .replace(/^[ #]/, (character) => `\\${character}`)
    .replace(/ $/, '\\ ')
    .replace(/\0/g, '\\00');
}

/**
 * A Name in certificate order (as CCADB appendices show it): "C=MM, ST=Yangon, O=..., CN=...",
 * with "+" joining the attributes of a multi-valued RDN.
 */
export function formatName(attributes: readonly NameAttribute[]): string {
  const rdns: string[] = [];
  let current = -1;
  for (const attribute of attributes) {
    const text = `${attribute.label}=${escapeValue(attribute.value)}`;
    if (attribute.rdnIndex === current) rdns[rdns.length - 1] += `+${text}`;
    else rdns.push(text);
    current = attribute.rdnIndex;
  }
  return rdns.join(', ');
}
