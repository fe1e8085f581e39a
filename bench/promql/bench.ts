/**
 * PromQL benchmark: `query_range` latency of Sluice's engine (`serve-prometheus-api`) against Debian's
 * Prometheus 2.42 on the same data, same machine, same run.
 *
 * For each scale a deterministic data set (bench/promql/data.ts) is remote-written (1.0, the in-repo
 * sender) into a fresh Sluice and a fresh Prometheus, in time order, the identical request bodies to
 * both; once both hold every sample and have gone quiet, each query runs once on each to warm up
 * (those answers are compared), then `--reps` times alternating which server goes first; the median
 * wall time of the HTTP request (until the last body byte) is the latency.
 *
 * Options: `--scales 1000,10000` `--reps 5` `--min-reps 3` `--query-budget 30` (s) `--hours 6`
 * `--batch-series 250` `--batch-steps 20` `--concurrency 2` `--queries REGEX` (only matching queries)
 * `--fsync never` (Sluice's WAL policy) `--profile` (Sluice under node --cpu-prof; top frames per
 * query) `--cli dist/backend/cli.js` `--out bench/results/promql.json`.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

import { encodeV1, SenderSeries, sendRemoteWrite } from '../../backend/src/ingest/sender';
import { snappyCompress } from '../../backend/src/ingest/snappy';
import { compare, Comparison, parseAnswer, RELATIVE_TOLERANCE } from './compare';
import { monotonicUs, ProfileSummary, summarize } from './cpuprofile';
import { Dataset, generate, SERIES_PER_INSTANCE } from './data';
import { BENCH_QUERIES, QuerySpec } from './queries';
import { cpuMs, httpGet, otherLoad, rssBytes, Server, settle, startPrometheus, startSluice } from './procs';

const ROOT = process.cwd();
const PROMETHEUS = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
const STEP_MS = 15_000;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

function log(line = ''): void {
  process.stderr.write(line + '\n');
}

/** `--cli` runs another build of the CLI (e.g. a snapshot while dist/ is being rebuilt). */
const CLI = resolve(ROOT, arg('cli', 'dist/backend/cli.js'));
const flag = (name: string): boolean => process.argv.includes(`--${name}`);

const SCALES = arg('scales', '1000,10000').split(',').map(Number);
const REPS = Number(arg('reps', '5'));
/** After `--min-reps` runs, a query stops repeating once it has taken `--query-budget` seconds. */
const MIN_REPS = Math.min(REPS, Number(arg('min-reps', '3')));
const QUERY_BUDGET_MS = Number(arg('query-budget', '30')) * 1000;
const HOURS = Number(arg('hours', '6'));
const BATCH_SERIES = Number(arg('batch-series', '250'));
const BATCH_STEPS = Number(arg('batch-steps', '20'));
const CONCURRENCY = Number(arg('concurrency', '2'));
const FILTER = process.argv.includes('--queries') ? new RegExp(arg('queries', '')) : undefined;
const FSYNC = arg('fsync', 'never');
/** Extra serve-prometheus-api flags, e.g. `--sluice-args "--encode-threads 0"` to compare settings. */
const SLUICE_ARGS = arg('sluice-args', '')
  .split(' ')
  .filter((a) => a !== '');
const PROFILE = flag('profile');
/** A partial run (some queries, or profiled) does not overwrite the published results unless asked. */
const OUT = arg('out', FILTER || PROFILE ? join(tmpdir(), 'sluice-promql-partial.json') : 'bench/results/promql.json');

const QUERIES = BENCH_QUERIES.filter((q) => !FILTER || FILTER.test(q.expr));

// ---------------------------------------------------------------------------------------------------
// Ingest

interface IngestStats {
  requests: number;
  samples: number;
  bytes: number;
  encodeSeconds: number;
  /** Wall time per server of its share of each window (both servers receive concurrently). */
  seconds: Record<string, number>;
  failures: Record<string, number>;
  firstError: Record<string, string>;
}

