/**
 * Many small byte strings in one shared buffer: the head keeps the open XOR chunks in one arena and the
 * series keys (see Head.matches) in another.
 *
 * Why not one Uint8Array per chunk: on Node 20 a small typed array costs about 230 bytes of V8 heap
 * (typed-array object, ArrayBuffer object, on-heap data) before its first byte of data, more than a
 * typical open chunk holds, and each is one more object for every garbage collection to visit. A series
 * used to hold four (its open chunk, and the out-of-order buffer now made only when needed): about half
 * of its ~2 kB of heap.
 *
 * A chunk owns a span [base, base + cap) of `buf`. A chunk that outgrows its span gets a new one at the
 * end (spans grow ×1.5) and its old span becomes garbage; when the buffer is full, every live span is
 * copied into a fresh buffer (1.5 times the live bytes), which drops the garbage. Size classes with free
 * lists were tried first: as all series grow in step, every class kept its peak of slots, which cost
 * more than the chunks themselves. Closed chunks are copied out at their exact size instead (they are
 * few per series and long-lived).
 */

/** A span of the arena; the arena moves spans (updates `base`) when it compacts. */
export interface ArenaSpan {
  base: number;
  cap: number;
  /** Position in the arena's list of live spans; -1 when the span holds no bytes. */
  spanIndex: number;
}

const MIN_BYTES = 1 << 16;

export class ChunkArena {
  buf = new Uint8Array(MIN_BYTES);
  /** End of the last span handed out. */
  private top = 0;
  /** Bytes in live spans. */
  private liveBytes = 0;
  private readonly spans: ArenaSpan[] = [];

  /**
   * Gives `span` a new place of `cap` bytes and copies its first `used` bytes there (a span with no
   * place yet gets one). The old place becomes garbage.
   */
  resize(span: ArenaSpan, cap: number, used: number): void {
    if (this.top + cap > this.buf.length) this.compact(cap);
    const at = this.top;
    this.top += cap;
    if (span.spanIndex < 0) {
      span.spanIndex = this.spans.length;
      this.spans.push(span);
    } else {
      const buf = this.buf;
      const from = span.base;
      for (let i = 0; i < used; i++) buf[at + i] = buf[from + i];
      this.liveBytes -= span.cap;
    }
    span.base = at;
    span.cap = cap;
    this.liveBytes += cap;
  }

  /** Gives a span's bytes back. */
  release(span: ArenaSpan): void {
    const i = span.spanIndex;
    if (i < 0) return;
    const last = this.spans.pop() as ArenaSpan;
    if (last !== span) {
      this.spans[i] = last;
      last.spanIndex = i;
    }
    span.spanIndex = -1;
    this.liveBytes -= span.cap;
  }

  /**
   * Copies the live spans into a fresh buffer with room for `extra` more bytes and half the live bytes
   * again (the buffer's pages are all touched before the next compaction, so its size is what the
   * process holds; half again keeps compactions to about one per half of the live bytes re-grown).
   */
  private compact(extra: number): void {
    const size = Math.max(MIN_BYTES, Math.ceil((1.5 * this.liveBytes + extra) / MIN_BYTES) * MIN_BYTES);
    const from = this.buf;
    const to = new Uint8Array(size);
    const spans = this.spans;
    let at = 0;
    // Spans that lie back to back in the old buffer are copied as one run (spans move to the top in
    // the order series grow, which is often the order of this list).
    let runFrom = 0;
    let runEnd = 0;
    let runAt = 0;
    for (let k = 0; k < spans.length; k++) {
      const s = spans[k];
      if (s.base !== runEnd) {
        copyRun(from, runFrom, runEnd, to, runAt);
        runFrom = s.base;
        runAt = at;
      }
      runEnd = s.base + s.cap;
      s.base = at;
      at += s.cap;
    }
    copyRun(from, runFrom, runEnd, to, runAt);
    this.buf = to;
    this.top = at;
  }

  /** Bytes in live spans (for tests and memory accounting). */
  bytesInUse(): number {
    return this.liveBytes;
  }
}

/** Copies from[start, end) to `to` at `at`: short runs byte by byte, long ones natively (a subarray each). */
function copyRun(from: Uint8Array, start: number, end: number, to: Uint8Array, at: number): void {
  if (end - start < 256) {
    for (let i = start; i < end; i++) to[at + i - start] = from[i];
  } else {
    to.set(from.subarray(start, end), at);
  }
}
