/**
 * Real senders into the real backend process (`dist/gpx_sluice_linux_amd64`, WAL on disk):
 *
 * - Debian's Prometheus 2.42 (apt `prometheus`) scrapes itself every second and remote-writes for
 *   about 10 s; then a config reload drops the scrape job (same remote_write, so the queue is kept and
 *   the end-of-run stale markers are sent too), and once its queue is empty Prometheus' own TSDB and
 *   the Sluice store must hold the same series with the same samples, exactly.
 * - Debian's vmagent 1.79 (apt `victoria-metrics`) scrapes a fixed target served by this test for a
 *   known number of scrapes, and its own /metrics, and remote-writes both: every target series arrives
 *   with every sample (exact values, scrape timestamps), and each self-scrape arrives complete.
 *
 * Skipped when a binary is missing, unless REQUIRE_PROMETHEUS=1 (CI) turns that into a failure.
 * PROMETHEUS_BIN and VMAGENT_BIN override /usr/bin/prometheus and /usr/bin/vmagent.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { counter } from '../helpers/metrics';
import { freePort } from '../helpers/plugin';
import { killAll, spawnTracked, TrackedProcess } from '../helpers/process';
import {
  getResource,
  metricValues,
  seriesKey,
  startStore,
  StoreProcess,
  storedSamples,
  storeSettings,
} from '../helpers/store';
import { sleep, waitUntil } from '../helpers/wait';

const prometheusBin = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
const vmagentBin = process.env.VMAGENT_BIN ?? '/usr/bin/vmagent';
const missing = [prometheusBin, vmagentBin].filter((bin) => !existsSync(bin));
if (missing.length > 0 && process.env.REQUIRE_PROMETHEUS === '1') {
  throw new Error(
    `REQUIRE_PROMETHEUS=1 but ${missing.join(' and ')} missing (apt-get install prometheus victoria-metrics)`
  );
}

jest.setTimeout(90_000);

let dir: string;
let store: StoreProcess | undefined;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-senders-'));
  store = await startStore(join(dir, 'sluice'));
});

afterEach(async () => {
  store?.clients.close();
  store = undefined;
  await killAll();
  rmSync(dir, { recursive: true, force: true });
});

async function getText(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`GET ${url}: ${response.status} ${text}`);
  }
  return text;
}

/** Prometheus' sample value strings: Go's shortest round-trip form, or NaN / ±Inf. */
function promValue(text: string): number {
  return text === '+Inf' ? Infinity : text === '-Inf' ? -Infinity : Number(text);
}

/** Waits until `read` gives the same number `quietMs` long (and at least once more than 0). */
async function waitQuiet(read: () => Promise<number>, quietMs: number, timeoutMs: number): Promise<boolean> {
  let last = -1;
  let since = Date.now();
  return waitUntil(
    async () => {
      const now = await read();
      if (now !== last) {
        last = now;
        since = Date.now();
        return false;
      }
      return now > 0 && Date.now() - since >= quietMs;
    },
    timeoutMs,
    250
  );
}

function sameSamples(
  a: { timestamps: number[]; values: number[] },
  b: { timestamps: number[]; values: number[] }
): boolean {
  return (
    a.timestamps.length === b.timestamps.length &&
    a.timestamps.every((t, i) => t === b.timestamps[i] && Object.is(a.values[i], b.values[i]))
  );
}

