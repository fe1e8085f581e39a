/**
 * The write path: appends are committed in groups. Appends made while the store is busy join the next
 * group, so one WAL write and one fsync serve them all (group commit). Per group:
 *
 *   1. accept (synchronous, in arrival order): resolve each series (known, or new with an id of its
 *      own), check every sample against the series' last accepted timestamp, the retention horizon and
 *      the future bound, and write the accepted ones straight into the group's WAL records. A series'
 *      `lastT` advances here so later appends, in this group or the next, are checked against it.
 *   2. write the records and (fsync `always`) fsync them. Groups overlap here (storage.ts): the next
 *      group may be accepted and written while this fsync is in flight. On failure, step 1 is undone
 *      for this group and every later one, which all fail: nothing of theirs reaches memory.
 *   3. apply (synchronous, in group order, once durable): new series join the head, accepted samples go
 *      into the chunks; then every append of the group resolves. A sample is acknowledged only after it
 *      is in the WAL, per the fsync policy, exactly as before group commit.
 */
import { ChunkArena } from './chunk-arena';
import { LITTLE_ENDIAN } from './float-bits';
import { Head, MemSeries, SeriesRef } from './head';
import { Labels, seriesKey } from './labels';
import { encodeSeries, SamplesRecord } from './records';

/**
 * A batch in columns: series i's samples are `timestamps`/`values` [starts[i], starts[i + 1]).
 * A series is given by a handle from `Storage.lookup()` (the receiver's fast path) or by its labels.
 */
export interface AppendBatch {
  series: ReadonlyArray<SeriesRef | Labels>;
  /** Length series.length + 1, non-decreasing, last = timestamps.length. */
  starts: ArrayLike<number>;
  timestamps: Float64Array;
  /** Float64Array so NaN payloads (the stale marker) travel bit-exactly. */
  values: Float64Array;
}

export interface AppendOutcome {
  samplesWritten: number;
  rejectedOutOfOrder: number;
  rejectedTooOld: number;
  rejectedTooNew: number;
}

export interface AppendLimits {
  retentionMs: number;
  /** Out-of-order window; 0 rejects samples at or before a series' last one. */
  window: number;
  maxFutureMs: number;
}

/** What step 1 decided for one batch, for steps 2 and 3. */
export interface Accepted {
  /** The series of each batch entry; null for a new series none of whose samples was accepted. */
  series: Array<MemSeries | null>;
  /** Each entry's series' lastT before this entry's samples (to undo step 1, and for step 3). */
  prevLast: Float64Array;
  /** 1 for each accepted sample. */
  accepted: Uint8Array;
  outcome: AppendOutcome;
}

/**
 * What accepting has decided beyond what the head holds, shared by the groups in flight: a group may be
 * accepted before the previous one is applied, and must see its new series, ids and newest timestamp.
 */
export interface Accepting {
  nextId: number;
  /** Newest accepted timestamp (the retention horizon is measured from it). */
  storeMax: number;
  /** New series of groups not applied yet, by key. */
  unapplied: Map<string, MemSeries>;
}

export function newAccepting(head: Head): Accepting {
  return { nextId: head.nextId, storeMax: head.maxTime, unapplied: new Map() };
}

/** One group: its batches share a WAL write and an fsync. */
export interface Group {
  now: number;
  a: Accepting;
  /** `a.storeMax` before this group, to undo it. */
  prevStoreMax: number;
  /** Series new in this group, in creation order (they join the head in step 3). */
  created: MemSeries[];
  records: Buffer[];
}

export function newGroup(a: Accepting): Group {
  return { now: Date.now(), a, prevStoreMax: a.storeMax, created: [], records: [] };
}

