/**
 * Range functions kept up to date as a window slides forward, instead of recomputed over the whole
 * window at every step: a 1h window of 15 s samples is 240 samples per step. One state per series;
 * the operator calls slide() with the window of each step, whose bounds only move forward.
 *
 * max/min_over_time keep a monotonic deque and are exact. sum/avg_over_time keep a running
 * Kahan–Neumaier sum (adding the samples that enter, subtracting those that leave), which differs from
 * Prometheus' per-window sum only in rounding. To keep it that way the sum is rebuilt in Prometheus'
 * order once every sample of the last rebuild has left the window, and the caller falls back to the
 * exact per-window computation (undefined is returned) whenever the window holds a non-finite or
 * huge sample, only zeros, or a sum that cancelled to near zero, where a rounding residue would show.
 */
import type { RangeWindow } from './types';

export interface SlidingState {
  /** The value for the window, or undefined to have the caller compute it directly. */
  slide(w: RangeWindow): number | undefined;
}

/** Above this magnitude a running sum risks overflow; such windows are computed directly. */
const HUGE = 2 ** 1000;
/**
 * A sum this small relative to the largest sample since the last rebuild may be mostly rounding
 * residue (of cancellation, or of large samples that have left the window); the error of the running
 * sum is below 1e-21 of that sample for any realistic window, so above it the result keeps 12 digits.
 */
const CANCELLATION = 1e-9;

class SlidingKahanSum implements SlidingState {
  private lo = 0;
  private hi = 0;
  /** Samples up to here were in the window at the last rebuild. */
  private rebuildAt = 0;
  private sum = 0;
  private c = 0;
  /** The largest |sample| added since the last rebuild: rounding errors scale with it. */
  private magnitude = 0;
  /** Non-finite or huge samples in the window. */
  private special = 0;
  private nonZero = 0;

  constructor(private readonly mean: boolean) {}

  slide(w: RangeWindow): number | undefined {
    const { vs, from, to } = w;
    if (from >= this.rebuildAt || from < this.lo) {
      this.rebuild(vs, from, to);
    } else {
      for (let i = this.hi; i < to; i++) this.add(vs[i], 1);
      for (let i = this.lo; i < from; i++) this.add(vs[i], -1);
      this.lo = from;
      this.hi = to;
    }
    const count = to - from;
    if (count === 0 || this.special > 0 || this.nonZero === 0) return undefined;
    if (Math.abs(this.sum + this.c) <= CANCELLATION * this.magnitude) return undefined;
    return this.mean ? this.sum / count + this.c / count : this.sum + this.c;
  }

  /** The sum of [from, to) in Prometheus' order: the first sample, then Kahan increments. */
  private rebuild(vs: ArrayLike<number>, from: number, to: number): void {
    this.sum = 0;
    this.c = 0;
    this.magnitude = 0;
    this.special = 0;
    this.nonZero = 0;
    for (let i = from; i < to; i++) this.add(vs[i], 1);
    this.lo = from;
    this.hi = to;
    this.rebuildAt = to;
  }

  private add(x: number, sign: 1 | -1): void {
    const a = Math.abs(x);
    if (!(a < HUGE)) {
      this.special += sign;
      return;
    }
    if (a !== 0) this.nonZero += sign;
    if (a > this.magnitude) this.magnitude = a;
    const inc = sign * x;
    const sum = this.sum;
    const t = sum + inc;
    if (Math.abs(sum) >= a) this.c += sum - t + inc;
    else this.c += inc - t + sum;
    this.sum = t;
  }
}

/**
 * The extreme of the window's non-NaN samples (NaN when all are NaN), the earliest of equal extremes
 * as Prometheus' scan picks it (which tells 0 from -0).
 */
class SlidingExtreme implements SlidingState {
  private lo = 0;
  private hi = 0;
  /** Indexes of candidates, values non-increasing (max) or non-decreasing (min) from head to tail. */
  private deque = new Int32Array(16);
  private head = 0;
  private tail = 0;

  constructor(private readonly max: boolean) {}

  slide(w: RangeWindow): number | undefined {
    const { vs, from, to } = w;
    if (from < this.lo || from >= this.hi) {
      this.head = this.tail = 0;
      this.lo = this.hi = from;
    }
    const max = this.max;
    for (let i = Math.max(this.hi, from); i < to; i++) {
      const x = vs[i];
      if (x !== x) continue; // NaN never wins
      while (this.tail > this.head) {
        const back = vs[this.deque[this.tail - 1]];
        if (max ? back < x : back > x) this.tail--;
        else break;
      }
      this.push(i);
    }
    while (this.head < this.tail && this.deque[this.head] < from) this.head++;
    this.lo = from;
    this.hi = to;
    if (to === from) return undefined;
    return this.head < this.tail ? vs[this.deque[this.head]] : NaN;
  }

  private push(i: number): void {
    if (this.tail === this.deque.length) {
      // compact, or grow when more than half is live
      const live = this.tail - this.head;
      if (live * 2 > this.deque.length) {
        const next = new Int32Array(this.deque.length * 2);
        next.set(this.deque.subarray(this.head, this.tail));
        this.deque = next;
      } else {
        this.deque.copyWithin(0, this.head, this.tail);
      }
      this.head = 0;
      this.tail = live;
    }
    this.deque[this.tail++] = i;
  }
}

export const slidingSum = (): SlidingState => new SlidingKahanSum(false);
export const slidingAvg = (): SlidingState => new SlidingKahanSum(true);
export const slidingMax = (): SlidingState => new SlidingExtreme(true);
export const slidingMin = (): SlidingState => new SlidingExtreme(false);
