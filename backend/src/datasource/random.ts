/**
 * mulberry32: uniform numbers in [0, 1) from 32-bit integer steps only, so Go and JavaScript draw
 * bit-identical sequences (the conformance suite's Go twin of the synthetic query relies on it).
 */
export function mulberry32(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t = (t + Math.imul(t ^ (t >>> 7), t | 61)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
