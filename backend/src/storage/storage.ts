import * as fs from 'node:fs';
import { join } from 'node:path';
import { AppendBatch, AppendLimits, AppendOutcome } from './append';
import { latestCheckpoint, readCheckpoint, writeCheckpoint } from './checkpoint';
import { GroupCommits } from './group-commits';
import { LITTLE_ENDIAN } from './float-bits';
import { Head, MemSeries, SeriesRef } from './head';
import { latin1, Labels, validateLabels } from './labels';
import { LabelMatcher } from './matchers';
import { decodePayload, REC_CHUNK, REC_SAMPLES, REC_SERIES } from './records';
import { NullWal, Wal, WalLike } from './wal';
import { chunkSampleCount, decodeChunk, sampleColumns } from './xor-decode';

export type { AppendBatch, AppendOutcome } from './append';
export type { SeriesRef } from './head';

export interface SeriesSamples {
  labels: Labels;
  timestamps: ArrayLike<number>;
  values: ArrayLike<number>;
}

export interface SeriesData {
  labels: Labels;
  timestamps: Float64Array;
  values: Float64Array;
}

export interface StorageOptions {
  dataDir: string;
  retentionMs?: number;
  fsync?: 'always' | 'interval' | 'never';
  fsyncIntervalMs?: number;
  outOfOrderWindowMs?: number;
  maxFutureMs?: number;
  walSegmentBytes?: number;
}

export interface Storage {
  append(batch: readonly SeriesSamples[]): Promise<AppendOutcome>;
  /** The same in columns, series given by labels or by handles from `lookup()`; the receiver's path. */
  appendBatch(batch: AppendBatch): Promise<AppendOutcome>;
  /**
   * The series whose seriesKey() is `key`, if the store has it. The receiver passes a request's raw
   * label bytes (as latin1) and so skips decoding and validating labels it has seen before.
   */
  lookup(key: string): SeriesRef | undefined;
  /**
   * The same for a key given as bytes, buf[start, end) (remote write 1.0 label fields). `guess`, the
   * series the caller expects, is compared first, natively and without building the key string.
   */
  lookupBytes(buf: Buffer, start: number, end: number, guess?: SeriesRef): SeriesRef | undefined;
  select(matchers: readonly LabelMatcher[], mint: number, maxt: number): Iterable<SeriesData>;
  labelNames(matchers?: readonly LabelMatcher[]): string[];
  labelValues(name: string, matchers?: readonly LabelMatcher[]): string[];
  stats(): { series: number; samples: number; walBytes: number; chunks: number };
  checkpoint(): Promise<void>;
  applyRetention(now?: number): void;
  close(): Promise<void>;
}

const DAY = 24 * 3600 * 1000;
const SLAB_SAMPLES = 1 << 16;
const MAX_ABS_T = 2 ** 52;

export class StorageClosedError extends Error {}

class TsdbStorage implements Storage {
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly limits: AppendLimits;
  private readonly commits: GroupCommits;

  constructor(
    private readonly opts: StorageOptions,
    private readonly head: Head,
    private readonly wal: WalLike
  ) {
    this.limits = {
      retentionMs: opts.retentionMs ?? 15 * DAY,
      window: opts.outOfOrderWindowMs ?? 0,
      maxFutureMs: opts.maxFutureMs ?? 10 * 60 * 1000,
    };
    const fsync = opts.fsync ?? 'always';
    this.commits = new GroupCommits(head, wal, this.limits, fsync === 'always');
    if (fsync === 'interval') {
      this.timer = setInterval(() => this.wal.sync().catch(() => undefined), opts.fsyncIntervalMs ?? 1000);
      this.timer.unref();
    }
  }

  lookup(key: string): SeriesRef | undefined {
    return this.head.byKey.get(key);
  }

  lookupBytes(buf: Buffer, start: number, end: number, guess?: SeriesRef): SeriesRef | undefined {
    if (guess instanceof MemSeries && guess.live && this.head.matches(guess, buf, start, end)) return guess;
    return this.head.byKey.get(latin1(buf, start, end));
  }

