import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isStaleMarker, Labels, openStorage, parseMatcher, SeriesData, STALE_NAN, Storage } from '../../src/storage';

const T0 = Date.now() - 3600_000;
const L = (o: Record<string, string>): Labels =>
  Object.keys(o)
    .sort()
    .map((name) => ({ name, value: o[name] }));

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(join(tmpdir(), 'sluice-storage-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function all(s: Storage, mint = -Infinity, maxt = Infinity): SeriesData[] {
  return Array.from(s.select([], mint, maxt));
}

async function fill(s: Storage, series: number, samples: number): Promise<void> {
  for (let i = 0; i < samples; i++) {
    await s.append(
      Array.from({ length: series }, (_, k) => ({
        labels: L({ __name__: 'm', k: String(k) }),
        timestamps: [T0 + i * 1000],
        values: new Float64Array([i + k]),
      }))
    );
  }
}

describe('storage', () => {
  it('selects sorted series within a time range, and answers label queries', async () => {
    const s = await openStorage({ dataDir: dir, fsync: 'never' });
    await s.append([
      { labels: L({ __name__: 'up', job: 'b' }), timestamps: [T0, T0 + 10, T0 + 20], values: [1, 2, 3] },
      { labels: L({ __name__: 'up', job: 'a', env: 'x' }), timestamps: [T0], values: [5] },
      { labels: L({ __name__: 'down' }), timestamps: [T0], values: [7] },
    ]);
    const up = Array.from(s.select([parseMatcher('=', '__name__', 'up')], T0 + 5, T0 + 20));
    expect(up.map((d) => d.labels.map((l) => l.value).join(','))).toEqual(['up,b']);
    expect(Array.from(up[0].timestamps)).toEqual([T0 + 10, T0 + 20]);
    expect(all(s).map((d) => d.labels[0].value)).toEqual(['down', 'up', 'up']);
    expect(all(s)[1].labels.find((l) => l.name === 'env')?.value).toBe('x');
    expect(s.labelNames()).toEqual(['__name__', 'env', 'job']);
    expect(s.labelNames([parseMatcher('=', '__name__', 'down')])).toEqual(['__name__']);
    expect(s.labelValues('job')).toEqual(['a', 'b']);
    expect(s.labelValues('job', [parseMatcher('=', 'env', '')])).toEqual(['b']);
    expect(s.stats()).toMatchObject({ series: 3, samples: 5, chunks: 3 });
    await s.close();
  });

  it('counts out-of-order, too-new and too-old samples; accepts within the window', async () => {
    const s = await openStorage({ dataDir: dir, fsync: 'never', retentionMs: 100_000 });
    const labels = L({ a: '1' });
    let o = await s.append([{ labels, timestamps: [T0, T0 + 10, T0 + 5, T0 + 10], values: [1, 2, 3, 4] }]);
    expect(o).toEqual({ samplesWritten: 2, rejectedOutOfOrder: 2, rejectedTooOld: 0, rejectedTooNew: 0 });
    o = await s.append([{ labels, timestamps: [Date.now() + 3600_000, T0 - 200_000], values: [1, 2] }]);
    expect(o).toEqual({ samplesWritten: 0, rejectedOutOfOrder: 0, rejectedTooOld: 1, rejectedTooNew: 1 });
    await s.close();

    const d2 = join(dir, 'w');
    const w = await openStorage({ dataDir: d2, fsync: 'never', outOfOrderWindowMs: 100 });
    o = await w.append([{ labels, timestamps: [T0 + 1000, T0 + 950, T0 + 800, T0 + 1001], values: [1, 2, 3, 4] }]);
    expect(o).toEqual({ samplesWritten: 3, rejectedOutOfOrder: 1, rejectedTooOld: 0, rejectedTooNew: 0 });
    expect(Array.from(all(w)[0].timestamps)).toEqual([T0 + 950, T0 + 1000, T0 + 1001]);
    // enough out-of-order samples to force a merge into the chunks
    const ts = Array.from({ length: 300 }, (_, i) => T0 + 2000 + i * 2);
    await w.append([
      { labels, timestamps: ts.filter((_, i) => i % 2 === 1), values: ts.filter((_, i) => i % 2 === 1) },
    ]);
    await w.append([
      { labels, timestamps: ts.filter((_, i) => i % 2 === 0), values: ts.filter((_, i) => i % 2 === 0) },
    ]);
    const got = all(w, T0 + 2000, Infinity)[0];
    expect(Array.from(got.timestamps)).toEqual(ts.filter((t) => t - ts[ts.length - 1] >= -100 || (t - T0) % 4 === 2));
    await w.close();
  });

  it('replays everything on restart, stale markers bit-exact', async () => {
    let s = await openStorage({ dataDir: dir, walSegmentBytes: 4096 });
    await fill(s, 20, 50);
    const vs = new Float64Array([1, 0]);
    vs[1] = STALE_NAN;
    await s.append([{ labels: L({ stale: 'y' }), timestamps: [T0, T0 + 1], values: vs }]);
    const before = all(s);
    await s.close();
    expect(fs.readdirSync(join(dir, 'wal')).length).toBeGreaterThan(2);
    s = await openStorage({ dataDir: dir });
    expect(all(s)).toEqual(before);
    const st = all(s, -Infinity, Infinity).find((d) => d.labels[0].name === 'stale') as SeriesData;
    expect(isStaleMarker(st.values[1])).toBe(true);
    expect(isStaleMarker(st.values[0])).toBe(false);
    await s.close();
  });

  it('checkpoint + truncation keeps data; appends after it replay too', async () => {
    let s = await openStorage({ dataDir: dir, walSegmentBytes: 4096, outOfOrderWindowMs: 10_000 });
    await fill(s, 10, 150);
    await s.append([{ labels: L({ __name__: 'm', k: '0' }), timestamps: [T0 + 148_500], values: [42] }]); // ooo buffer
    const walBefore = s.stats().walBytes;
    await s.checkpoint();
    expect(s.stats().walBytes).toBeLessThan(walBefore);
    await s.append([{ labels: L({ __name__: 'm', k: 'new' }), timestamps: [T0], values: [1] }]);
    const before = all(s);
    await s.close();
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('checkpoint.'))).toHaveLength(1);
    s = await openStorage({ dataDir: dir });
    expect(all(s)).toEqual(before);
    expect(s.stats().samples).toBe(10 * 150 + 2);
    await s.close();
  });

  it('retention drops whole old chunks and empty series', async () => {
    const s = await openStorage({ dataDir: dir, fsync: 'never', retentionMs: 1_000_000 });
    const ts = Array.from({ length: 240 }, (_, i) => T0 + i * 1000);
    await s.append([{ labels: L({ a: 'long' }), timestamps: ts, values: ts }]);
    await s.append([{ labels: L({ a: 'short' }), timestamps: [T0], values: [1] }]);
    s.applyRetention(T0 + 1_000_000 + 125_000);
    const d = all(s);
    expect(d).toHaveLength(1);
    expect(d[0].timestamps[0]).toBe(T0 + 120_000);
    expect(d[0].timestamps.length).toBe(120);
    expect(s.labelValues('a')).toEqual(['long']);
    await s.close();
  });

  it('tolerates a torn WAL tail', async () => {
    let s = await openStorage({ dataDir: dir });
    await fill(s, 3, 10);
    await s.close();
    const segs = fs.readdirSync(join(dir, 'wal')).sort();
    const last = join(dir, 'wal', segs.filter((f) => fs.statSync(join(dir, 'wal', f)).size > 0).pop() as string);
    const size = fs.statSync(last).size;
    fs.truncateSync(last, size - 7); // cut the last record in half
    fs.appendFileSync(join(dir, 'wal', segs[segs.length - 1]), Buffer.from([0, 0, 0, 9, 1, 2]));
    s = await openStorage({ dataDir: dir });
    const d = all(s);
    expect(d.map((x) => x.timestamps.length)).toEqual([9, 9, 9]);
    await s.append([{ labels: L({ z: '1' }), timestamps: [T0], values: [1] }]);
    await s.close();
    s = await openStorage({ dataDir: dir });
    expect(all(s)).toHaveLength(4);
    await s.close();
  });
});
