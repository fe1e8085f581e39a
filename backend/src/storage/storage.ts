import * as fs from 'node:fs';
import { join } from 'node:path';
import { latestCheckpoint, readCheckpoint, writeCheckpoint } from './checkpoint';
import { Head, MemSeries } from './head';
import { copyLabels, Labels, validateLabels } from './labels';
import { LabelMatcher } from './matchers';
import { decodePayload, encodeSamples, encodeSeries, REC_CHUNK, REC_SAMPLES, REC_SERIES } from './records';
import { Wal } from './wal';
import { XorIterator } from './xor-chunk';

export interface SeriesSamples {
  labels: Labels;
  timestamps: ArrayLike<number>;
  values: ArrayLike<number>;
}

export interface AppendOutcome {
  samplesWritten: number;
  rejectedOutOfOrder: number;
  rejectedTooOld: number;
  rejectedTooNew: number;
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
  select(matchers: readonly LabelMatcher[], mint: number, maxt: number): Iterable<SeriesData>;
  labelNames(matchers?: readonly LabelMatcher[]): string[];
  labelValues(name: string, matchers?: readonly LabelMatcher[]): string[];
  stats(): { series: number; samples: number; walBytes: number; chunks: number };
  checkpoint(): Promise<void>;
  applyRetention(now?: number): void;
  close(): Promise<void>;
}

const DAY = 24 * 3600 * 1000;
const MAX_ABS_T = 2 ** 52;

export class StorageClosedError extends Error {}

class TsdbStorage implements Storage {
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly retentionMs: number;
  private readonly window: number;
  private readonly maxFutureMs: number;
  private readonly fsyncMode: 'always' | 'interval' | 'never';

  constructor(
    private readonly opts: StorageOptions,
    private readonly head: Head,
    private readonly wal: Wal
  ) {
    this.retentionMs = opts.retentionMs ?? 15 * DAY;
    this.window = opts.outOfOrderWindowMs ?? 0;
    this.maxFutureMs = opts.maxFutureMs ?? 10 * 60 * 1000;
    this.fsyncMode = opts.fsync ?? 'always';
    if (this.fsyncMode === 'interval') {
      this.timer = setInterval(() => {
        this.serial(() => this.wal.sync()).catch(() => undefined);
      }, opts.fsyncIntervalMs ?? 1000);
      this.timer.unref();
    }
  }

  /** Runs `fn` after every earlier queued operation (appends and checkpoints are serialised). */
  private serial<T>(fn: () => Promise<T> | T): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  append(batch: readonly SeriesSamples[]): Promise<AppendOutcome> {
    if (this.closed) return Promise.reject(new StorageClosedError('storage is closed'));
    // validate everything before queuing: a bad batch throws and nothing is applied
    for (const s of batch) {
      validateLabels(s.labels);
      if (s.timestamps.length !== s.values.length) throw new RangeError('timestamps and values differ in length');
      for (let i = 0; i < s.timestamps.length; i++) {
        const t = s.timestamps[i];
        if (!Number.isInteger(t) || Math.abs(t) >= MAX_ABS_T) throw new RangeError(`invalid timestamp ${t}`);
      }
    }
    return this.serial(() => this.doAppend(batch));
  }

