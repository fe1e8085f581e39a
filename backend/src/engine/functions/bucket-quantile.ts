/**
 * Quantiles and fractions of classic histograms (series of cumulative `le` buckets), as Prometheus'
 * BucketQuantile and BucketFraction compute them.
 */
import { parseGoFloat } from '../parser/go-format';

export interface Bucket {
  upperBound: number;
  count: number;
}

/** Buckets whose counts differ by a relative 1e-12 or less are taken as equal (float noise). */
const SMALL_DELTA_TOLERANCE = 1e-12;
const MIN_NORMAL = 2.2250738585072014e-308;

/** The `le` value as an upper bound, or undefined when it is missing, malformed or NaN. */
export function parseBucketBound(le: string): number | undefined {
  const bound = parseGoFloat(le);
  return bound === undefined || Number.isNaN(bound) ? undefined : bound;
}

/** Prometheus' almost.Equal: a relative difference below epsilon (NaN equals NaN). */
export function almostEqual(a: number, b: number, epsilon: number): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) {
    return true;
  }
  if (a === b) {
    return true;
  }
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || absSum < MIN_NORMAL) {
    return diff < epsilon * MIN_NORMAL;
  }
  return diff / Math.min(absSum, Number.MAX_VALUE) < epsilon;
}

function sortByUpperBound(buckets: Bucket[]): void {
  buckets.sort((a, b) => (a.upperBound < b.upperBound ? -1 : a.upperBound > b.upperBound ? 1 : 0));
}

/** Merges buckets with the same upper bound (e.g. le="0.2" and le="2e-1") by adding their counts. */
function coalesceBuckets(sorted: Bucket[]): Bucket[] {
  const out: Bucket[] = [];
  for (const b of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && last.upperBound === b.upperBound) {
      last.count += b.count;
    } else {
      out.push({ upperBound: b.upperBound, count: b.count });
    }
  }
  return out;
}

export interface MonotonicityFix {
  /** Some bucket count decreased and was raised to its predecessor's. */
  forced: boolean;
  minBucket: number;
  maxBucket: number;
  maxDiff: number;
}

/**
 * Makes the cumulative counts non-decreasing: differences within the tolerance are ignored in either
 * direction, real decreases are raised to the previous count and reported.
 */
function ensureMonotonic(buckets: Bucket[]): MonotonicityFix {
  const fix: MonotonicityFix = { forced: false, minBucket: Infinity, maxBucket: -Infinity, maxDiff: 0 };
  let prev = buckets[0].count;
  for (let i = 1; i < buckets.length; i++) {
    const curr = buckets[i].count;
    if (curr === prev) {
      continue;
    }
    if (almostEqual(prev, curr, SMALL_DELTA_TOLERANCE)) {
      buckets[i].count = prev;
      continue;
    }
    if (curr < prev) {
      buckets[i].count = prev;
      fix.forced = true;
      fix.minBucket = Math.min(fix.minBucket, buckets[i].upperBound);
      fix.maxBucket = Math.max(fix.maxBucket, buckets[i].upperBound);
      fix.maxDiff = Math.max(fix.maxDiff, prev - curr);
      continue;
    }
    prev = curr;
  }
  return fix;
}

const NO_FIX: MonotonicityFix = { forced: false, minBucket: Infinity, maxBucket: -Infinity, maxDiff: 0 };

/**
 * The φ-quantile of a classic histogram, interpolated linearly inside the bucket it falls in (the
 * lowest bucket starts at 0 if its upper bound is positive; a quantile in the +Inf bucket is the
 * second-highest upper bound). NaN φ → NaN, φ < 0 → -Inf, φ > 1 → +Inf, before anything else; NaN
 * without a +Inf bucket, with fewer than 2 distinct bounds or with no observations. `buckets` is
 * reordered.
 */
