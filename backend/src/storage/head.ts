/**
 * In-memory series: a Map keyed by seriesKey(labels), each series holding closed XOR chunks, one open
 * chunk and a small sorted buffer of accepted out-of-order samples (merged into the chunks when it fills
 * up).
 */
import { ArenaSpan, ChunkArena } from './chunk-arena';
import { bitsAt, storeBits } from './float-bits';
import { compareLabels, Labels, seriesKey } from './labels';
import { PostingsIndex } from './postings';
import { SAMPLES_PER_CHUNK, XorChunk } from './xor-chunk';
import { decodeChunk, SampleColumns, sampleColumns } from './xor-decode';

/** What the store hands out from lookup(): a series the receiver can append to without its labels. */
export interface SeriesRef {
  readonly labels: Labels;
  /** seriesKey(labels). */
  readonly key: string;
  /**
   * Free for the receiver's use: it remembers here which series followed this one in the last request.
   * Senders send a shard's series in the same order every time, so the next series is nearly always
   * that one, and comparing its key to the request's bytes is cheaper than a map lookup.
   */
  next: SeriesRef | undefined;
}

export interface ClosedChunk {
  bytes: Uint8Array;
  minTime: number;
  maxTime: number;
  count: number;
}

/** Growable pair of typed arrays; values stay in Float64Array memory so NaN payloads survive. */
export class SampleBuffer implements SampleColumns {
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
}

/**
 * One series in memory. Kept small on purpose (memory per series is a stated target): the out-of-order
 * buffer and the closed-chunk list exist only once needed, the open chunk's bytes sit in the head's
 * ChunkArena, and `labels` are the postings index's interned Label objects.
 */
export class MemSeries implements SeriesRef, ArenaSpan {
  /** Where the key's bytes sit in the head's key arena (see Head.matches). */
  base = 0;
  cap = 0;
  spanIndex = -1;
  closed: ClosedChunk[] | null = null;
  open: XorChunk | null = null;
  /**
   * Highest timestamp accepted in order (-Infinity when empty). The store advances it when it accepts a
   * sample, which is before the sample reaches the chunks (after the WAL write); see storage.ts.
   */
  lastT = -Infinity;
  /** Accepted out-of-order samples, sorted by timestamp, unique timestamps. */
  ooo: SampleBuffer | null = null;
  /** Whether the series is in the head (false before it joins and after retention dropped it). */
  live = false;
  /** The receiver's hint (see SeriesRef). */
  next: SeriesRef | undefined = undefined;

  constructor(
    readonly id: number,
    /** Set to the interned labels when the series joins the head. */
    public labels: Labels,
    /** seriesKey(labels): the same string object the head's map holds, so it costs a pointer. */
    readonly key: string
  ) {}

  get minTime(): number {
    const closed = this.closed;
    let m =
      closed !== null && closed.length > 0 ? closed[0].minTime : this.open !== null ? this.open.minTime : Infinity;
    if (this.ooo !== null && this.ooo.n > 0 && this.ooo.ts[0] < m) m = this.ooo.ts[0];
    return m;
  }

  get maxTime(): number {
    return this.lastT;
  }

  sampleCount(): number {
    let n = (this.ooo?.n ?? 0) + (this.open?.numSamples ?? 0);
    for (const c of this.closed ?? []) n += c.count;
    return n;
  }

  chunkCount(): number {
    return (this.closed?.length ?? 0) + (this.open !== null ? 1 : 0);
  }

  /**
   * In-order append of the sample at ts[i] (value halves `hi`, `lo`); the caller guarantees it is above
   * every sample in the chunks, and keeps `lastT`.
   */
  appendInOrder(arena: ChunkArena, ts: Float64Array, i: number, hi: number, lo: number): void {
    let open = this.open;
    if (open !== null && open.numSamples >= SAMPLES_PER_CHUNK) {
      this.cut(open);
      open = null;
    }
    if (open === null) {
      open = new XorChunk(arena);
      this.open = open;
    }
    open.appendAt(ts, i, hi, lo);
  }

  private cut(o: XorChunk): void {
    if (this.closed === null) this.closed = [];
    this.closed.push({ bytes: o.toBytes(), minTime: o.minTime, maxTime: o.maxTime, count: o.numSamples });
    o.release();
    this.open = null;
  }

  /** Out-of-order append (t ≤ the last in-order sample, within the window); a repeated timestamp replaces the buffered one. */
  appendOutOfOrder(arena: ChunkArena, t: number, vs32: Uint32Array, index: number): void {
    if (this.ooo === null) this.ooo = new SampleBuffer(4);
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
    if (b.n >= SAMPLES_PER_CHUNK) this.compactOutOfOrder(arena);
  }

  /** Re-encodes the chunks the out-of-order buffer overlaps together with it. */
  compactOutOfOrder(arena: ChunkArena): void {
    const b = this.ooo;
    if (b === null || b.n === 0) return;
    const closed = this.closed ?? [];
    const oooMin = b.ts[0];
    let first = closed.length;
    while (first > 0 && closed[first - 1].maxTime >= oooMin) first--;
    let count = this.open?.numSamples ?? 0;
    for (let i = first; i < closed.length; i++) count += closed[i].count;
    const existing = sampleColumns(count);
    for (let i = first; i < closed.length; i++) decodeChunk(closed[i].bytes, existing, -Infinity, Infinity);
    if (this.open !== null) decodeChunk(this.open.bytes(), existing, -Infinity, Infinity);
    const merged = mergeSamples(existing, b);
    closed.length = first;
    this.closed = first > 0 ? closed : null;
    this.open?.release();
    this.open = null;
    this.ooo = null;
    const m32 = merged.vs32;
    for (let i = 0; i < merged.n; i++) {
      const [h, l] = bitsAt(m32, i);
      this.appendInOrder(arena, merged.ts, i, h, l);
    }
  }

