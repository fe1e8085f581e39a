/**
 * Ingest benchmark: remote-write samples/s and memory per active series of Sluice's receiver, side by
 * side with Prometheus (`--web.enable-remote-write-receiver`) receiving the identical pre-encoded stream.
 *
 * Options: `--series 10000,100000` `--rounds 10` `--batch 2000` `--concurrency 4` `--no-never` (skip
 * the extra fsync=never row) `--receivers prometheus,sluice,sluice-never` `--out bench/results/ingest.json`.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

import { encodeV1, SenderSeries, sendRemoteWrite } from '../../backend/src/ingest/sender';
import { snappyCompress } from '../../backend/src/ingest/snappy';
import { PluginClients } from '../../backend/test/helpers/grpc';
import { labelsOf, METRICS, sampleValue } from './stream';

const ROOT = process.cwd();
const LAUNCHER = join(ROOT, 'dist/gpx_sluice_linux_amd64');
const PROMETHEUS = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
const RUN_TIMEOUT_MS = 240_000;
const SPACING_MS = 15_000;

function log(line = ''): void {
  process.stderr.write(line + '\n');
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const SERIES = arg('series', '10000,100000').split(',').map(Number);
const ROUNDS = Number(arg('rounds', '10'));
const BATCH = Number(arg('batch', '2000'));
const CONCURRENCY = Number(arg('concurrency', '4'));
const WITH_NEVER = !process.argv.includes('--no-never');
/** `--receivers sluice` runs only some receivers (e.g. to profile Sluice); the targets need both. */
const RECEIVERS = arg('receivers', 'prometheus,sluice,sluice-never').split(',');
const OUT = arg('out', 'bench/results/ingest.json');

// ---------------------------------------------------------------------------------------------------
// The stream

interface Request {
  body: Uint8Array;
  samples: number;
}

interface Stream {
  series: number;
  /**
   * rounds[r][shard] is the shard's requests of round r, in order. Like Prometheus' remote-write
   * shards, series are split over CONCURRENCY shards (series i goes to shard i % CONCURRENCY) and
   * each shard sends its own requests one after another, so a series' samples arrive in order.
   * Round 0 is the warm-up; rounds 1..ROUNDS are timed.
   */
  rounds: Request[][][];
  bytes: number;
  encodeMs: number;
}

function makeStream(n: number, base: number): Stream {
  const started = performance.now();
  const labels = Array.from({ length: n }, (_, i) => labelsOf(i));
  const shards = Array.from({ length: CONCURRENCY }, (_, k) =>
    labels.map((_, i) => i).filter((i) => i % CONCURRENCY === k)
  );
  const rounds: Request[][][] = [];
  let bytes = 0;
  for (let r = 0; r <= ROUNDS; r++) {
    const ts = base + r * SPACING_MS;
    rounds.push(
      shards.map((members) => {
        // Requests of at most BATCH series, of equal size.
        const count = Math.ceil(members.length / BATCH);
        const size = Math.ceil(members.length / count);
        const requests: Request[] = [];
        for (let start = 0; start < members.length; start += size) {
          const batch: SenderSeries[] = members.slice(start, start + size).map((i) => ({
            labels: labels[i],
            timestamps: [ts],
            values: [sampleValue(i, r)],
          }));
          const body = snappyCompress(encodeV1(batch));
          bytes += body.length;
          requests.push({ body, samples: batch.length });
        }
        return requests;
      })
    );
  }
  return { series: n, rounds, bytes, encodeMs: performance.now() - started };
}

// ---------------------------------------------------------------------------------------------------
// Processes

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Memory {
  rssBytes: number;
  hwmBytes: number;
}

function memoryOf(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rssBytes: kb('VmRSS'), hwmBytes: kb('VmHWM') };
}

function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function waitFor(what: string, proc: ChildProcess, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`${what}: process exited early`);
    try {
      if (await check()) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${what}: not ready after ${ms} ms`);
    await sleep(50);
  }
}

async function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

const live = new Set<ChildProcess>();
function killAll(): void {
  for (const p of live) {
    if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  }
}
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    killAll();
    process.exit(130);
  });
}

interface Receiver {
  name: string;
  pid: number;
  writeUrl: string;
  /** Series the receiver holds, or undefined when it cannot be asked. */
  countSeries(): Promise<number | undefined>;
  stop(): Promise<void>;
  stderrTail(): string;
}

function tail(text: string): string {
  return text.split('\n').slice(-15).join('\n');
}

async function startPrometheus(dir: string): Promise<Receiver> {
  const port = await freePort();
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, 'global:\n  scrape_interval: 15s\n');
  const proc = spawn(
    PROMETHEUS,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-remote-write-receiver',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] }
  );
  live.add(proc);
  let stderr = '';
  proc.stderr!.setEncoding('utf8').on('data', (t: string) => (stderr = (stderr + t).slice(-20_000)));
  const base = `http://127.0.0.1:${port}`;
  await waitFor('prometheus', proc, async () => (await httpGet(`${base}/-/ready`)).status === 200);
  return {
    name: 'prometheus',
    pid: proc.pid!,
    writeUrl: `${base}/api/v1/write`,
    async countSeries() {
      const q = encodeURIComponent('count({__name__=~".+"})');
      const res = await httpGet(`${base}/api/v1/query?query=${q}`);
      const parsed = JSON.parse(res.body) as { data?: { result?: Array<{ value: [number, string] }> } };
      return Number(parsed.data?.result?.[0]?.value[1] ?? 0);
    },
    stop: () => stop(proc),
    stderrTail: () => tail(stderr),
  };
}