/** The window's requests: BATCH_SERIES series × BATCH_STEPS steps each, snappy-compressed. */
function encodeWindow(data: Dataset, k0: number, k1: number): Array<{ body: Uint8Array; samples: number }> {
  const bodies: Array<{ body: Uint8Array; samples: number }> = [];
  for (let s0 = 0; s0 < data.series; s0 += BATCH_SERIES) {
    const batch: SenderSeries[] = [];
    for (let s = s0; s < Math.min(data.series, s0 + BATCH_SERIES); s++) {
      const timestamps = new Float64Array(k1 - k0);
      for (let k = k0; k < k1; k++) timestamps[k - k0] = data.t0 + k * data.stepMs + data.offsets[s];
      batch.push({
        labels: data.labels[s],
        timestamps,
        values: data.values.subarray(s * data.steps + k0, s * data.steps + k1),
      });
    }
    bodies.push({ body: snappyCompress(encodeV1(batch)), samples: batch.length * (k1 - k0) });
  }
  return bodies;
}

/**
 * Time order, as a live sender: window by window (BATCH_STEPS steps of every series), each window's
 * requests `CONCURRENCY` at a time per server; a server gets the next window when it has answered
 * the whole current one (Prometheus' head refuses samples more than an hour behind its newest).
 */
async function ingest(data: Dataset, servers: Server[]): Promise<IngestStats> {
  const stats: IngestStats = {
    requests: 0,
    samples: 0,
    bytes: 0,
    encodeSeconds: 0,
    seconds: Object.fromEntries(servers.map((s) => [s.name, 0])),
    failures: Object.fromEntries(servers.map((s) => [s.name, 0])),
    firstError: {},
  };
  const windows = Math.ceil(data.steps / BATCH_STEPS);
  let lastReport = performance.now();
  const started = performance.now();
  for (let w = 0; w < windows; w++) {
    const t0 = performance.now();
    const bodies = encodeWindow(data, w * BATCH_STEPS, Math.min(data.steps, (w + 1) * BATCH_STEPS));
    stats.encodeSeconds += (performance.now() - t0) / 1000;
    for (const b of bodies) {
      stats.requests++;
      stats.samples += b.samples;
      stats.bytes += b.body.length;
    }
    await Promise.all(
      servers.map(async (server) => {
        const s0 = performance.now();
        let next = 0;
        const worker = async (): Promise<void> => {
          while (next < bodies.length) {
            const { body } = bodies[next++];
            let failure: string | undefined;
            try {
              const res = await sendRemoteWrite(server.writeUrl, body, { compressed: true });
              if (res.status < 200 || res.status >= 300) failure = `${res.status} ${res.body.slice(0, 300)}`;
            } catch (err) {
              failure = String(err);
            }
            if (failure !== undefined) {
              stats.failures[server.name]++;
              stats.firstError[server.name] ??= failure;
            }
          }
        };
        await Promise.all(Array.from({ length: CONCURRENCY }, worker));
        stats.seconds[server.name] += (performance.now() - s0) / 1000;
      })
    );
    if (performance.now() - lastReport > 10_000 || w === windows - 1) {
      lastReport = performance.now();
      const done = Math.min(data.steps, (w + 1) * BATCH_STEPS) * data.series;
      log(
        `  ingest: ${fmt(done)} / ${fmt(data.series * data.steps)} samples, ${fmt((performance.now() - started) / 1000, 1)} s`
      );
    }
  }
  return stats;
}

// ---------------------------------------------------------------------------------------------------
// Queries

function rangeUrl(server: Server, expr: string, startMs: number, endMs: number): string {
  const q = new URLSearchParams({
    query: expr,
    start: String(startMs / 1000),
    end: String(endMs / 1000),
    step: String(STEP_MS / 1000),
  });
  return `${server.queryBase}/api/v1/query_range?${q}`;
}

async function instantValue(server: Server, expr: string, timeMs: number): Promise<number | undefined> {
  const q = new URLSearchParams({ query: expr, time: String(timeMs / 1000) });
  const res = await httpGet(`${server.queryBase}/api/v1/query?${q}`);
  const parsed = JSON.parse(res.body.toString('utf8')) as { data?: { result?: Array<{ value: [number, string] }> } };
  const v = parsed.data?.result?.[0]?.value[1];
  return v === undefined ? undefined : Number(v);
}