  append(batch: readonly SeriesSamples[]): Promise<AppendOutcome> {
    const starts = new Uint32Array(batch.length + 1);
    for (let i = 0; i < batch.length; i++) {
      const s = batch[i];
      if (s.timestamps.length !== s.values.length) throw new RangeError('timestamps and values differ in length');
      starts[i + 1] = starts[i] + s.timestamps.length;
    }
    const timestamps = new Float64Array(starts[batch.length]);
    const values = new Float64Array(starts[batch.length]);
    for (let i = 0; i < batch.length; i++) {
      const s = batch[i];
      const at = starts[i];
      for (let j = 0; j < s.timestamps.length; j++) timestamps[at + j] = s.timestamps[j];
      // A typed-array copy keeps NaN payloads; element by element only for plain arrays.
      if (s.values instanceof Float64Array) values.set(s.values, at);
      else for (let j = 0; j < s.values.length; j++) values[at + j] = s.values[j];
    }
    return this.appendBatch({ series: batch.map((s) => s.labels), starts, timestamps, values });
  }

  appendBatch(batch: AppendBatch): Promise<AppendOutcome> {
    if (this.closed) return Promise.reject(new StorageClosedError('storage is closed'));
    // validate everything before queuing: a bad batch throws and nothing is applied
    const { series, starts, timestamps } = batch;
    if (starts.length !== series.length + 1 || starts[0] !== 0 || starts[series.length] !== timestamps.length) {
      throw new RangeError('starts do not match series and timestamps');
    }
    if (batch.values.length !== timestamps.length) throw new RangeError('timestamps and values differ in length');
    for (let k = 0; k < series.length; k++) {
      if (starts[k + 1] < starts[k]) throw new RangeError('starts must not decrease');
      const entry = series[k];
      if (!(entry instanceof MemSeries)) {
        validateLabels(Array.isArray(entry) ? (entry as Labels) : (entry as SeriesRef).labels);
      }
    }
    for (let i = 0; i < timestamps.length; i++) {
      const t = timestamps[i];
      if (!Number.isInteger(t) || Math.abs(t) >= MAX_ABS_T) throw new RangeError(`invalid timestamp ${t}`);
    }
    return this.commits.submit(batch);
  }

  *select(matchers: readonly LabelMatcher[], mint: number, maxt: number): Iterable<SeriesData> {
    const series = this.head.sortByLabels(this.head.postings.select(matchers));
    // Series share columns of up to SLAB_SAMPLES (views are handed out): a typed array per series cost
    // more to allocate than decoding its samples. Each series is sized and decoded when its turn
    // comes, so appends in between are no harm, and a consumer going series by series holds one slab.
    let out = sampleColumns(0);
    for (const s of series) {
      if (s.maxTime < mint || s.minTime > maxt) continue;
      const room = s.countIn(mint, maxt);
      if (out.n + room > out.ts.length) out = sampleColumns(Math.max(room, SLAB_SAMPLES));
      const start = out.n;
      s.read(mint, maxt, out);
      if (out.n === start) continue;
      yield { labels: s.labels, timestamps: out.ts.subarray(start, out.n), values: out.vs.subarray(start, out.n) };
    }
  }

  labelNames(matchers?: readonly LabelMatcher[]): string[] {
    if (matchers === undefined || matchers.length === 0) return this.head.postings.labelNames();
    const names = new Set<string>();
    for (const id of this.head.postings.select(matchers)) {
      for (const l of this.head.byId.get(id)?.labels ?? []) names.add(l.name);
    }
    return Array.from(names).sort();
  }

  labelValues(name: string, matchers?: readonly LabelMatcher[]): string[] {
    if (matchers === undefined || matchers.length === 0) return this.head.postings.labelValues(name);
    const values = new Set<string>();
    for (const id of this.head.postings.select(matchers)) {
      const l = this.head.byId.get(id)?.labels.find((x) => x.name === name);
      if (l !== undefined && l.value !== '') values.add(l.value);
    }
    return Array.from(values).sort();
  }

  stats(): { series: number; samples: number; walBytes: number; chunks: number } {
    let samples = 0;
    let chunks = 0;
    for (const s of this.head.byId.values()) {
      samples += s.sampleCount();
      chunks += s.chunkCount();
    }
    return { series: this.head.byId.size, samples, walBytes: this.wal.bytes(), chunks };
  }