  private async doAppend(batch: readonly SeriesSamples[]): Promise<AppendOutcome> {
    const out: AppendOutcome = { samplesWritten: 0, rejectedOutOfOrder: 0, rejectedTooOld: 0, rejectedTooNew: 0 };
    const now = Date.now();
    const newest = now + this.maxFutureMs;
    let total = 0;
    for (const s of batch) total += s.timestamps.length;
    const ids = new Uint32Array(total);
    const ts = new Float64Array(total);
    const vs = new Float64Array(total);
    const vs32 = new Uint32Array(vs.buffer);
    const newSeries: { id: number; labels: Labels }[] = [];
    const pendingLast = new Map<number, number>();
    const pendingNew = new Map<string, number>();
    let storeMax = this.head.maxTime;
    let nextId = this.head.nextId;
    let n = 0;
    for (const s of batch) {
      const existing = this.head.get(s.labels);
      let id: number;
      let last: number;
      if (existing !== undefined) {
        id = existing.id;
        last = pendingLast.get(id) ?? existing.lastT;
      } else {
        const key = JSON.stringify(s.labels.map((l) => [l.name, l.value]));
        const known = pendingNew.get(key);
        if (known !== undefined) {
          id = known;
        } else {
          id = nextId++;
          pendingNew.set(key, id);
          newSeries.push({ id, labels: copyLabels(s.labels) });
        }
        last = pendingLast.get(id) ?? -Infinity;
      }
      for (let i = 0; i < s.timestamps.length; i++) {
        const t = s.timestamps[i];
        if (t > newest) {
          out.rejectedTooNew++;
          continue;
        }
        if (storeMax !== -Infinity && t < storeMax - this.retentionMs) {
          out.rejectedTooOld++;
          continue;
        }
        if (t <= last && (this.window <= 0 || t < last - this.window)) {
          out.rejectedOutOfOrder++;
          continue;
        }
        ids[n] = id;
        ts[n] = t;
        vs[n] = s.values[i];
        n++;
        if (t > last) last = t;
        if (t > storeMax) storeMax = t;
      }
      pendingLast.set(id, last);
    }
    out.samplesWritten = n;
    if (n === 0) return out;
    const records: Buffer[] = [];
    for (const ns of newSeries) records.push(encodeSeries(ns.id, ns.labels));
    records.push(encodeSamples(ids, ts, vs32, n));
    this.wal.write(records);
    if (this.fsyncMode === 'always') await this.wal.sync();
    // durable: apply to memory
    for (const ns of newSeries) this.head.create(ns.labels, ns.id);
    for (let i = 0; i < n; i++) {
      const s = this.head.byId.get(ids[i]) as MemSeries;
      applySample(this.head, s, ts[i], vs32, i);
    }
    return out;
  }

  *select(matchers: readonly LabelMatcher[], mint: number, maxt: number): Iterable<SeriesData> {
    const series = this.head.sortByLabels(this.head.postings.select(matchers));
    for (const s of series) {
      if (s.maxTime < mint || s.minTime > maxt) continue;
      const buf = s.read(mint, maxt);
      if (buf.n === 0) continue;
      yield { labels: s.labels, timestamps: buf.ts.slice(0, buf.n), values: buf.vs.slice(0, buf.n) };
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
    return this.serial(() => {
      const segment = this.wal.rotate();
      writeCheckpoint(this.opts.dataDir, this.head, segment);
      this.wal.truncateUpTo(segment);
    });
  }

  applyRetention(now = Date.now()): void {
    const cutoff = now - this.retentionMs;
    for (const s of Array.from(this.head.byId.values())) {
      s.dropBefore(cutoff);
      if (s.sampleCount() === 0) this.head.remove(s);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.serial(() => this.wal.close());
  }
}

function applySample(head: Head, s: MemSeries, t: number, vs32: Uint32Array, i: number): void {
  if (t > s.lastT) {
    const little = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
    s.appendInOrder(t, little ? vs32[2 * i + 1] : vs32[2 * i], little ? vs32[2 * i] : vs32[2 * i + 1]);
  } else {
    s.appendOutOfOrder(t, vs32, i);
  }
  if (t > head.maxTime) head.maxTime = t;
}

/** Opens (creating if needed) a store in `options.dataDir`, replaying the latest checkpoint and the WAL. */
export async function openStorage(options: StorageOptions): Promise<Storage> {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const head = new Head();
  const cp = latestCheckpoint(options.dataDir);
  const onPayload = (p: Buffer): void => {
    const rec = decodePayload(p);
    if (rec.type === REC_SERIES) {
      head.create(copyLabels(rec.labels), rec.id);
    } else if (rec.type === REC_SAMPLES) {
      const one = new Float64Array(1);
      const one32 = new Uint32Array(one.buffer);
      const little = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
      for (let i = 0; i < rec.ids.length; i++) {
        const s = head.byId.get(rec.ids[i]);
        if (s === undefined) continue; // series dropped before a checkpoint
        one32[little ? 1 : 0] = rec.his[i];
        one32[little ? 0 : 1] = rec.los[i];
        applySample(head, s, rec.ts[i], one32, 0);
      }
    } else if (rec.type === REC_CHUNK) {
      const s = head.byId.get(rec.id);
      if (s === undefined) return;
      const it = new XorIterator(rec.bytes);
      while (it.next()) {
        if (it.t > s.lastT) s.appendInOrder(it.t, it.hi, it.lo);
        if (it.t > head.maxTime) head.maxTime = it.t;
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