/** Samples of the given metrics in (t - range, t], or undefined when the server cannot say. */
async function countSamples(
  server: Server,
  names: string[],
  range: string,
  timeMs: number
): Promise<number | undefined> {
  let total = 0;
  for (const name of names) {
    const n = await instantValue(server, `sum(count_over_time(${name}[${range}]))`, timeMs).catch(() => undefined);
    if (n === undefined) return undefined;
    total += n;
  }
  return total;
}

interface Timed {
  ms: number;
  /** CPU time the server process used meanwhile (10 ms resolution). */
  cpuMs: number;
  status: number;
  body: Buffer;
}

async function timedQuery(
  url: string,
  pid: number,
  windows?: Array<[number, number]>,
  keepBody = true
): Promise<Timed> {
  const a = monotonicUs();
  const c0 = cpuMs(pid);
  const t0 = performance.now();
  const res = await httpGet(url, keepBody);
  const ms = performance.now() - t0;
  const cpu = cpuMs(pid) - c0;
  windows?.push([a, monotonicUs()]);
  return { ms, cpuMs: cpu, status: res.status, body: res.body };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

interface QueryResult {
  query: string;
  sluiceMs: number | null;
  prometheusMs: number | null;
  ratio: number | null;
  seriesSluice: number;
  seriesPrometheus: number;
  pointsSluice: number;
  pointsPrometheus: number;
  responseBytesSluice: number;
  responseBytesPrometheus: number;
  match: boolean;
  matchDetail: string;
  comparison?: Comparison;
  errorSluice?: string;
  errorPrometheus?: string;
  sluiceRunsMs: number[];
  prometheusRunsMs: number[];
  /** Median CPU time of the server process per run (less sensitive than wall time to a busy machine). */
  sluiceCpuMs: number | null;
  prometheusCpuMs: number | null;
  sluiceWarmupMs: number;
  prometheusWarmupMs: number;
  /** CPU used by other processes on the machine while this query was measured (% of one core). */
  otherCpuPct: number;
  profile?: ProfileSummary;
}

type Checked = Pick<
  QueryResult,
  | 'seriesSluice'
  | 'seriesPrometheus'
  | 'pointsSluice'
  | 'pointsPrometheus'
  | 'responseBytesSluice'
  | 'responseBytesPrometheus'
  | 'match'
  | 'matchDetail'
  | 'comparison'
  | 'errorSluice'
  | 'errorPrometheus'
> & { okSluice: boolean; okPrometheus: boolean };

/** Parses and compares the warm-up answers; only the summary survives (the parsed answers can be large). */
function checkAnswers(spec: QuerySpec, warmS: Timed, warmP: Timed): Checked {
  const answerS = parseAnswer(warmS.status, warmS.body);
  const answerP = parseAnswer(warmP.status, warmP.body);
  const bothOk = answerS.ok && answerP.ok;
  const comparison = bothOk
    ? compare(answerS, answerP, {
        tieAware: spec.tieAware,
        expectedAt: spec.versionDifference?.at,
        expectedWhy: spec.versionDifference?.why,
      })
    : undefined;
  const failed = [answerS.ok ? '' : 'Sluice failed', answerP.ok ? '' : 'Prometheus failed'].filter(Boolean);
  return {
    okSluice: answerS.ok,
    okPrometheus: answerP.ok,
    seriesSluice: answerS.series.length,
    seriesPrometheus: answerP.series.length,
    pointsSluice: answerS.points,
    pointsPrometheus: answerP.points,
    responseBytesSluice: warmS.body.length,
    responseBytesPrometheus: warmP.body.length,
    match: comparison?.match ?? false,
    matchDetail: comparison ? comparison.detail : `not compared: ${failed.join(', ')}`,
    ...(comparison && (!comparison.match || comparison.pointsDiffering > 0) ? { comparison } : {}),
    ...(answerS.ok ? {} : { errorSluice: answerS.error }),
    ...(answerP.ok ? {} : { errorPrometheus: answerP.error }),
  };
}

/** run.mjs starts the benchmark with --expose-gc: the client collects before timing, not during. */
const collectGarbage = (): void => (globalThis as { gc?: () => void }).gc?.();

async function runQuery(
  spec: QuerySpec,
  sluice: Server,
  prometheus: Server,
  startMs: number,
  endMs: number,
  profileWindows: Array<[number, number]>
): Promise<QueryResult> {
  const load = otherLoad([sluice.pid, prometheus.pid]);
  const urlS = rangeUrl(sluice, spec.expr, startMs, endMs);
  const urlP = rangeUrl(prometheus, spec.expr, startMs, endMs);
  const began = performance.now();
  const warmS = await timedQuery(urlS, sluice.pid);
  const warmP = await timedQuery(urlP, prometheus.pid);
  const { okSluice, okPrometheus, ...checked } = checkAnswers(spec, warmS, warmP);
  const warmupMs = [warmS.ms, warmP.ms];
  warmS.body = warmP.body = Buffer.alloc(0);
  collectGarbage();
  const runsS: Timed[] = [];
  const runsP: Timed[] = [];
  for (let r = 0; r < REPS; r++) {
    if (r >= MIN_REPS && performance.now() - began > QUERY_BUDGET_MS) break;
    const order = r % 2 === 0 ? (['s', 'p'] as const) : (['p', 's'] as const);
    for (const which of order) {
      if (which === 's' && okSluice) runsS.push(await timedQuery(urlS, sluice.pid, profileWindows, false));
      if (which === 'p' && okPrometheus) runsP.push(await timedQuery(urlP, prometheus.pid, undefined, false));
    }
  }
  const sluiceMs = runsS.length ? median(runsS.map((r) => r.ms)) : null;
  const prometheusMs = runsP.length ? median(runsP.map((r) => r.ms)) : null;
  return {
    query: spec.expr,
    sluiceMs,
    prometheusMs,
    ratio: sluiceMs !== null && prometheusMs !== null ? sluiceMs / prometheusMs : null,
    ...checked,
    sluiceRunsMs: runsS.map((r) => round1(r.ms)),
    prometheusRunsMs: runsP.map((r) => round1(r.ms)),
    sluiceCpuMs: runsS.length ? median(runsS.map((r) => r.cpuMs)) : null,
    prometheusCpuMs: runsP.length ? median(runsP.map((r) => r.cpuMs)) : null,
    sluiceWarmupMs: round1(warmupMs[0]),
    prometheusWarmupMs: round1(warmupMs[1]),
    otherCpuPct: load().otherCpuPct,
  };
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

// ---------------------------------------------------------------------------------------------------
// One scale: fresh servers, ingest, verify, time

interface ScaleResult {
  series: number;
  instances: number;
  samplesPerSeries: number;
  samples: number;
  dataStart: string;
  queryStart: string;
  queryEnd: string;
  stepSeconds: number;
  pointsPerSeries: number;
  ingest: IngestStats & { seriesCheck: Record<string, number | null> };
  rssAfterIngestBytes: Record<string, number>;
  settleSeconds: Record<string, number>;
  queries: QueryResult[];
  geomeanRatio: number | null;
  /** The same over CPU time of the server processes (Prometheus may use both cores for one query). */
  geomeanCpuRatio: number | null;
  mismatches: number;
  profile?: { file: string; sampledMs: number };
}

async function runScale(series: number): Promise<ScaleResult> {
  const steps = Math.round((HOURS * 3_600_000) / STEP_MS) + 1;
  log(`\n== ${fmt(series)} series × ${fmt(steps)} samples (${HOURS} h at ${STEP_MS / 1000} s)`);
  const g0 = performance.now();
  const data = generate(series, steps, STEP_MS, Date.now() - 5_000);
  log(`  generated ${fmt(series * steps)} samples in ${fmt((performance.now() - g0) / 1000, 1)} s`);
  const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-promql-'));
  const profDir = join(dir, 'cpuprof');
  let sluice: Server | undefined;
  let prometheus: Server | undefined;
  try {
    const nodeFlags = PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [];
    [sluice, prometheus] = await Promise.all([
      startSluice(CLI, dir, nodeFlags, FSYNC, SLUICE_ARGS),
      startPrometheus(PROMETHEUS, dir),
    ]);
    const servers = [sluice, prometheus];
    const stats = await ingest(data, servers);
    for (const s of servers) {
      if (stats.failures[s.name] > 0) {
        log(`  !! ${s.name}: ${stats.failures[s.name]} write requests failed, first: ${stats.firstError[s.name]}`);
      }
    }
    log(
      `  ingest wall time: Sluice ${fmt(stats.seconds.sluice, 1)} s, Prometheus ${fmt(stats.seconds.prometheus, 1)} s ` +
        `(concurrently; encoding ${fmt(stats.encodeSeconds, 1)} s)`
    );

    // Every sample must be queryable on both before anything is timed. Counted per metric name:
    // count_over_time drops the name, and _sum and _count of one histogram would then collide.
    const lastMs = data.t0 + (steps - 1) * STEP_MS + STEP_MS;
    const names = [...new Set(data.labels.map((l) => l.find(([k]) => k === '__name__')![1]))];
    const expected = series * steps;
    const seriesCheck: Record<string, number | null> = {};
    for (const s of servers) {
      const deadline = Date.now() + 60_000;
      let n: number | undefined;
      for (;;) {
        n = await countSamples(s, names, `${HOURS * 60 + 5}m`, lastMs);
        if (n === expected || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 1000));
      }
      seriesCheck[s.name] = n ?? null;
      const ok = n === expected;
      log(
        `  ${s.name} holds ${n === undefined ? '?' : fmt(n)} of ${fmt(expected)} samples${ok ? '' : '  !! INCOMPLETE'}`
      );
    }
    const rssAfterIngestBytes = Object.fromEntries(servers.map((s) => [s.name, rssBytes(s.pid)]));
    // Let Prometheus finish head compaction (it cuts 2 h blocks while 6 h arrive) and both GC/checkpoint.
    const settleSeconds: Record<string, number> = {};
    for (const s of servers) settleSeconds[s.name] = round1((await settle(s.pid)) / 1000);
    log(`  settled: Sluice ${settleSeconds.sluice} s, Prometheus ${settleSeconds.prometheus} s`);

    const startMs = data.t0;
    const endMs = data.t0 + (steps - 1) * STEP_MS;
    const queries: QueryResult[] = [];
    const windowsByQuery: Array<Array<[number, number]>> = [];
    for (const spec of QUERIES) {
      const windows: Array<[number, number]> = [];
      const r = await runQuery(spec, sluice, prometheus, startMs, endMs, windows);
      windowsByQuery.push(windows);
      queries.push(r);
      const flagText =
        (r.match ? '' : `   !! MISMATCH: ${r.matchDetail}`) +
        (r.otherCpuPct > 20 ? `   (other processes used ${fmt(r.otherCpuPct)}% of a core meanwhile)` : '');
      log(
        `  ${ms(r.sluiceMs).padStart(9)} ${ms(r.prometheusMs).padStart(9)}  ${(r.ratio === null ? '—' : fmt(r.ratio, 2)).padStart(6)}  ${spec.expr}${flagText}`
      );
      if (!r.match) {
        if (r.errorSluice) log(`      Sluice: ${r.errorSluice}`);
        if (r.errorPrometheus) log(`      Prometheus: ${r.errorPrometheus}`);
        for (const e of r.comparison?.examples ?? []) log(`      ${e}`);
      }
    }
    await sluice.stop();
    await prometheus.stop();

    let profile: ScaleResult['profile'];
    if (PROFILE) {
      const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
      if (file) {
        const path = join(profDir, file);
        queries.forEach((q, i) => (q.profile = summarize(path, windowsByQuery[i], ROOT)));
        const all = summarize(path, windowsByQuery.flat(), ROOT);
        const kept = join(tmpdir(), `sluice-promql-${series}.cpuprofile`);
        copyFileSync(path, kept);
        profile = { file: kept, sampledMs: all.sampledMs };
        log(`  profile of the timed Sluice queries: ${kept}`);
      } else {
        log('  !! no .cpuprofile written');
      }
    }
    const ratios = queries.map((q) => q.ratio).filter((r): r is number => r !== null);
    return {
      series,
      instances: data.instances,
      samplesPerSeries: steps,
      samples: series * steps,
      dataStart: new Date(data.t0).toISOString(),
      queryStart: new Date(startMs).toISOString(),
      queryEnd: new Date(endMs).toISOString(),
      stepSeconds: STEP_MS / 1000,
      pointsPerSeries: steps,
      ingest: { ...stats, seriesCheck },
      rssAfterIngestBytes,
      settleSeconds,
      queries,
      geomeanRatio: geomean(ratios),
      geomeanCpuRatio: geomean(
        queries.flatMap((q) => (q.sluiceCpuMs && q.prometheusCpuMs ? [q.sluiceCpuMs / q.prometheusCpuMs] : []))
      ),
      mismatches: queries.filter((q) => !q.match).length,
      ...(profile ? { profile } : {}),
    };
  } catch (err) {
    if (sluice) log(`sluice stderr:\n${sluice.stderrTail()}`);
    if (prometheus) log(`prometheus stderr:\n${prometheus.stderrTail()}`);
    throw err;
  } finally {
    await sluice?.stop();
    await prometheus?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------

const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const ms = (x: number | null): string => (x === null ? 'error' : fmt(x, 1));

const geomean = (xs: number[]): number | null =>
  xs.length ? Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length) : null;
const ratioText = (x: number | null): string => (x === null ? '—' : fmt(x, 2));
const cpuRatio = (q: QueryResult): number | null =>
  q.sluiceCpuMs && q.prometheusCpuMs ? q.sluiceCpuMs / q.prometheusCpuMs : null;

function table(scales: ScaleResult[]): string {
  const head = ['series', 'query', 'Sluice ms', 'Prometheus ms', 'ratio', 'CPU ratio', 'series out', 'match'];
  const rows: string[][] = [];
  for (const s of scales) {
    for (const q of s.queries) {
      rows.push([
        fmt(s.series),
        '`' + q.query.replace(/\|/g, '\\|') + '`',
        ms(q.sluiceMs),
        ms(q.prometheusMs),
        ratioText(q.ratio),
        ratioText(cpuRatio(q)),
        q.seriesSluice === q.seriesPrometheus ? fmt(q.seriesSluice) : `${q.seriesSluice} / ${q.seriesPrometheus}`,
        q.match ? ((q.comparison?.pointsDifferingExpected ?? 0) > 0 ? 'yes*' : 'yes') : 'NO',
      ]);
    }
    rows.push([
      fmt(s.series),
      '**geometric mean**',
      '',
      '',
      ratioText(s.geomeanRatio),
      ratioText(s.geomeanCpuRatio),
      '',
      '',
    ]);
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const left = new Set([1]);
  const line = (cells: string[]): string =>
    '| ' + cells.map((c, i) => (left.has(i) ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ') + ' |';
  const rule =
    '|' + widths.map((w, i) => (left.has(i) ? ':' + '-'.repeat(w + 1) : '-'.repeat(w + 1) + ':')).join('|') + '|';
  return [line(head), rule, ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build:backend`);
  if (!existsSync(PROMETHEUS)) throw new Error(`${PROMETHEUS} is missing (apt-get install prometheus)`);
  for (const n of SCALES) {
    if (!Number.isInteger(n) || n <= 0 || n % SERIES_PER_INSTANCE !== 0) {
      throw new Error(`--scales: ${n} is not a positive multiple of ${SERIES_PER_INSTANCE}`);
    }
  }
  if (QUERIES.length === 0) throw new Error('--queries matches no query');
  const prometheusVersion = execFileSync(PROMETHEUS, ['--version'], { encoding: 'utf8' }).split('\n')[0];
  const started = performance.now();
  const scales: ScaleResult[] = [];
  for (const n of SCALES) scales.push(await runScale(n));

  const report = {
    benchmark: 'promql',
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryBytes: totalmem() },
    node: process.version,
    prometheus: prometheusVersion,
    method: {
      data:
        'bench/promql/data.ts, seeded: per instance 20 http_requests_total counters (4 methods × 5 codes, Poisson ' +
        'increments, a quarter of the instances restart once), 2 handlers × (11 http_request_duration_seconds ' +
        'buckets + _sum + _count), 4 work_queue_depth gauges; instances round-robin over 4 jobs; each instance ' +
        'scraped at its own offset within the 15 s interval.',
      ingest:
        `remote write 1.0 (backend/src/ingest/sender.ts), the identical snappy bodies to both servers, in time ` +
        `order: windows of ${BATCH_STEPS} steps, ${BATCH_SERIES} series × ${BATCH_STEPS} samples per request, ` +
        `${CONCURRENCY} requests in flight per server; both must hold every sample (sum(count_over_time)) ` +
        'and be CPU-quiet before timing.',
      sluice: `node ${CLI.replace(ROOT + '/', '')} serve-prometheus-api --no-demo-data --fsync ${FSYNC}${SLUICE_ARGS.map((a) => ' ' + a).join('')} (plain node flags${PROFILE ? ', --cpu-prof' : ''})`,
      prometheus: `${PROMETHEUS} --web.enable-remote-write-receiver, empty scrape config, fresh TSDB, default flags`,
      timing:
        `GET /api/v1/query_range over the whole range, step ${STEP_MS / 1000} s, no Accept-Encoding, a new ` +
        `connection per request; 1 warm-up per server (its answers are compared), then ${REPS} runs (${MIN_REPS} ` +
        `once a query has taken ${QUERY_BUDGET_MS / 1000} s, warm-up included) alternating ` +
        'which server goes first; latency = median wall time until the last body byte; ratio = Sluice / Prometheus; ' +
        'geometric mean over the queries both answered.',
      comparison: `series matched by label set, every point within ${RELATIVE_TOLERANCE} relative (1e-12 absolute); topk: ties may select different series, so a per-step multiset comparison decides when the series differ`,
    },
    totalSeconds: round1((performance.now() - started) / 1000),
    scales: Object.fromEntries(scales.map((s) => [String(s.series), s])),
  };
  mkdirSync(dirname(resolve(ROOT, OUT)), { recursive: true });
  writeFileSync(resolve(ROOT, OUT), JSON.stringify(report, null, 2) + '\n');

  log('');
  log(table(scales));
  if (scales.some((s) => s.queries.some((q) => q.match && (q.comparison?.pointsDifferingExpected ?? 0) > 0))) {
    log('* equal except where Prometheus 2.42 and 3 (which Sluice follows) are known to differ (see the JSON)');
  }
  log('');
  for (const s of scales) {
    const g = s.geomeanRatio;
    log(
      `N=${fmt(s.series)}: geometric-mean latency ratio Sluice/Prometheus ${g === null ? '—' : fmt(g, 2)} ` +
        `(≤ 1.0: ${g !== null && g <= 1 ? 'met' : 'NOT met'}; ≤ 0.5: ${g !== null && g <= 0.5 ? 'met' : 'NOT met'}), ` +
        `CPU-time ratio ${ratioText(s.geomeanCpuRatio)}` +
        (s.mismatches ? `; ${s.mismatches} answer(s) DIFFER from Prometheus` : '; all answers match Prometheus')
    );
  }
  if (PROFILE) {
    for (const s of scales) {
      for (const q of s.queries) {
        if (!q.profile) continue;
        log(`\nSluice CPU in ${q.query} (N=${fmt(s.series)}, ${fmt(q.profile.sampledMs)} ms sampled):`);
        for (const f of q.profile.topFunctions.slice(0, 10)) log(`  ${fmt(f.pct, 1).padStart(5)}%  ${f.frame}`);
        log(
          '  by file: ' +
            q.profile.topFiles
              .slice(0, 6)
              .map((f) => `${f.frame} ${fmt(f.pct, 0)}%`)
              .join(', ')
        );
      }
    }
  }
  log(`results: ${OUT} (${fmt((performance.now() - started) / 1000, 0)} s)`);
}

main().catch((err: unknown) => {
  log(String(err instanceof Error ? (err.stack ?? err.message) : err));
  process.exitCode = 1;
});
