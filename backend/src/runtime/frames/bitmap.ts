/** LSB-first bit-packed bitmaps, the Arrow layout for validity and bool values. */

export function getBit(bits: Uint8Array, i: number): boolean {
  return (bits[i >> 3] & (1 << (i & 7))) !== 0;
}

export function setBit(bits: Uint8Array, i: number): void {
  bits[i >> 3] |= 1 << (i & 7);
}

export function clearBit(bits: Uint8Array, i: number): void {
  bits[i >> 3] &= ~(1 << (i & 7));
}

export function bitmapBytes(bits: number): number {
  return (bits + 7) >> 3;
}

export function growBitmap(bits: Uint8Array, capacity: number): Uint8Array {
  const grown = new Uint8Array(bitmapBytes(capacity));
  grown.set(bits);
  return grown;
}

/**
 * Copies the first `length` bits with the unused high bits of the last byte cleared: rows written by an
 * aborted append may have left bits set there, and apache-arrow writes whatever bytes it is given.
 */
export function copyBitmap(bits: Uint8Array, length: number): Uint8Array {
  const n = bitmapBytes(length);
  const out = bits.slice(0, n);
  const rest = length & 7;
  if (rest !== 0) out[n - 1] &= (1 << rest) - 1;
  return out;
}
