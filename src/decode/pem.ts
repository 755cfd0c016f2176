// PEM blocks may be preceded or followed by text (zlint's test files carry an openssl dump first).
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

export interface PemBlock {
  label: string;
  der: Buffer;
  /** Character offset of the BEGIN line in the input, for error messages. */
  offset: number;
}

export function readPemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const match of text.matchAll(PEM_BLOCK)) {
    const body = (match[2] ?? '').replace(/[\r\n\t ]/g, '');
    blocks.push({ label: match[1] ?? '', der: Buffer.from(body, 'base64'), offset: match.index ?? 0 });
  }
  return blocks;
}

/** The DER of every CERTIFICATE block (X.509 certificates and precertificates). */
export function readPemCertificates(text: string): Buffer[] {
  return readPemBlocks(text)
    .filter((block) => block.label === 'CERTIFICATE')
    .map((block) => block.der);
}