  /** An upper bound of the samples in [mint, maxt] (what read() needs room for). */
  countIn(mint: number, maxt: number): number {
    let count = this.open !== null && this.open.maxTime >= mint && this.open.minTime <= maxt ? this.open.numSamples : 0;
    for (const c of this.closed ?? []) if (c.maxTime >= mint && c.minTime <= maxt) count += c.count;
    return count + (this.ooo?.n ?? 0);
  }

  /** Appends the samples in [mint, maxt], ascending, bit-exact, to `out` (room: countIn()). */
  read(mint: number, maxt: number, out: SampleColumns): void {
    const closed = this.closed ?? [];
    const ooo = this.ooo;
    const target = ooo === null || ooo.n === 0 ? out : sampleColumns(this.countIn(mint, maxt));
    for (let i = 0; i < closed.length; i++) {
      const c = closed[i];
      if (c.minTime > maxt) break;
      if (c.maxTime >= mint) decodeChunk(c.bytes, target, mint, maxt);
    }
    if (this.open !== null && this.open.maxTime >= mint && this.open.minTime <= maxt) {
      decodeChunk(this.open.bytes(), target, mint, maxt);
    }
    if (target === out || ooo === null) return;
    const oooIn = new SampleBuffer(ooo.n);
    for (let i = 0; i < ooo.n; i++) {
      const t = ooo.ts[i];
      if (t < mint || t > maxt) continue;
      const [h, l] = bitsAt(ooo.vs32, i);
      oooIn.ts[oooIn.n] = t;
      storeAt(oooIn, oooIn.n, h, l);
      oooIn.n++;
    }
    mergeSamples(target, oooIn, out);
  }

  /** Drops whole chunks (and buffered samples) that end before `cutoff`. Returns samples dropped. */
  dropBefore(cutoff: number): number {
    let dropped = 0;
    const closed = this.closed;
    let k = 0;
    if (closed !== null) {
      while (k < closed.length && closed[k].maxTime < cutoff) dropped += closed[k++].count;
      if (k > 0) closed.splice(0, k);
      if (closed.length === 0) this.closed = null;
    }
    if (this.closed === null && this.open !== null && this.open.maxTime < cutoff) {
      dropped += this.open.numSamples;
      this.open.release();
      this.open = null;
    }
    const b = this.ooo;
    if (b !== null) {
      let j = 0;
      while (j < b.n && b.ts[j] < cutoff) j++;
      if (j > 0) {
        b.ts.copyWithin(0, j, b.n);
        b.vs.copyWithin(0, j, b.n);
        b.n -= j;
        dropped += j;
      }
      if (b.n === 0) this.ooo = null;
    }
    return dropped;
  }

  /** Returns the open chunk's arena slot (the series is being dropped). */
  release(): void {
    this.open?.release();
    this.open = null;
  }
}

function storeAt(b: SampleColumns, index: number, hi: number, lo: number): void {
  storeBits(b.vs32, index, hi, lo);
}

/** Merges two ascending buffers into `out` (appending); on equal timestamps the second (`b`) wins. */
function mergeSamples(a: SampleColumns, b: SampleColumns, out = sampleColumns(a.n + b.n)): SampleColumns {
  let i = 0;
  let j = 0;
  const copy = (src: SampleColumns, k: number): void => {
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
  /** Series by seriesKey(labels): the receiver looks known series up here straight from request bytes. */
  readonly byKey = new Map<string, MemSeries>();
  readonly byId = new Map<number, MemSeries>();
  readonly postings = new PostingsIndex();
  readonly arena = new ChunkArena();
  /**
   * Every series' key as bytes, so a request's label bytes can be checked against a predicted series
   * with a native compare: building the key string instead allocated ~170 bytes per series per request,
   * most of the receiver's garbage.
   */
  readonly keys = new ChunkArena();
  nextId = 1;
  /** Highest timestamp in the store (-Infinity when empty). */
  maxTime = -Infinity;

  /** Creates a series with a given id (replay) or the next free one; labels must be validated. */
  create(labels: Labels, id = this.nextId, key = seriesKey(labels)): MemSeries {
    const existing = this.byKey.get(key);
    if (existing !== undefined) return existing;
    const s = new MemSeries(id, labels, key);
    this.add(s);
    return s;
  }

  /** Makes `s` (new, or dropped by retention meanwhile) part of the head, interning its labels. */
  add(s: MemSeries): void {
    s.labels = this.postings.add(s.id, s.labels);
    s.live = true;
    const key = s.key;
    this.keys.resize(s, key.length, 0);
    const bytes = this.keys.buf;
    for (let i = 0; i < key.length; i++) bytes[s.base + i] = key.charCodeAt(i);
    this.byKey.set(s.key, s);
    this.byId.set(s.id, s);
    if (s.id >= this.nextId) this.nextId = s.id + 1;
  }

  remove(s: MemSeries): void {
    this.byKey.delete(s.key);
    this.byId.delete(s.id);
    this.postings.remove(s.id, s.labels);
    s.live = false;
    s.next = undefined;
    this.keys.release(s);
    s.release();
  }

  /** Whether live series `s` has the key buf[start, end) (bytes of a latin1 key). */
  matches(s: MemSeries, buf: Buffer, start: number, end: number): boolean {
    return s.cap === end - start && buf.compare(this.keys.buf, s.base, s.base + s.cap, start, end) === 0;
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