/** Step 1 for one batch; appends its WAL records to `g.records`. */
export function accept(head: Head, limits: AppendLimits, g: Group, batch: AppendBatch): Accepted {
  const { starts, timestamps: ts } = batch;
  const n = batch.series.length;
  const series = new Array<MemSeries | null>(n);
  const prevLast = new Float64Array(n);
  const accepted = new Uint8Array(ts.length);
  // Signed halves: V8 keeps int32 values unboxed, uint32 ones above 2^31 not always.
  const vs32 = new Int32Array(batch.values.buffer, batch.values.byteOffset, 2 * batch.values.length);
  const hiAt = LITTLE_ENDIAN ? 1 : 0;
  const rec = new SamplesRecord(ts.length);
  const seriesRecords: Buffer[] = [];
  const out: AppendOutcome = { samplesWritten: 0, rejectedOutOfOrder: 0, rejectedTooOld: 0, rejectedTooNew: 0 };
  const newest = g.now + limits.maxFutureMs;
  const { window, retentionMs } = limits;
  let storeMax = g.a.storeMax;
  for (let k = 0; k < n; k++) {
    const entry = batch.series[k];
    let s: MemSeries | undefined;
    let key = '';
    let labels: Labels | undefined;
    if (entry instanceof MemSeries && entry.live) {
      s = entry;
    } else {
      labels = Array.isArray(entry) ? (entry as Labels) : (entry as SeriesRef).labels;
      key = seriesKey(labels);
      s = head.byKey.get(key) ?? g.a.unapplied.get(key);
    }
    const fresh = s === undefined;
    if (s === undefined) s = new MemSeries(g.a.nextId, labels as Labels, key);
    let last = s.lastT;
    prevLast[k] = last;
    let kept = 0;
    for (let i = starts[k]; i < starts[k + 1]; i++) {
      const t = ts[i];
      if (t > newest) {
        out.rejectedTooNew++;
        continue;
      }
      if (storeMax !== -Infinity && t < storeMax - retentionMs) {
        out.rejectedTooOld++;
        continue;
      }
      if (t <= last && (window <= 0 || t < last - window)) {
        out.rejectedOutOfOrder++;
        continue;
      }
      accepted[i] = 1;
      rec.add(s.id, t, vs32[2 * i + hiAt], vs32[2 * i + 1 - hiAt]);
      kept++;
      if (t > last) last = t;
      if (t > storeMax) storeMax = t;
    }
    s.lastT = last;
    out.samplesWritten += kept;
    if (fresh) {
      if (kept === 0) {
        series[k] = null;
        continue;
      }
      g.a.nextId++;
      g.a.unapplied.set(key, s);
      g.created.push(s);
      seriesRecords.push(encodeSeries(s.id, s.labels));
      // Seed the receiver's prediction (SeriesRef.next): the sender will send these in this order again.
      const prev = k > 0 ? series[k - 1] : null;
      if (prev !== null && prev.next === undefined) prev.next = s;
    }
    series[k] = s;
  }
  g.a.storeMax = storeMax;
  for (const r of seriesRecords) g.records.push(r);
  if (rec.count > 0) g.records.push(rec.seal());
  return { series, prevLast, accepted, outcome: out };
}

/** Undoes step 1 for a group (its WAL write or fsync failed); groups are undone newest first. */
export function undo(g: Group, work: readonly Accepted[]): void {
  for (let b = work.length - 1; b >= 0; b--) {
    const { series, prevLast } = work[b];
    for (let k = series.length - 1; k >= 0; k--) {
      const s = series[k];
      if (s !== null) s.lastT = prevLast[k];
    }
  }
  for (const s of g.created) g.a.unapplied.delete(s.key);
  g.a.storeMax = g.prevStoreMax;
}

/** Step 3: new series join the head, accepted samples go into the chunks. */
export function apply(head: Head, g: Group, batches: readonly AppendBatch[], work: readonly Accepted[]): void {
  for (const s of g.created) {
    head.add(s);
    g.a.unapplied.delete(s.key);
  }
  const arena: ChunkArena = head.arena;
  const hiAt = LITTLE_ENDIAN ? 1 : 0;
  let newest = -Infinity;
  for (let b = 0; b < batches.length; b++) {
    const { starts, timestamps: ts, values } = batches[b];
    const { series, prevLast, accepted } = work[b];
    const vs32 = new Uint32Array(values.buffer, values.byteOffset, 2 * values.length);
    const vsInt = new Int32Array(values.buffer, values.byteOffset, 2 * values.length);
    for (let k = 0; k < series.length; k++) {
      const s = series[k];
      if (s === null) continue;
      // Retention may have dropped an (empty) series while the WAL write was in flight.
      if (!s.live) head.add(s);
      let last = prevLast[k];
      for (let i = starts[k]; i < starts[k + 1]; i++) {
        if (accepted[i] === 0) continue;
        const t = ts[i];
        if (t > newest) newest = t;
        if (t > last) {
          s.appendInOrder(arena, ts, i, vsInt[2 * i + hiAt], vsInt[2 * i + 1 - hiAt]);
          last = t;
        } else {
          s.appendOutOfOrder(arena, t, vs32, i);
        }
      }
    }
  }
  if (newest > head.maxTime) head.maxTime = newest;
}
