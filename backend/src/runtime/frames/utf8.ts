/** UTF-8 encoding of string columns into Arrow's offsets + bytes layout. */

export interface Utf8Buffers {
  offsets: Int32Array;
  bytes: Uint8Array;
}

/**
 * Encodes values[0..length). Fast path: one native encode of the concatenation; if it is as long as the
 * string, everything was ASCII and byte offsets equal character offsets.
 */
export function encodeUtf8(values: readonly string[], length: number): Utf8Buffers {
  const offsets = new Int32Array(length + 1);
  let joined = '';
  let chars = 0;
  for (let i = 0; i < length; i++) {
    const s = values[i];
    joined += s;
    chars += s.length;
    offsets[i + 1] = chars;
  }
  if (Buffer.byteLength(joined, 'utf8') === chars) {
    const ascii = Buffer.from(joined, 'latin1');
    return { offsets, bytes: new Uint8Array(ascii.buffer, ascii.byteOffset, ascii.byteLength) };
  }
  // Encode strings one by one: lone surrogates at string boundaries would pair up in the concatenation.
  let total = 0;
  for (let i = 0; i < length; i++) {
    total += Buffer.byteLength(values[i], 'utf8');
    offsets[i + 1] = total;
  }
  const bytes = Buffer.allocUnsafe(total);
  for (let i = 0; i < length; i++) bytes.write(values[i], offsets[i], 'utf8');
  return { offsets, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}