export function bucketQuantile(q: number, buckets: Bucket[]): { value: number; fix: MonotonicityFix } {
  if (Number.isNaN(q)) {
    return { value: NaN, fix: NO_FIX };
  }
  if (q < 0) {
    return { value: -Infinity, fix: NO_FIX };
  }
  if (q > 1) {
    return { value: Infinity, fix: NO_FIX };
  }
  if (buckets.length === 0) {
    return { value: NaN, fix: NO_FIX };
  }
  sortByUpperBound(buckets);
  if (buckets[buckets.length - 1].upperBound !== Infinity) {
    return { value: NaN, fix: NO_FIX };
  }
  const merged = coalesceBuckets(buckets);
  const fix = ensureMonotonic(merged);
  if (merged.length < 2) {
    return { value: NaN, fix };
  }
  const observations = merged[merged.length - 1].count;
  if (observations === 0) {
    return { value: NaN, fix };
  }
  let rank = q * observations;
  const b = searchFirstCountAtLeast(merged, rank);
  if (b === merged.length - 1) {
    return { value: merged[merged.length - 2].upperBound, fix };
  }
  if (b === 0 && merged[0].upperBound <= 0) {
    return { value: merged[0].upperBound, fix };
  }
  let bucketStart = 0;
  const bucketEnd = merged[b].upperBound;
  let count = merged[b].count;
  if (b > 0) {
    bucketStart = merged[b - 1].upperBound;
    count -= merged[b - 1].count;
    rank -= merged[b - 1].count;
  }
  return { value: bucketStart + (bucketEnd - bucketStart) * (rank / count), fix };
}

/** Go's sort.Search over all buckets but the last: the first with count >= rank (n - 1 if none). */
function searchFirstCountAtLeast(buckets: Bucket[], rank: number): number {
  let lo = 0;
  let hi = buckets.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (!(buckets[mid].count >= rank)) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

/**
 * The estimated fraction of observations between lower and upper, interpolating linearly inside
 * buckets (no interpolation in the infinite-width first or last bucket). `buckets` is reordered.
 */
export function bucketFraction(lower: number, upper: number, buckets: Bucket[]): number {
  if (buckets.length === 0) {
    return NaN;
  }
  sortByUpperBound(buckets);
  if (buckets[buckets.length - 1].upperBound !== Infinity) {
    return NaN;
  }
  const merged = coalesceBuckets(buckets);
  const count = merged[merged.length - 1].count;
  if (count === 0 || Number.isNaN(lower) || Number.isNaN(upper)) {
    return NaN;
  }
  if (lower >= upper) {
    return 0;
  }
  let rank = 0;
  let lowerRank = 0;
  let upperRank = 0;
  let lowerSet = false;
  let upperSet = false;
  // Only positive buckets: the first one starts at 0; otherwise at -Inf.
  let lowerBound = merged[0].upperBound <= 0 ? -Infinity : 0;
  for (let i = 0; i < merged.length; i++) {
    const b = merged[i];
    if (i > 0) {
      lowerBound = merged[i - 1].upperBound;
    }
    const upperBound = b.upperBound;
    const interpolate = (v: number): number =>
      lowerBound === -Infinity ? b.count : rank + ((b.count - rank) * (v - lowerBound)) / (upperBound - lowerBound);
    if (!lowerSet && lowerBound >= lower) {
      lowerRank = rank;
      lowerSet = true;
    }
    if (!upperSet && lowerBound >= upper) {
      upperRank = rank;
      upperSet = true;
    }
    if (lowerSet && upperSet) {
      break;
    }
    if (!lowerSet && lowerBound < lower && upperBound > lower) {
      lowerRank = interpolate(lower);
      lowerSet = true;
    }
    if (!upperSet && lowerBound < upper && upperBound > upper) {
      upperRank = interpolate(upper);
      upperSet = true;
    }
    if (lowerSet && upperSet) {
      break;
    }
    rank = b.count;
  }
  if (!lowerSet || lowerRank > count) {
    lowerRank = count;
  }
  if (!upperSet || upperRank > count) {
    upperRank = count;
  }
  return (upperRank - lowerRank) / count;
}
