/**
 * In-memory series: a Map keyed by the canonical label string, each series holding closed XOR chunks,
 * one open chunk and a small sorted buffer of accepted out-of-order samples (merged into the chunks
 * when it fills up).
 */
import { bitsAt, storeBits } from './float-bits';
import { compareLabels, Labels, labelsKey } from './labels';
import { PostingsIndex } from './postings';
import { SAMPLES_PER_CHUNK, XorChunk, XorIterator } from './xor-chunk';

export interface ClosedChunk {
  bytes: Uint8Array;
  minTime: number;
  maxTime: number;
  count: number;
}

/** Growable pair of typed arrays; values stay in Float64Array memory so NaN payloads survive. */
export class SampleBuffer {
  ts: Float64Array;
  vs: Float64Array;
  vs32: Uint32Array;
  n = 0;

  constructor(capacity = 16) {
    this.ts = new Float64Array(capacity);
    this.vs = new Float64Array(capacity);
    this.vs32 = new Uint32Array(this.vs.buffer);
  }

  reserve(extra: number): void {
    if (this.n + extra <= this.ts.length) return;
    const cap = Math.max(this.ts.length * 2, this.n + extra);
    const ts = new Float64Array(cap);
    const vs = new Float64Array(cap);
    ts.set(this.ts.subarray(0, this.n));
    vs.set(this.vs.subarray(0, this.n));
    this.ts = ts;
    this.vs = vs;
    this.vs32 = new Uint32Array(vs.buffer);
  }

  pushIter(it: XorIterator): void {
    this.reserve(1);
    this.ts[this.n] = it.t;
    it.storeValue(this.vs32, this.n);
    this.n++;
  }
}

function decodeInto(bytes: Uint8Array, out: SampleBuffer, mint: number, maxt: number): void {
  const it = new XorIterator(bytes);
  while (it.next()) {
    if (it.t < mint) continue;
    if (it.t > maxt) break;
    out.pushIter(it);
  }
}

export class MemSeries {
  readonly closed: ClosedChunk[] = [];
  open: XorChunk | null = null;
  /** Highest timestamp appended in order (-Infinity when empty). */
  lastT = -Infinity;
  /** Accepted out-of-order samples, sorted by timestamp, unique timestamps. */
  ooo = new SampleBuffer(4);

  constructor(
    readonly id: number,
    readonly labels: Labels,
    readonly key: string
  ) {}

  get minTime(): number {
    let m = this.closed.length > 0 ? this.closed[0].minTime : this.open !== null ? this.open.minTime : Infinity;
    if (this.ooo.n > 0 && this.ooo.ts[0] < m) m = this.ooo.ts[0];
    return m;
  }

  get maxTime(): number {
    return this.lastT;
  }

  sampleCount(): number {
    let n = this.ooo.n + (this.open?.numSamples ?? 0);
    for (const c of this.closed) n += c.count;
    return n;
  }

  chunkCount(): number {
    return this.closed.length + (this.open !== null ? 1 : 0);
  }

  /** In-order append; the caller guarantees t > lastT. */
  appendInOrder(t: number, hi: number, lo: number): void {
    if (this.open !== null && this.open.numSamples >= SAMPLES_PER_CHUNK) this.cut();
    if (this.open === null) this.open = new XorChunk();
    this.open.appendBits(t, hi, lo);
    this.lastT = t;
  }

  private cut(): void {
    const o = this.open;
    if (o === null) return;
    this.closed.push({ bytes: o.toBytes(), minTime: o.minTime, maxTime: o.maxTime, count: o.numSamples });
    this.open = null;
  }

