/**
 * Exact conversions between (epoch ms, sub-ms ns) pairs and int64 nanoseconds stored as two little-endian
 * int32 words. Plain float64 arithmetic keeps every intermediate below 2^53, so no BigInt is needed per
 * row (apache-arrow's own ms→ns conversion is off by up to 128 ns, frames.md §6.3).
 */

const TWO21 = 2097152;
const TWO32 = 4294967296;
export const NS_PER_MS = 1_000_000;

/** Epoch-ms numbers whose whole-ms nanoseconds fit in int64 (MaxInt64 ns = 9223372036854 ms + 775807 ns). */
export const MAX_TIME_MS = 9223372036854;
export const MIN_TIME_MS = -9223372036854;

export const MIN_INT64 = -(2n ** 63n);
export const MAX_INT64 = 2n ** 63n - 1n;
export const MAX_UINT64 = 2n ** 64n - 1n;

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  // The int32-word views below assume the Arrow (little-endian) byte order.
  throw new Error('frames: big-endian platforms are not supported');
}

/**
 * Writes ms * 1e6 + sub as int64 into words[2i] (low) and words[2i+1] (high).
 * Requires an integer ms and 0 <= sub < 1e6 whose total fits in int64 (checked by the caller).
 */
export function writeNsWords(words: Int32Array, i: number, ms: number, sub: number): void {
  // ms = mh * 2^21 + ml, so ns = (mh * 1e6) * 2^21 + (ml * 1e6 + sub); both products are exact.
  const mh = Math.floor(ms / TWO21);
  const p = mh * NS_PER_MS;
  const q = (ms - mh * TWO21) * NS_PER_MS + sub;
  // p * 2^21 = ph * 2^32 + pl * 2^21 with 0 <= pl < 2^11.
  const ph = Math.floor(p / 2048);
  const pl = p - ph * 2048;
  const qh = Math.floor(q / TWO32);
  let lo = q - qh * TWO32 + pl * TWO21;
  let hi = ph + qh;
  if (lo >= TWO32) {
    lo -= TWO32;
    hi += 1;
  }
  words[2 * i] = lo | 0;
  words[2 * i + 1] = hi | 0;
}

/** Result holder for readNsWords, reused to avoid an allocation per row. */
export interface MsParts {
  ms: number;
  sub: number;
}

/** Inverse of writeNsWords: floor(ns / 1e6) and the 0..999999 remainder. */
export function readNsWords(hi: number, loWord: number, out: MsParts): void {
  const lo = loWord >>> 0;
  // hi * 2^32 = hi * 4294 * 1e6 + hi * 967296; b stays below 2^52 in magnitude.
  const a = hi * 4294;
  const b = hi * 967296 + lo;
  let qb = Math.floor(b / NS_PER_MS);
  let r = b - qb * NS_PER_MS;
  if (r < 0) {
    qb -= 1;
    r += NS_PER_MS;
  } else if (r >= NS_PER_MS) {
    qb += 1;
    r -= NS_PER_MS;
  }
  out.ms = a + qb;
  out.sub = r;
}

/** Splits an int64 nanosecond BigInt (range checked by the caller) into floor ms and sub-ms ns. */
export function splitNanos(ns: bigint, out: MsParts): void {
  let q = ns / 1_000_000n;
  let r = ns % 1_000_000n;
  if (r < 0n) {
    q -= 1n;
    r += 1_000_000n;
  }
  out.ms = Number(q);
  out.sub = Number(r);
}

export function joinNanos(ms: number, sub: number): bigint {
  return BigInt(ms) * 1_000_000n + BigInt(sub);
}