async function startSluice(dir: string, fsync: 'always' | 'never'): Promise<Receiver> {
  const port = await freePort();
  const env: Record<string, string> = {
    grafana_plugin_type: 'datasource',
    GF_PLUGIN_DATA_DIR: join(dir, 'data'),
    GF_PLUGIN_INGEST_ADDRESS: `127.0.0.1:${port}`,
  };
  if (fsync !== 'always') env.GF_PLUGIN_FSYNC = fsync;
  // For profiling: e.g. GF_PLUGIN_NODE_FLAGS='--cpu-prof --cpu-prof-dir=/tmp/prof' npm run bench:ingest
  if (process.env.GF_PLUGIN_NODE_FLAGS) env.GF_PLUGIN_NODE_FLAGS = process.env.GF_PLUGIN_NODE_FLAGS;
  // Like Grafana: the cookie and our variables, nothing else (no PATH). The launcher execs node.
  const proc = spawn(LAUNCHER, [], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(proc);
  let stderr = '';
  let stdout = '';
  proc.stderr!.setEncoding('utf8').on('data', (t: string) => (stderr = (stderr + t).slice(-20_000)));
  proc.stdout!.setEncoding('utf8').on('data', (t: string) => (stdout += t));
  await waitFor('sluice handshake', proc, async () => stdout.includes('\n'));
  const handshake = stdout.slice(0, stdout.indexOf('\n')).split('|');
  if (handshake.length !== 5) throw new Error(`sluice: bad handshake ${JSON.stringify(stdout)}`);
  const target = handshake[2] === 'unix' ? `unix:${handshake[3]}` : handshake[3];
  const base = `http://127.0.0.1:${port}`;
  // The receiver is up when GET /api/v1/write answers (405: use POST).
  await waitFor('sluice receiver', proc, async () => (await httpGet(`${base}/api/v1/write`)).status === 405);
  const clients = new PluginClients(target);
  return {
    name: fsync === 'always' ? 'sluice' : 'sluice (fsync never)',
    pid: proc.pid!,
    writeUrl: `${base}/api/v1/write`,
    async countSeries() {
      const text = await clients.collectMetrics();
      const m = /^sluice_store_series(?:\{[^}]*\})?\s+(\S+)/m.exec(text);
      return m ? Number(m[1]) : undefined;
    },
    async stop() {
      clients.close();
      await stop(proc);
    },
    stderrTail: () => tail(stderr),
  };
}

// ---------------------------------------------------------------------------------------------------
// Sending

interface SendStats {
  requests: number;
  ok: number;
  failed: Record<string, number>;
  samplesAcked: number;
  wallMs: number;
  latenciesMs: number[];
  firstError?: string;
}

