import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_INTERVAL_MS, seedDemoData } from '../../src/datasource/demo-data';
import { openStorage, parseMatcher, Storage } from '../../src/storage';

let dir: string;
let storage: Storage;
const now = Date.UTC(2026, 10, 22, 12, 0, 7);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-demo-'));
  storage = await openStorage({ dataDir: dir, fsync: 'never' });
  expect(await seedDemoData(storage, now, 0.25)).toBe(storage.stats().samples);
});

afterAll(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

const select = (name: string, extra: [string, string][] = []) => [
  ...storage.select(
    [parseMatcher('=', '__name__', name), ...extra.map(([n, v]) => parseMatcher('=', n, v))],
    -Infinity,
    Infinity
  ),
];

test('node-exporter-like and HTTP series across several instances and jobs, 15 s apart up to now', () => {
  expect(storage.labelValues('job')).toEqual(['api', 'node']);
  expect(storage.labelValues('instance')).toHaveLength(7);
  expect(storage.stats().series).toBeGreaterThan(150);
  const cpu = select('node_cpu_seconds_total');
  expect(cpu).toHaveLength(32);
  const t = cpu[0].timestamps;
  expect(t.length).toBe((0.25 * 86_400_000) / DEMO_INTERVAL_MS);
  expect(t[t.length - 1]).toBe(Math.floor(now / DEMO_INTERVAL_MS) * DEMO_INTERVAL_MS);
  expect(t[1] - t[0]).toBe(DEMO_INTERVAL_MS);
});

test('counters only grow and classic histogram buckets are cumulative', () => {
  for (const series of [...select('http_requests_total'), ...select('node_network_receive_bytes_total')]) {
    for (let i = 1; i < series.values.length; i++) {
      expect(series.values[i]).toBeGreaterThanOrEqual(series.values[i - 1]);
    }
  }
  const base: [string, string][] = [
    ['instance', 'api-1:8080'],
    ['handler', '/api/users'],
  ];
  const buckets = select('http_request_duration_seconds_bucket', base);
  expect(buckets).toHaveLength(11);
  const last = (le: string) => {
    const series = buckets.find((s) => s.labels.some((l) => l.name === 'le' && l.value === le))!;
    return series.values[series.values.length - 1];
  };
  const order = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '+Inf'];
  for (let i = 1; i < order.length; i++) {
    expect(last(order[i])).toBeGreaterThanOrEqual(last(order[i - 1]));
  }
  const count = select('http_request_duration_seconds_count', base)[0];
  expect(last('+Inf')).toBe(count.values[count.values.length - 1]);
  expect(last('0.005')).toBeLessThan(last('+Inf'));
});
