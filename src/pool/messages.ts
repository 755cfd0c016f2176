// What crosses between the main thread and the workers: plain, structured-clone-able data.
import type { BatchResult, InspectionSettings } from '../inspect.js';
import type { SourceRow, SourceRowMeta } from '../sources/types.js';

/** A page of rows; the DER of all rows travels as one transferable ArrayBuffer. */
export interface BatchMessage {
  seq: number;
  rows: SourceRowMeta[];
  der: ArrayBuffer;
  /** End offset of each row's DER in `der`. */
  ends: Uint32Array;
}

export type WorkerReply = { ok: true; result: BatchResult } | { ok: false; seq: number; error: string };

export type WorkerSettings = InspectionSettings;

export function packBatch(seq: number, rows: readonly SourceRow[]): BatchMessage {
  let total = 0;
  for (const row of rows) total += row.der.length;
  const der = new Uint8Array(total);
  const ends = new Uint32Array(rows.length);
  let offset = 0;
  const metas: SourceRowMeta[] = rows.map((row, index) => {
    der.set(row.der, offset);
    offset += row.der.length;
    ends[index] = offset;
    const { der: _der, ...meta } = row;
    return meta;
  });
  return { seq, rows: metas, der: der.buffer, ends };
}

export function unpackBatch(message: BatchMessage): SourceRow[] {
  const bytes = new Uint8Array(message.der);
  let start = 0;
  return message.rows.map((meta, index) => {
    const end = message.ends[index]!;
    const row = { ...meta, der: bytes.subarray(start, end) };
    start = end;
    return row;
  });
}