async function sendRounds(url: string, stream: Stream, rounds: number[]): Promise<SendStats> {
  const stats: SendStats = { requests: 0, ok: 0, failed: {}, samplesAcked: 0, wallMs: 0, latenciesMs: [] };
  const started = performance.now();
  // One sender per shard, CONCURRENCY requests in flight over keep-alive connections; a shard's next
  // request goes out when its previous one is answered (as Prometheus' shards do).
  const shard = async (k: number): Promise<void> => {
    for (const r of rounds) {
      for (const job of stream.rounds[r][k]) {
        const t0 = performance.now();
        let status = 0;
        try {
          const res = await sendRemoteWrite(url, job.body, { compressed: true });
          status = res.status;
          if ((status < 200 || status >= 300) && !stats.firstError) stats.firstError = `${status} ${res.body}`;
        } catch (err) {
          if (!stats.firstError) stats.firstError = String(err);
        }
        stats.latenciesMs.push(performance.now() - t0);
        stats.requests++;
        if (status >= 200 && status < 300) {
          stats.ok++;
          stats.samplesAcked += job.samples;
        } else {
          stats.failed[status] = (stats.failed[status] ?? 0) + 1;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, k) => shard(k)));
  stats.wallMs = performance.now() - started;
  return stats;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

// ---------------------------------------------------------------------------------------------------
// One run: fresh process, fresh data dir

interface RunResult {
  receiver: string;
  fsync?: string;
  series: number;
  samples: number;
  requests: number;
  ok: number;
  failed: Record<string, number>;
  firstError?: string;
  wallSeconds: number;
  samplesPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  warmupSeconds: number;
  idleRssBytes: number;
  rssAfterBytes: number;
  peakRssBytes: number;
  bytesPerSeries: number;
  /** Series the receiver holds after the run minus those it held before ingest. */
  seriesHeld?: number;
  seriesCheck: 'ok' | 'mismatch' | 'unavailable';
}

async function run(kind: 'prometheus' | 'sluice' | 'sluice-never', stream: Stream): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), `sluice-bench-${kind}-`));
  let receiver: Receiver | undefined;
  const timer = setTimeout(() => {
    log(`${kind} N=${stream.series}: over ${RUN_TIMEOUT_MS / 1000} s, giving up`);
    killAll();
    rmSync(dir, { recursive: true, force: true });
    process.exit(1);
  }, RUN_TIMEOUT_MS);
  try {
    receiver =
      kind === 'prometheus'
        ? await startPrometheus(dir)
        : await startSluice(dir, kind === 'sluice-never' ? 'never' : 'always');
    await sleep(1000);
    const idle = memoryOf(receiver.pid);
    // Sluice's store holds some series of its own before any ingest: the check counts on top of those.
    const seriesBefore = (await receiver.countSeries().catch(() => undefined)) ?? 0;

    const warm = await sendRounds(receiver.writeUrl, stream, [0]);
    if (warm.ok !== warm.requests) {
      throw new Error(`${receiver.name}: warm-up failed: ${warm.firstError}\n${receiver.stderrTail()}`);
    }
    const timed = Array.from({ length: ROUNDS }, (_, k) => k + 1);
    const stats = await sendRounds(receiver.writeUrl, stream, timed);
    await sleep(1000);
    const after = memoryOf(receiver.pid);
    let seriesHeld: number | undefined;
    try {
      const held = await receiver.countSeries();
      seriesHeld = held === undefined ? undefined : held - seriesBefore;
    } catch (err) {
      log(`${receiver.name}: could not count series: ${String(err)}`);
    }
    const samples = stream.rounds
      .slice(1)
      .flat(2)
      .reduce((a, q) => a + q.samples, 0);
    return {
      receiver: receiver.name.startsWith('sluice') ? 'sluice' : 'prometheus',
      ...(kind === 'prometheus' ? {} : { fsync: kind === 'sluice-never' ? 'never' : 'always' }),
      series: stream.series,
      samples,
      requests: stats.requests,
      ok: stats.ok,
      failed: stats.failed,
      ...(stats.firstError ? { firstError: stats.firstError } : {}),
      wallSeconds: stats.wallMs / 1000,
      samplesPerSecond: stats.samplesAcked / (stats.wallMs / 1000),
      latencyP50Ms: percentile(stats.latenciesMs, 50),
      latencyP99Ms: percentile(stats.latenciesMs, 99),
      warmupSeconds: warm.wallMs / 1000,
      idleRssBytes: idle.rssBytes,
      rssAfterBytes: after.rssBytes,
      peakRssBytes: after.hwmBytes,
      bytesPerSeries: (after.rssBytes - idle.rssBytes) / stream.series,
      ...(seriesHeld === undefined ? {} : { seriesHeld }),
      seriesCheck: seriesHeld === undefined ? 'unavailable' : seriesHeld === stream.series ? 'ok' : 'mismatch',
    };
  } finally {
    clearTimeout(timer);
    if (receiver) await receiver.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------

const MB = 1024 * 1024;
const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function table(results: RunResult[]): string {
  const head = [
    'receiver',
    'series',
    'samples/s',
    'p50 ms',
    'p99 ms',
    'idle RSS MB',
    'RSS after MB',
    'peak RSS MB',
    'bytes/series',
    '2xx',
    'series held',
  ];
  const rows = results.map((r) => [
    r.receiver + (r.fsync ? ` (fsync ${r.fsync})` : ''),
    fmt(r.series),
    fmt(r.samplesPerSecond),
    fmt(r.latencyP50Ms, 1),
    fmt(r.latencyP99Ms, 1),
    fmt(r.idleRssBytes / MB, 1),
    fmt(r.rssAfterBytes / MB, 1),
    fmt(r.peakRssBytes / MB, 1),
    fmt(r.bytesPerSeries),
    `${r.ok}/${r.requests}`,
    r.seriesHeld === undefined ? 'n/a' : fmt(r.seriesHeld),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]): string =>
    '| ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ') + ' |';
  const rule =
    '|' +
    widths.map((w, i) => (i === 0 ? ':' : '') + '-'.repeat(i === 0 ? w + 1 : w + 1) + (i === 0 ? '' : ':')).join('|') +
    '|';
  return [line(head), rule, ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  if (!existsSync(LAUNCHER)) throw new Error(`${LAUNCHER} is missing: run npm run build:backend`);
  if (!existsSync(PROMETHEUS)) throw new Error(`${PROMETHEUS} is missing (apt-get install prometheus)`);
  const prometheusVersion = execFileSync(PROMETHEUS, ['--version'], { encoding: 'utf8' }).split('\n')[0];
  // Recent timestamps (Prometheus rejects samples far behind its head), aligned to the spacing.
  const base = Math.floor((Date.now() - (ROUNDS + 2) * SPACING_MS) / SPACING_MS) * SPACING_MS;

  const results: RunResult[] = [];
  const streams: Array<Omit<Stream, 'rounds'>> = [];
  for (const n of SERIES) {
    log(`encoding ${fmt(n)} series × ${ROUNDS + 1} rounds in requests of ${BATCH} series…`);
    const stream = makeStream(n, base);
    streams.push({ series: n, bytes: stream.bytes, encodeMs: stream.encodeMs });
    log(`  ${fmt(stream.bytes / MB, 1)} MB snappy in ${fmt(stream.encodeMs / 1000, 1)} s (not timed)`);
    const kinds = (['prometheus', 'sluice', 'sluice-never'] as const).filter(
      (k) => RECEIVERS.includes(k) && (k !== 'sluice-never' || WITH_NEVER)
    );
    for (const kind of kinds) {
      log(`  ${kind} N=${fmt(n)}…`);
      const r = await run(kind, stream);
      log(
        `    ${fmt(r.samplesPerSecond)} samples/s, ${fmt(r.bytesPerSeries)} B/series, ${r.ok}/${r.requests} 2xx, series held ${r.seriesHeld ?? 'n/a'}`
      );
      results.push(r);
    }
  }

  const targets = SERIES.flatMap((n) => {
    const prom = results.find((r) => r.series === n && r.receiver === 'prometheus');
    const sluice = results.find((r) => r.series === n && r.receiver === 'sluice' && r.fsync === 'always');
    if (prom === undefined || sluice === undefined) return [];
    const speedup = sluice.samplesPerSecond / prom.samplesPerSecond;
    const memoryRatio = sluice.bytesPerSeries / prom.bytesPerSeries;
    return [
      {
        series: n,
        speedup,
        memoryPerSeriesRatio: memoryRatio,
        ingestTargetMet: speedup >= 2,
        memoryTargetMet: memoryRatio <= 1,
      },
    ];
  });

  const report = {
    benchmark: 'ingest',
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      memoryBytes: totalmem(),
      node: process.version,
      prometheus: prometheusVersion,
    },
    stream: {
      protocol: 'remote write 1.0 (prometheus.WriteRequest, snappy), pre-encoded before timing',
      labelsPerSeries: 7,
      metricNames: METRICS.length,
      roundsTimed: ROUNDS,
      warmupRounds: 1,
      samplesPerSeriesPerRound: 1,
      spacingSeconds: SPACING_MS / 1000,
      seriesPerRequest: BATCH,
      concurrency: CONCURRENCY,
      streams,
    },
    notes: [
      'Sluice: dist/gpx_sluice_linux_amd64 started like Grafana does (cookie + GF_PLUGIN_DATA_DIR + GF_PLUGIN_INGEST_ADDRESS), default fsync policy "always" unless the row says otherwise; memory is of the node process the launcher execs.',
      'Prometheus: --web.enable-remote-write-receiver, empty scrape config, fresh TSDB dir.',
      'samples/s = samples acknowledged 2xx / wall time of the timed rounds; bytes/series = (RSS 1 s after the run - idle RSS before ingest) / series.',
      "Sluice primes V8's JIT when its receiver starts (backend/src/ingest/prime.ts: synthetic requests into a throwaway in-memory store), before the idle RSS is taken.",
    ],
    results,
    targets,
  };
  mkdirSync(dirname(resolve(ROOT, OUT)), { recursive: true });
  writeFileSync(resolve(ROOT, OUT), JSON.stringify(report, null, 2) + '\n');

  log('');
  log(table(results));
  log('');
  for (const t of targets) {
    log(
      `N=${fmt(t.series)}: Sluice/Prometheus ingest ${fmt(t.speedup, 2)}× (target ≥ 2×: ${t.ingestTargetMet ? 'met' : 'NOT met'}), ` +
        `memory per series ${fmt(t.memoryPerSeriesRatio, 2)}× (target ≤ 1×: ${t.memoryTargetMet ? 'met' : 'NOT met'})`
    );
  }
  log(`results: ${OUT}`);
}

main().catch((err: unknown) => {
  log(String(err instanceof Error ? (err.stack ?? err.message) : err));
  killAll();
  process.exitCode = 1;
});