  checkpoint(): Promise<void> {
    if (this.wal instanceof NullWal) return Promise.resolve();
    // The head must hold every group written to the segments the checkpoint replaces.
    return this.commits.exclusively(() => {
      const segment = this.wal.rotate();
      writeCheckpoint(this.opts.dataDir, this.head, segment);
      this.wal.truncateUpTo(segment);
    });
  }

  applyRetention(now = Date.now()): void {
    const cutoff = now - this.limits.retentionMs;
    for (const s of Array.from(this.head.byId.values())) {
      s.dropBefore(cutoff);
      if (s.sampleCount() === 0) this.head.remove(s);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.commits.flush(); // appends made before close still commit
    await this.commits.exclusively(() => this.wal.close());
  }
}

const ONE_T = new Float64Array(1);

/** Replays one sample (the WAL holds only accepted ones). */
function replaySample(head: Head, s: MemSeries, t: number, vs32: Uint32Array, i: number): void {
  if (t > s.lastT) {
    ONE_T[0] = t;
    s.appendInOrder(head.arena, ONE_T, 0, vs32[2 * i + (LITTLE_ENDIAN ? 1 : 0)], vs32[2 * i + (LITTLE_ENDIAN ? 0 : 1)]);
    s.lastT = t;
  } else {
    s.appendOutOfOrder(head.arena, t, vs32, i);
  }
  if (t > head.maxTime) head.maxTime = t;
}

/**
 * A store in memory only, with no files and no durability, running the real code paths: the receiver
 * primes V8's JIT on one at start (see ingest/prime.ts). Tests pass a WAL of their own (fsync `always`).
 */
export function openScratchStorage(wal: WalLike = new NullWal()): Storage {
  return new TsdbStorage({ dataDir: '', fsync: wal instanceof NullWal ? 'never' : 'always' }, new Head(), wal);
}

/** Opens (creating if needed) a store in `options.dataDir`, replaying the latest checkpoint and the WAL. */
export async function openStorage(options: StorageOptions): Promise<Storage> {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const head = new Head();
  const cp = latestCheckpoint(options.dataDir);
  // A label set dropped by retention and created again has two ids in the log (the checkpoint's and a
  // newer one); samples under the newer id belong to the series the first one created.
  const alias = new Map<number, MemSeries>();
  const onPayload = (p: Buffer): void => {
    const rec = decodePayload(p);
    if (rec.type === REC_SERIES) {
      const s = head.create(rec.labels, rec.id);
      if (s.id !== rec.id) alias.set(rec.id, s);
    } else if (rec.type === REC_SAMPLES) {
      const one = new Float64Array(1);
      const one32 = new Uint32Array(one.buffer);
      for (let i = 0; i < rec.ids.length; i++) {
        const s = head.byId.get(rec.ids[i]) ?? alias.get(rec.ids[i]);
        if (s === undefined) continue; // series dropped before a checkpoint
        one32[LITTLE_ENDIAN ? 1 : 0] = rec.his[i];
        one32[LITTLE_ENDIAN ? 0 : 1] = rec.los[i];
        replaySample(head, s, rec.ts[i], one32, 0);
      }
    } else if (rec.type === REC_CHUNK) {
      const s = head.byId.get(rec.id) ?? alias.get(rec.id);
      if (s === undefined) return;
      const samples = sampleColumns(chunkSampleCount(rec.bytes));
      decodeChunk(rec.bytes, samples, -Infinity, Infinity);
      const { ts, vs32 } = samples;
      for (let i = 0; i < samples.n; i++) {
        const t = ts[i];
        if (t > s.lastT) {
          s.appendInOrder(
            head.arena,
            ts,
            i,
            vs32[2 * i + (LITTLE_ENDIAN ? 1 : 0)],
            vs32[2 * i + (LITTLE_ENDIAN ? 0 : 1)]
          );
          s.lastT = t;
        }
        if (t > head.maxTime) head.maxTime = t;
      }
    }
  };
  if (cp !== undefined) for (const p of readCheckpoint(cp.path)) onPayload(p);
  const wal = Wal.open(
    join(options.dataDir, 'wal'),
    options.walSegmentBytes ?? 64 * 1024 * 1024,
    cp?.segment ?? 0,
    onPayload
  );
  return new TsdbStorage(options, head, wal);
}
