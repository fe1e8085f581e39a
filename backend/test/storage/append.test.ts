/** The store's write path: columnar batches, series handles, group commit, undo, replay. */
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { encodeV1 } from '../../src/ingest/sender';
import { accept, apply, newAccepting, newGroup, undo } from '../../src/storage/append';
import { Head } from '../../src/storage/head';
import {
  latin1,
  Labels,
  openScratchStorage,
  openStorage,
  SeriesRef,
  seriesKey,
  STALE_NAN,
  Storage,
  WalLike,
} from '../../src/storage';

const T0 = Date.now() - 3600_000;
const L = (o: Record<string, string>): Labels =>
  Object.keys(o)
    .sort()
    .map((name) => ({ name, value: o[name] }));

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(join(tmpdir(), 'sluice-append-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function samples(s: Storage, labels: Labels): number[] {
  const got = Array.from(s.select([], -Infinity, Infinity)).find((d) => seriesKey(d.labels) === seriesKey(labels));
  return got === undefined ? [] : Array.from(got.timestamps);
}

describe('seriesKey', () => {
  it('is the label fields exactly as remote write 1.0 encodes them', () => {
    const labels = L({ __name__: 'up', city: 'Zürich 🌡', long: 'v'.repeat(300) });
    const wire = Buffer.from(
      encodeV1([{ labels: labels.map((l) => [l.name, l.value]), timestamps: [1], values: [1] }])
    );
    expect(wire.includes(Buffer.from(seriesKey(labels), 'latin1'))).toBe(true);
    // WriteRequest tag, length (2 bytes), TimeSeries: the labels come first
    expect(wire.subarray(3, 3 + seriesKey(labels).length).equals(Buffer.from(seriesKey(labels), 'latin1'))).toBe(true);
  });

  it('can never equal request bytes for a label set with an empty value', () => {
    expect(seriesKey(L({ a: '' })).charCodeAt(0)).toBe(0);
  });
});

describe('appendBatch and handles', () => {
  it('appends by labels and by handle; lookupBytes confirms a guess without the map', async () => {
    const s = await openStorage({ dataDir: dir, fsync: 'never' });
    const a = L({ __name__: 'a' });
    const b = L({ __name__: 'b' });
    await s.appendBatch({
      series: [a, b],
      starts: [0, 1, 2],
      timestamps: Float64Array.of(T0, T0),
      values: Float64Array.of(1, 2),
    });
    const ka = Buffer.from(seriesKey(a), 'latin1');
    const ra = s.lookupBytes(ka, 0, ka.length) as SeriesRef;
    const rb = s.lookup(seriesKey(b)) as SeriesRef;
    expect(ra.labels).toEqual(a);
    expect(s.lookupBytes(ka, 0, ka.length, ra)).toBe(ra);
    expect(s.lookupBytes(ka, 0, ka.length, rb)).toBe(ra); // wrong guess: found anyway
    expect(s.lookup(latin1(Buffer.from('nope'), 0, 4))).toBeUndefined();
    const values = new Float64Array([3, 0]);
    values[1] = STALE_NAN;
    const o = await s.appendBatch({
      series: [ra, rb],
      starts: [0, 1, 2],
      timestamps: Float64Array.of(T0 + 1, T0),
      values,
    });
    expect(o).toEqual({ samplesWritten: 1, rejectedOutOfOrder: 1, rejectedTooOld: 0, rejectedTooNew: 0 });
    expect(samples(s, a)).toEqual([T0, T0 + 1]);
    await s.close();
  });

  it('commits concurrent appends together, checked in order against each other', async () => {
    const s = await openStorage({ dataDir: dir });
    const m = L({ __name__: 'm' });
    const one = (t: number) => s.append([{ labels: m, timestamps: [t], values: [t] }]);
    const outcomes = await Promise.all([one(T0 + 10), one(T0 + 5), one(T0 + 20), one(T0 + 20)]);
    expect(outcomes.map((o) => o.samplesWritten)).toEqual([1, 0, 1, 0]);
    expect(samples(s, m)).toEqual([T0 + 10, T0 + 20]);
    await s.close();
    const again = await openStorage({ dataDir: dir });
    expect(samples(again, m)).toEqual([T0 + 10, T0 + 20]);
    await again.close();
  });

  it('re-creates a series that retention dropped while a request held its handle', async () => {
    const s = await openStorage({ dataDir: dir, fsync: 'never', retentionMs: 1000 });
    const m = L({ __name__: 'm' });
    await s.append([{ labels: m, timestamps: [T0], values: [1] }]);
    const ref = s.lookup(seriesKey(m)) as SeriesRef;
    s.applyRetention(T0 + 10_000);
    expect(s.stats().series).toBe(0);
    await s.appendBatch({
      series: [ref],
      starts: [0, 1],
      timestamps: Float64Array.of(T0 + 1),
      values: Float64Array.of(2),
    });
    expect(samples(s, m)).toEqual([T0 + 1]);
    expect(s.lookup(seriesKey(m))).not.toBe(ref);
    await s.close();
  });

  it('replays samples of a series created again after retention (two ids for one label set)', async () => {
    let s = await openStorage({ dataDir: dir, retentionMs: 1000 });
    const m = L({ __name__: 'm' });
    await s.append([{ labels: m, timestamps: [T0], values: [1] }]);
    await s.checkpoint();
    s.applyRetention(T0 + 10_000);
    await s.append([{ labels: m, timestamps: [T0 + 5000], values: [2] }]);
    await s.close();
    s = await openStorage({ dataDir: dir, retentionMs: 1000 });
    expect(samples(s, m)).toEqual([T0, T0 + 5000]);
    await s.close();
  });
});

describe('undo', () => {
  it('puts every series back when the WAL write fails', () => {
    const head = new Head();
    const limits = { retentionMs: Infinity, window: 0, maxFutureMs: 600_000 };
    const batch = (series: Labels[] | SeriesRef[], t: number) => ({
      series,
      starts: Uint32Array.from({ length: series.length + 1 }, (_, i) => i),
      timestamps: new Float64Array(series.length).fill(t),
      values: new Float64Array(series.length).fill(1),
    });
    const labels = [L({ a: '1' }), L({ a: '2' })];
    const a = newAccepting(head);
    const g = newGroup(a);
    const first = batch(labels, T0);
    apply(head, g, [first], [accept(head, limits, g, first)]);
    const refs = labels.map((l) => head.byKey.get(seriesKey(l)) as SeriesRef);
    const failed = newGroup(a);
    const work = [
      accept(head, limits, failed, batch(refs, T0 + 1)),
      accept(head, limits, failed, batch([L({ a: '3' })], T0)),
    ];
    expect(failed.records.length).toBeGreaterThan(0);
    expect(a.unapplied.size).toBe(1);
    undo(failed, work);
    expect(labels.map((l) => head.byKey.get(seriesKey(l))?.lastT)).toEqual([T0, T0]);
    expect(head.byKey.size).toBe(2);
    expect(a.unapplied.size).toBe(0);
    const retry = newGroup(a);
    const again = batch(refs, T0 + 1);
    const w = accept(head, limits, retry, again);
    expect(w.outcome.samplesWritten).toBe(2);
  });
});

describe('overlapping group commits', () => {
  /** A WAL whose fsyncs the test completes or fails, one by one. */
  class ManualWal implements WalLike {
    writes = 0;
    syncs: Array<{ resolve(): void; reject(err: Error): void }> = [];
    write(): void {
      this.writes++;
    }
    sync(): Promise<void> {
      return new Promise((resolve, reject) => this.syncs.push({ resolve, reject }));
    }
    rotate(): number {
      return 0;
    }
    truncateUpTo(): void {}
    close(): void {}
    bytes(): number {
      return 0;
    }
  }
  const tick = () => new Promise((resolve) => setImmediate(resolve));
  const m = L({ __name__: 'm' });
  const one = (s: Storage, t: number) => s.append([{ labels: m, timestamps: [t], values: [t] }]);

  it('applies groups in order once a later fsync covers an earlier one', async () => {
    const wal = new ManualWal();
    const s = openScratchStorage(wal);
    const done: number[] = [];
    const a = one(s, T0).then(() => done.push(1));
    await tick();
    const n = L({ __name__: 'n' });
    const b = s
      .append([
        { labels: m, timestamps: [T0 + 1], values: [1] },
        { labels: n, timestamps: [T0], values: [1] },
      ])
      .then(() => done.push(2));
    await tick();
    expect(wal.writes).toBe(2); // the second group did not wait for the first fsync
    expect(samples(s, m)).toEqual([]); // nothing in memory before it is durable
    wal.syncs[1].resolve();
    await Promise.all([a, b]);
    expect(done).toEqual([1, 2]);
    // m, new in the first group, is the same series in the second; n got an id of its own
    expect(samples(s, m)).toEqual([T0, T0 + 1]);
    expect(samples(s, n)).toEqual([T0]);
    expect(s.stats().series).toBe(2);
    wal.syncs[0].resolve();
  });

  it('fails a group whose fsync fails, and every later one; the store goes on', async () => {
    const wal = new ManualWal();
    const s = openScratchStorage(wal);
    const a = one(s, T0);
    await tick();
    const b = one(s, T0 + 1);
    await tick();
    wal.syncs[0].reject(new Error('EIO'));
    await expect(a).rejects.toThrow('EIO');
    await expect(b).rejects.toThrow('EIO');
    wal.syncs[1].resolve(); // too late: nothing changes
    expect(samples(s, m)).toEqual([]);
    const c = one(s, T0); // T0 is accepted again: the failed groups were undone
    await tick();
    wal.syncs[2].resolve();
    expect(await c).toMatchObject({ samplesWritten: 1 });
    expect(samples(s, m)).toEqual([T0]);
  });
});
