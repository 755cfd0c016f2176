// Text out of a Buffer range on hot paths. Buffer#toString(encoding, start, end) checks its
// arguments and dispatches on the encoding name before it calls the decoder; the decoder itself
// (latin1Slice / utf8Slice, on Buffer.prototype since Node 0.x but not in the typings) is taken
// directly when it is there, and toString otherwise, so a Node without them still works.

type Slice = (this: Buffer, start: number, end: number) => string;
const prototype = Buffer.prototype as Buffer & { latin1Slice?: Slice; utf8Slice?: Slice; hexSlice?: Slice };
const latin1Slice = prototype.latin1Slice;
const utf8Slice = prototype.utf8Slice;
const hexSlice = prototype.hexSlice;

/** bytes[start, end) as latin1 text. */
export const latin1Text: (bytes: Buffer, start: number, end: number) => string =
  typeof latin1Slice === 'function' ? (bytes, start, end) => latin1Slice.call(bytes, start, end) : (bytes, start, end) => bytes.toString('latin1', start, end);

/** bytes[start, end) as UTF-8 text. */
export const utf8Text: (bytes: Buffer, start: number, end: number) => string =
  typeof utf8Slice === 'function' ? (bytes, start, end) => utf8Slice.call(bytes, start, end) : (bytes, start, end) => bytes.toString('utf8', start, end);

/** bytes[start, end) as lowercase hex (a serial number per certificate). */
export const hexText: (bytes: Buffer, start: number, end: number) => string =
  typeof hexSlice === 'function' ? (bytes, start, end) => hexSlice.call(bytes, start, end) : (bytes, start, end) => bytes.toString('hex', start, end);