(missing.includes(prometheusBin) ? test.skip : test)(
  'Prometheus 2.42 scraping itself: its own TSDB and the Sluice store hold the same series and samples',
  async () => {
    const started = Date.now();
    const port = await freePort();
    const promUrl = `http://127.0.0.1:${port}`;
    const config = (scrape: boolean) =>
      [
        'global: { scrape_interval: 1s, evaluation_interval: 1s }',
        scrape
          ? `scrape_configs: [{ job_name: self, static_configs: [{ targets: ['127.0.0.1:${port}'] }] }]`
          : 'scrape_configs: []',
        'remote_write:',
        `  - url: ${store!.writeUrl}`,
        '    queue_config: { batch_send_deadline: 500ms, min_backoff: 100ms, max_backoff: 1s }',
        '',
      ].join('\n');
    const configFile = join(dir, 'prometheus.yml');
    writeFileSync(configFile, config(true));
    const prom: TrackedProcess = spawnTracked(
      prometheusBin,
      [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${join(dir, 'prometheus')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { PATH: process.env.PATH ?? '' }
    );
    const clients = store!.clients;
    const far = () => Date.now() + 3_600_000;
    const firstUp = await waitUntil(
      async () => (await storedSamples(clients, 'up{job="self"}', started - 60_000, far())).size > 0,
      20_000,
      200
    );
    if (!firstUp) {
      throw new Error(`no up{job="self"} from Prometheus in 20 s\nstderr:\n${prom.stderr}`);
    }
    await sleep(10_000);

    // Stop scraping but keep Prometheus (and its unchanged remote-write queue) running.
    writeFileSync(configFile, config(false));
    prom.child.kill('SIGHUP');
    const reloaded = await waitUntil(
      () => (prom.stderr.match(/Completed loading of configuration file/g) ?? []).length >= 2,
      10_000
    );
    expect(reloaded).toBe(true);
    // End-of-run stale markers come about two intervals later; then the queue drains.
    await sleep(3_000);
    const quiet = await waitQuiet(async () => Number((await storeSettings(clients)).samples), 3_000, 30_000);
    expect(quiet).toBe(true);
    const promMetrics = await getText(`${promUrl}/metrics`);
    expect(counter(promMetrics, 'prometheus_remote_storage_samples_pending')).toBe(0);
    for (const name of [
      'prometheus_remote_storage_samples_failed_total',
      'prometheus_remote_storage_samples_dropped_total',
    ]) {
      expect(metricValues(promMetrics, name).reduce((n, m) => n + m.value, 0)).toBe(0);
    }

    // Everything Prometheus stored, raw, over a window that covers the whole run.
    const now = Date.now();
    const rangeSeconds = Math.ceil((now - started) / 1000) + 60;
    const query = `{__name__=~".+"}[${rangeSeconds}s]`;
    const body = JSON.parse(
      await getText(`${promUrl}/api/v1/query?query=${encodeURIComponent(query)}&time=${now / 1000}`)
    ) as {
      status: string;
      data: { resultType: string; result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> };
    };
    expect(body.data.resultType).toBe('matrix');
    const fromProm = new Map(
      body.data.result.map((r) => [
        seriesKey(r.metric),
        {
          labels: r.metric,
          timestamps: r.values.map(([t]) => Math.round(t * 1000)),
          values: r.values.map(([, v]) => promValue(v)),
        },
      ])
    );
    const fromSluice = await storedSamples(clients, '{__name__=~".+"}', now - rangeSeconds * 1000, now);

    expect(fromProm.size).toBeGreaterThan(100);
    expect([...fromSluice.keys()].sort()).toEqual([...fromProm.keys()].sort());
    const differing = [...fromProm].filter(([key, p]) => !sameSamples(p, fromSluice.get(key)!));
    expect(differing.map(([key, p]) => ({ key, prometheus: p, sluice: fromSluice.get(key) })).slice(0, 3)).toEqual([]);
    const samples = [...fromProm.values()].reduce((n, s) => n + s.timestamps.length, 0);
    const upCount = fromProm.get(seriesKey({ __name__: 'up', instance: `127.0.0.1:${port}`, job: 'self' }))!.timestamps
      .length;
    expect(upCount).toBeGreaterThanOrEqual(9);

    // The metadata resource agrees with Prometheus' /api/v1/series.
    const match = encodeURIComponent('{job="self"}');
    const promSeries = JSON.parse(await getText(`${promUrl}/api/v1/series?match[]=${match}`)) as {
      data: Array<Record<string, string>>;
    };
    const sluiceSeries = await getResource(clients, 'series', `/series?match[]=${match}`);
    expect(sluiceSeries.code).toBe(200);
    const keys = (list: Array<Record<string, string>>) => list.map(seriesKey).sort();
    expect(keys(sluiceSeries.body.data as Array<Record<string, string>>)).toEqual(keys(promSeries.data));

    // Prometheus sends valid requests only: every one answered 204.
    const sluiceMetrics = await clients.collectMetrics();
    expect(counter(sluiceMetrics, 'sluice_ingest_requests_total', { status: '204' })).toBeGreaterThan(5);
    expect(
      metricValues(sluiceMetrics, 'sluice_ingest_requests_total').filter((m) => !m.labels.includes('"204"'))
    ).toEqual([]);

    prom.child.kill('SIGTERM');
    const exit = await prom.exited;
    expect(exit.code).toBe(0);
    console.log(
      `senders/prometheus: ${fromProm.size} series, ${samples} samples (${upCount} scrapes) identical; ` +
        `${((Date.now() - started) / 1000).toFixed(1)} s`
    );
  }
);

/** A fixed exposition: the test knows every series and value a scrape yields. */
const FIXED: Array<[string, Record<string, string>, number]> = [
  ...Array.from({ length: 40 }, (_, i): [string, Record<string, string>, number] => [
    'fixed_gauge',
    { i: String(i).padStart(2, '0') },
    i * 1.5 - 7,
  ]),
  ['fixed_counter_total', { path: '/api/v1/write', quote: 'say "hi"\\ok' }, 123456789012],
  ['fixed_hist_bucket', { le: '0.1' }, 1],
  ['fixed_hist_bucket', { le: '+Inf' }, 3],
  ['fixed_hist_sum', {}, 0.3000000000000001],
  ['fixed_hist_count', {}, 3],
  ['fixed_inf', {}, Infinity],
  ['fixed_tiny', {}, 5e-324],
];

function exposition(): string {
  const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  const format = (v: number) => (v === Infinity ? '+Inf' : String(v));
  return (
    FIXED.map(([name, labels, value]) => {
      const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escape(v)}"`);
      return `${name}${pairs.length ? `{${pairs.join(',')}}` : ''} ${format(value)}`;
    }).join('\n') + '\n'
  );
}

(missing.includes(vmagentBin) ? test.skip : test)(
  'vmagent 1.79 remote-writes every sample of a fixed target and complete scrapes of its own /metrics',
  async () => {
    const started = Date.now();
    const SCRAPES = 5;
    let served = 0;
    const target: Server = createServer((_req, res) => {
      if (served < SCRAPES) {
        served++;
        res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' }).end(exposition());
      } else {
        // The target goes away: vmagent records up=0 and ends the series with stale markers.
        res.writeHead(503).end('gone');
      }
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    try {
      const targetAddress = `127.0.0.1:${(target.address() as { port: number }).port}`;
      const port = await freePort();
      const configFile = join(dir, 'vmagent.yml');
      writeFileSync(
        configFile,
        [
          'scrape_configs:',
          `  - { job_name: fixed, scrape_interval: 1s, static_configs: [{ targets: ['${targetAddress}'] }] }`,
          `  - { job_name: vmagent, scrape_interval: 1s, static_configs: [{ targets: ['127.0.0.1:${port}'] }] }`,
          '',
        ].join('\n')
      );
      const vmagent = spawnTracked(
        vmagentBin,
        [
          `-promscrape.config=${configFile}`,
          `-remoteWrite.url=${store!.writeUrl}`,
          `-remoteWrite.tmpDataPath=${join(dir, 'vmagent-data')}`,
          '-remoteWrite.flushInterval=200ms',
          `-httpListenAddr=127.0.0.1:${port}`,
          '-loggerLevel=INFO',
        ],
        { PATH: process.env.PATH ?? '' }
      );
      const clients = store!.clients;
      const far = () => Date.now() + 3_600_000;
      const upSeries = async () =>
        [...(await storedSamples(clients, 'up{job="fixed"}', started - 60_000, far())).values()][0];
      const done = await waitUntil(
        async () => {
          const up = await upSeries();
          return served >= SCRAPES && up !== undefined && up.values.includes(0);
        },
        30_000,
        250
      );
      if (!done) {
        throw new Error(`vmagent did not deliver ${SCRAPES} scrapes and an up=0 (served ${served})\n${vmagent.stderr}`);
      }
      // vmagent keeps writing up=0 for the gone target; the target's own series must stop growing.
      const targetSamples = async () =>
        [
          ...(
            await storedSamples(clients, '{job="fixed", __name__!~"up|scrape_.+"}', started - 60_000, far())
          ).values(),
        ].reduce((n, s) => n + s.timestamps.length, 0);
      const quiet = await waitQuiet(targetSamples, 2_000, 20_000);
      expect(quiet).toBe(true);

      const up = (await upSeries())!;
      const okScrapes = up.timestamps.filter((_, i) => up.values[i] === 1);
      expect(okScrapes).toHaveLength(SCRAPES);

      const stored = await storedSamples(clients, '{job="fixed"}', started - 60_000, far());
      const scraped = FIXED.map(([name, labels, value]) => ({
        key: seriesKey({ __name__: name, ...labels, instance: targetAddress, job: 'fixed' }),
        value,
      }));
      // vmagent adds up and scrape_* series of its own; the rest must be exactly the target's series.
      const fromTarget = [...stored.keys()].filter((key) => !/^__name__="(up|scrape_[a-z_]+)",/.test(key));
      expect(fromTarget.sort()).toEqual(scraped.map((s) => s.key).sort());
      for (const { key, value } of scraped) {
        const series = stored.get(key)!;
        // One sample per successful scrape, at the scrape's timestamp, with the exact value.
        expect({ key, timestamps: series.timestamps, values: series.values }).toEqual({
          key,
          timestamps: okScrapes,
          values: okScrapes.map(() => value),
        });
      }
      // vmagent also scrapes its own /metrics (hundreds of series that change between scrapes): each
      // delivered scrape must be complete, as many samples at its timestamp as vmagent says it scraped.
      const queriedAt = Date.now();
      const self = await storedSamples(clients, '{job="vmagent"}', started - 60_000, far());
      const perScrape = new Map<number, number>();
      let scrapes: Array<[number, number]> = [];
      for (const [key, series] of self) {
        if (key.startsWith('__name__="scrape_samples_post_metric_relabeling",')) {
          // Leave out the newest scrapes: they may still be on their way.
          scrapes = series.timestamps
            .map((t, i): [number, number] => [t, series.values[i]])
            .filter(([t]) => t < queriedAt - 2_000);
        } else if (!/^__name__="(up|scrape_[a-z_]+)",/.test(key)) {
          series.timestamps.forEach((t) => perScrape.set(t, (perScrape.get(t) ?? 0) + 1));
        }
      }
      expect(scrapes.length).toBeGreaterThanOrEqual(3);
      expect(scrapes.map(([t]) => [t, perScrape.get(t)])).toEqual(scrapes);
      expect(Math.min(...scrapes.map(([, n]) => n))).toBeGreaterThan(100);

      // vmagent's own view (1.79 counts status classes): 2XX only, no errors, retries or drops.
      const vmMetrics = await getText(`http://127.0.0.1:${port}/metrics`);
      const sum = (name: string) => metricValues(vmMetrics, name).reduce((n, r) => n + r.value, 0);
      const requests = metricValues(vmMetrics, 'vmagent_remotewrite_requests_total');
      expect(
        requests.filter((r) => r.labels.includes('status_code="2XX"')).reduce((n, r) => n + r.value, 0)
      ).toBeGreaterThan(0);
      expect(requests.filter((r) => !r.labels.includes('status_code="2XX"'))).toEqual([]);
      expect({
        errors: sum('vmagent_remotewrite_errors_total'),
        retries: sum('vmagent_remotewrite_retries_count_total'),
        dropped: sum('vmagent_remotewrite_packets_dropped_total'),
      }).toEqual({ errors: 0, retries: 0, dropped: 0 });
      // And the receiver's: every request answered 204.
      const sluiceMetrics = await clients.collectMetrics();
      expect(counter(sluiceMetrics, 'sluice_ingest_requests_total', { status: '204' })).toBeGreaterThan(0);
      expect(
        metricValues(sluiceMetrics, 'sluice_ingest_requests_total').filter((m) => !m.labels.includes('"204"'))
      ).toEqual([]);

      vmagent.child.kill('SIGTERM');
      await vmagent.exited;
      console.log(
        `senders/vmagent: ${scraped.length} target series × ${SCRAPES} scrapes identical, ` +
          `${scrapes.length} self-scrapes complete (${self.size} series); ` +
          `${((Date.now() - started) / 1000).toFixed(1)} s`
      );
    } finally {
      await new Promise((resolve) => target.close(resolve));
    }
  }
);
