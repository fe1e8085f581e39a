/**
 * limit_ratio's deterministic sampling, identical to Prometheus' HashRatioSampler: a series is kept
 * by its labels.Hash() scaled to [0, 1].
 *
 * Prometheus 3.x is built with the default "stringlabels" representation, whose Hash() is XXH64
 * (seed 0) of the internal encoding: for each label in byte order of the names, the name and then
 * the value, each as a length (one byte below 255, else 0xFF and 3 bytes little-endian) followed by
 * its UTF-8 bytes. (The `name 0xFF value 0xFF` form belongs to the non-default "slicelabels" build
 * and gives different hashes, verified against Prometheus v0.316.0.)
 */
import type { Labels } from '../../storage';
import { xxhash64 } from './xxhash64';

/** float64(math.MaxUint64) rounds up to 2^64. */
const MAX_UINT64_AS_FLOAT = 2 ** 64;

function encodedLength(length: number): number[] {
  return length < 255 ? [length] : [255, length & 0xff, (length >> 8) & 0xff, (length >> 16) & 0xff];
}

export function labelsHash(labels: Labels): bigint {
  // Go orders labels by the bytes of their names; JS string order differs for astral characters.
  const encoded = labels
    .map((l) => ({ name: Buffer.from(l.name, 'utf8'), value: Buffer.from(l.value, 'utf8') }))
    .sort((a, b) => Buffer.compare(a.name, b.name));
  const parts: Buffer[] = [];
  for (const { name, value } of encoded) {
    parts.push(Buffer.from(encodedLength(name.length)), name, Buffer.from(encodedLength(value.length)), value);
  }
  return xxhash64(Buffer.concat(parts));
}

/** The series' sampling offset in [0, 1]. */
export function sampleOffset(labels: Labels): number {
  return Number(labelsHash(labels)) / MAX_UINT64_AS_FLOAT;
}

/**
 * Whether a series with `offset` is kept for a ratio already clamped to [-1, 1]: the first `ratio`
 * share of the hash space for ratio >= 0, the last `-ratio` share for ratio < 0, so that
 * limit_ratio(r, x) and limit_ratio(-(1 - r), x) are complements.
 */
export function ratioKeeps(ratio: number, offset: number): boolean {
  return ratio >= 0 ? offset < ratio : offset >= 1 + ratio;
}
