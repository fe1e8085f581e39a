/**
 * Float64 ⇄ two unsigned 32-bit halves without BigInt. NaN payloads (the stale marker) survive because
 * the bits only ever pass through typed-array memory, never through a plain JS array of doubles
 * (V8 canonicalises NaNs stored in double-element arrays).
 */
const scratch = new DataView(new ArrayBuffer(8));

/** Writes the bits of `v` to the scratch buffer; read them with `hiBits()` / `loBits()`. */
export function loadFloat(v: number): void {
  scratch.setFloat64(0, v);
}

export function hiBits(): number {
  return scratch.getUint32(0);
}

export function loBits(): number {
  return scratch.getUint32(4);
}

export function floatFromBits(hi: number, lo: number): number {
  scratch.setUint32(0, hi);
  scratch.setUint32(4, lo);
  return scratch.getFloat64(0);
}

/** True when the platform stores typed arrays little-endian (all Node targets Sluice ships for). */
export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Stores a float given as bits into `out[index]` via a Uint32Array view of the same buffer. */
export function storeBits(out32: Uint32Array, index: number, hi: number, lo: number): void {
  if (LITTLE_ENDIAN) {
    out32[2 * index] = lo;
    out32[2 * index + 1] = hi;
  } else {
    out32[2 * index] = hi;
    out32[2 * index + 1] = lo;
  }
}

/** Reads the bits of `arr[index]` through a Uint32Array view. */
export function bitsAt(arr32: Uint32Array, index: number): [hi: number, lo: number] {
  return LITTLE_ENDIAN ? [arr32[2 * index + 1], arr32[2 * index]] : [arr32[2 * index], arr32[2 * index + 1]];
}
