import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PromQLEngine, QueryError, type QueryResult } from '../../src/engine';
import { openStorage, STALE_NAN, type Storage } from '../../src/storage';

const MIN = 60_000;

function labels(obj: Record<string, string>) {
  return Object.keys(obj)
    .sort()
    .map((name) => ({ name, value: obj[name] }));
}

/** One sample per minute from t=0: `values[i]` at i minutes (undefined = no sample). */
function series(obj: Record<string, string>, values: (number | 'stale' | undefined)[]) {
  const present = values.flatMap((v, i) => (v === undefined ? [] : [i]));
  // straight into a Float64Array: JS arrays may canonicalise the stale-marker NaN
  const vs = new Float64Array(present.length);
  present.forEach((i, j) => {
    const v = values[i];
    vs[j] = v === 'stale' ? STALE_NAN : (v as number);
  });
  return { labels: labels(obj), timestamps: present.map((i) => i * MIN), values: vs };
}

function vector(r: QueryResult): Record<string, number> {
  if (r.resultType !== 'vector') throw new Error(`expected a vector, got ${r.resultType}`);
  const out: Record<string, number> = {};
  for (const s of r.samples) out[s.labels.map((l) => `${l.name}=${l.value}`).join(',')] = s.v;
  return out;
}

describe('PromQLEngine over a real store', () => {
  let dir: string;
  let store: Storage;
  let engine: PromQLEngine;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-engine-'));
    store = await openStorage({ dataDir: dir, fsync: 'never', maxFutureMs: Number.MAX_SAFE_INTEGER });
    const counter = (n: number, step: number) => Array.from({ length: n }, (_, i) => i * step);
    await store.append([
      series({ __name__: 'http_requests_total', job: 'api', instance: 'a' }, counter(11, 60)),
      series({ __name__: 'http_requests_total', job: 'api', instance: 'b' }, counter(11, 120)),
      series({ __name__: 'http_requests_total', job: 'db', instance: 'c' }, counter(11, 30)),
      series({ __name__: 'gauge', job: 'x' }, [1, 2, 3, 'stale', undefined, undefined, 7]),
    ]);
    engine = new PromQLEngine(store);
  });

  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('selects the newest sample within the lookback window and hides stale series', async () => {
    expect(vector(await engine.instantQuery('gauge', 2 * MIN))).toEqual({ '__name__=gauge,job=x': 3 });
    expect(vector(await engine.instantQuery('gauge', 3 * MIN))).toEqual({});
    expect(vector(await engine.instantQuery('gauge', 6 * MIN + 30_000))).toEqual({ '__name__=gauge,job=x': 7 });
    expect(vector(await engine.instantQuery('gauge offset 4m', 6 * MIN))).toEqual({ '__name__=gauge,job=x': 3 });
  });

  it('computes rate over a range and drops the metric name', async () => {
    const r = vector(await engine.instantQuery('rate(http_requests_total{job="api"}[5m])', 10 * MIN));
    expect(r).toEqual({ 'instance=a,job=api': 1, 'instance=b,job=api': 2 });
  });

  it('streams a range query series by series, sorted by labels, with progress', async () => {
    const progress: number[] = [];
    const stream = await engine.streamRangeQuery('http_requests_total', 0, 10 * MIN, MIN, {
      onProgress: (p) => progress.push(p.seriesDone),
    });
    const names: string[] = [];
    for await (const s of stream.series) {
      names.push(s.labels.find((l) => l.name === 'instance')?.value ?? '');
      expect(s.timestamps).toHaveLength(11);
    }
    expect(names).toEqual(['a', 'b', 'c']);
    expect(progress[progress.length - 1]).toBe(3);
  });

  it('streams a series-local query shard by shard with the same result as the whole query', async () => {
    const sharded = new PromQLEngine(store, { shardSeries: 1 });
    const query = 'rate(http_requests_total[5m]) * 60';
    const whole = await sharded.rangeQuery(query, 5 * MIN, 10 * MIN, MIN);
    const totals: (number | null)[] = [];
    const stream = await sharded.streamRangeQuery(query, 5 * MIN, 10 * MIN, MIN, {
      onProgress: (p) => totals.push(p.seriesTotal),
    });
    const streamed = [];
    for await (const s of stream.series) {
      streamed.push(s);
      if (streamed.length === 1) {
        // the first series is out while the others are still unread
        expect(totals[totals.length - 1]).toBeNull();
      }
    }
    expect(whole.resultType === 'matrix' && whole.series).toEqual(streamed);
    expect(totals[totals.length - 1]).toBe(3);
  });

  it('rejects bad queries with bad_data and Prometheus-style messages', async () => {
    await expect(engine.instantQuery('sum(', 0)).rejects.toBeInstanceOf(QueryError);
    await expect(engine.rangeQuery('http_requests_total[5m]', 0, MIN, MIN)).rejects.toThrow(
      'invalid expression type "range vector" for range query, must be Scalar or instant Vector'
    );
  });

  it('cancels through the AbortSignal', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(engine.rangeQuery('http_requests_total', 0, 10 * MIN, 1000, { signal: ac.signal })).rejects.toThrow(
      'query was canceled'
    );
  });

  it('fails with the max-samples error instead of exhausting memory', async () => {
    const small = new PromQLEngine(store, { maxSamples: 10 });
    await expect(small.rangeQuery('http_requests_total', 0, 10 * MIN, MIN)).rejects.toThrow(
      'query processing would load too many samples into memory in query execution'
    );
  });
});
