import { floatFromBits, hiBits, loadFloat, loBits } from './float-bits';

/** The Prometheus stale marker: a NaN with the bit pattern 0x7ff0000000000002. */
export const STALE_NAN: number = floatFromBits(0x7ff00000, 0x00000002);

/**
 * Compares bits, not NaN-ness: an ordinary NaN is not a stale marker. Note that V8 canonicalises NaNs
 * stored in plain JS arrays of doubles, so callers must carry stale markers in Float64Arrays.
 */
export function isStaleMarker(v: number): boolean {
  if (v === v) {
    return false; // not NaN at all
  }
  loadFloat(v);
  return hiBits() === 0x7ff00000 && loBits() === 0x00000002;
}