  /** Out-of-order append (t < lastT, within the window); a repeated timestamp replaces the buffered one. */
  appendOutOfOrder(t: number, vs32: Uint32Array, index: number): void {
    const b = this.ooo;
    let lo = 0;
    let hi = b.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (b.ts[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    const [vh, vl] = bitsAt(vs32, index);
    if (lo < b.n && b.ts[lo] === t) {
      storeAt(b, lo, vh, vl);
      return;
    }
    b.reserve(1);
    b.ts.copyWithin(lo + 1, lo, b.n);
    b.vs.copyWithin(lo + 1, lo, b.n);
    b.ts[lo] = t;
    storeAt(b, lo, vh, vl);
    b.n++;
    if (b.n >= SAMPLES_PER_CHUNK) this.compactOutOfOrder();
  }

  /** Re-encodes the chunks the out-of-order buffer overlaps together with it. */
  compactOutOfOrder(): void {
    const b = this.ooo;
    if (b.n === 0) return;
    const oooMin = b.ts[0];
    let first = this.closed.length;
    while (first > 0 && this.closed[first - 1].maxTime >= oooMin) first--;
    const existing = new SampleBuffer(256);
    for (let i = first; i < this.closed.length; i++) decodeInto(this.closed[i].bytes, existing, -Infinity, Infinity);
    if (this.open !== null) decodeInto(this.open.bytes(), existing, -Infinity, Infinity);
    const merged = mergeSamples(existing, b);
    this.closed.length = first;
    this.open = null;
    this.ooo = new SampleBuffer(4);
    const lastT = this.lastT;
    const m32 = merged.vs32;
    for (let i = 0; i < merged.n; i++) {
      const [h, l] = bitsAt(m32, i);
      this.appendInOrder(merged.ts[i], h, l);
    }
    this.lastT = Math.max(lastT, this.lastT);
  }

  /** Samples in [mint, maxt], ascending, bit-exact values. */
  read(mint: number, maxt: number): SampleBuffer {
    const out = new SampleBuffer(64);
    for (const c of this.closed) {
      if (c.maxTime < mint || c.minTime > maxt) continue;
      decodeInto(c.bytes, out, mint, maxt);
    }
    if (this.open !== null && this.open.maxTime >= mint && this.open.minTime <= maxt) {
      decodeInto(this.open.bytes(), out, mint, maxt);
    }
    if (this.ooo.n === 0) return out;
    const oooIn = new SampleBuffer(this.ooo.n);
    for (let i = 0; i < this.ooo.n; i++) {
      const t = this.ooo.ts[i];
      if (t < mint || t > maxt) continue;
      const [h, l] = bitsAt(this.ooo.vs32, i);
      oooIn.reserve(1);
      oooIn.ts[oooIn.n] = t;
      storeAt(oooIn, oooIn.n, h, l);
      oooIn.n++;
    }
    return oooIn.n === 0 ? out : mergeSamples(out, oooIn);
  }

  /** Drops whole chunks (and buffered samples) that end before `cutoff`. Returns samples dropped. */
  dropBefore(cutoff: number): number {
    let dropped = 0;
    let k = 0;
    while (k < this.closed.length && this.closed[k].maxTime < cutoff) dropped += this.closed[k++].count;
    if (k > 0) this.closed.splice(0, k);
    if (this.closed.length === 0 && this.open !== null && this.open.maxTime < cutoff) {
      dropped += this.open.numSamples;
      this.open = null;
    }
    const b = this.ooo;
    let j = 0;
    while (j < b.n && b.ts[j] < cutoff) j++;
    if (j > 0) {
      b.ts.copyWithin(0, j, b.n);
      b.vs.copyWithin(0, j, b.n);
      b.n -= j;
      dropped += j;
    }
    return dropped;
  }
}

function storeAt(b: SampleBuffer, index: number, hi: number, lo: number): void {
  storeBits(b.vs32, index, hi, lo);
}

/** Merges two ascending buffers; on equal timestamps the second (`b`) wins. */
function mergeSamples(a: SampleBuffer, b: SampleBuffer): SampleBuffer {
  const out = new SampleBuffer(a.n + b.n);
  let i = 0;
  let j = 0;
  const copy = (src: SampleBuffer, k: number): void => {
    out.ts[out.n] = src.ts[k];
    const [h, l] = bitsAt(src.vs32, k);
    storeBits(out.vs32, out.n, h, l);
    out.n++;
  };
  while (i < a.n || j < b.n) {
    if (j >= b.n || (i < a.n && a.ts[i] < b.ts[j])) copy(a, i++);
    else {
      if (i < a.n && a.ts[i] === b.ts[j]) i++;
      copy(b, j++);
    }
  }
  return out;
}

export class Head {
  readonly byKey = new Map<string, MemSeries>();
  readonly byId = new Map<number, MemSeries>();
  readonly postings = new PostingsIndex();
  nextId = 1;
  /** Highest timestamp in the store (-Infinity when empty). */
  maxTime = -Infinity;

  get(labels: Labels): MemSeries | undefined {
    return this.byKey.get(labelsKey(labels));
  }

  /** Creates a series with a given id (replay) or the next free one; labels must be validated. */
  create(labels: Labels, id = this.nextId): MemSeries {
    const key = labelsKey(labels);
    const existing = this.byKey.get(key);
    if (existing !== undefined) return existing;
    const s = new MemSeries(id, labels, key);
    this.byKey.set(key, s);
    this.byId.set(id, s);
    this.postings.add(id, labels);
    if (id >= this.nextId) this.nextId = id + 1;
    return s;
  }

  remove(s: MemSeries): void {
    this.byKey.delete(s.key);
    this.byId.delete(s.id);
    this.postings.remove(s.id, s.labels);
  }

  /** Series ids sorted by their label sets. */
  sortByLabels(ids: number[]): MemSeries[] {
    const list: MemSeries[] = [];
    for (const id of ids) {
      const s = this.byId.get(id);
      if (s !== undefined) list.push(s);
    }
    return list.sort((a, b) => compareLabels(a.labels, b.labels));
  }
}
