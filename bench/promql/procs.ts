/**
 * The two servers under test, each a fresh process on a fresh data directory: Sluice's
 * `serve-prometheus-api` (store + remote-write receiver + PromQL engine behind Prometheus' HTTP API)
 * and Debian's Prometheus with its remote-write receiver. Same approach as bench/ingest (spawn, poll
 * until ready, SIGTERM then SIGKILL), kept separate so the two benchmarks do not couple.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface HttpResponse {
  status: number;
  body: Buffer;
}

/**
 * A GET on a fresh connection (no keep-alive: Node's server closes idle sockets after 5 s, and a
 * client busy comparing a large answer can reuse one just being closed, "socket hang up").
 */
export function httpGet(url: string, keepBody = true): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', agent: false }, (res) => {
      const chunks: Buffer[] = [];
      // Without keepBody the body is read to the end but dropped (timed runs need no answer).
      res.on('data', (c: Buffer) => keepBody && chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

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

function exited(proc: ChildProcess): boolean {
  return proc.exitCode !== null || proc.signalCode !== null;
}

async function waitFor(what: string, proc: ChildProcess, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (exited(proc)) throw new Error(`${what}: process exited early`);
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
  if (exited(proc)) return;
  const done = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
  await done;
  clearTimeout(timer);
}

/** CPU time (user + system) the process has used so far, in ms (Linux /proc). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is the state (field 3); utime and stime are fields 14 and 15, in clock ticks (100/s).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU time (ms) the whole machine has been busy (all cores, /proc/stat: everything but idle and iowait). */
export function machineBusyMs(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  return (total - fields[3] - fields[4]) * 10;
}

/**
 * Measures how busy the machine is with processes other than the given ones (the benchmark shares
 * the machine with whatever else runs): call it at the start of a phase, call the result at its end.
 */
export function otherLoad(pids: number[]): () => { otherCpuPct: number; wallMs: number } {
  const t0 = Date.now();
  const ours0 = pids.reduce((a, p) => a + cpuMs(p), 0);
  const self0 = process.cpuUsage();
  const busy0 = machineBusyMs();
  return () => {
    const wallMs = Date.now() - t0;
    const self = process.cpuUsage(self0);
    const ours = pids.reduce((a, p) => a + cpuMs(p), 0) - ours0 + (self.user + self.system) / 1000;
    const other = Math.max(0, machineBusyMs() - busy0 - ours);
    return { otherCpuPct: Math.round((other / wallMs) * 1000) / 10, wallMs };
  };
}

export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN) * 1024;
}

export interface Server {
  name: 'sluice' | 'prometheus';
  pid: number;
  /** http://HOST:PORT of the query API. */
  queryBase: string;
  writeUrl: string;
  stop(): Promise<void>;
  stderrTail(): string;
}

function tail(text: string): string {
  return text.split('\n').slice(-20).join('\n');
}

export async function startPrometheus(binary: string, dir: string): Promise<Server> {
  const port = await freePort();
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, 'global:\n  scrape_interval: 15s\n');
  const proc = spawn(
    binary,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'prometheus-data')}`,
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
    queryBase: base,
    writeUrl: `${base}/api/v1/write`,
    async stop() {
      await stop(proc);
    },
    stderrTail: () => tail(stderr),
  };
}

/**
 * `node [nodeFlags] dist/backend/cli.js serve-prometheus-api` on ports it picks itself; it prints
 * {"query":"HOST:PORT","write":"HOST:PORT"} as its only stdout line.
 */
export async function startSluice(
  cli: string,
  dir: string,
  nodeFlags: string[],
  fsync: string,
  extraArgs: string[] = []
): Promise<Server> {
  const proc = spawn(
    process.execPath,
    [
      ...nodeFlags,
      cli,
      'serve-prometheus-api',
      '--data-dir',
      join(dir, 'sluice-data'),
      '--listen',
      '127.0.0.1:0',
      '--ingest-listen',
      '127.0.0.1:0',
      '--no-demo-data',
      '--fsync',
      fsync,
      '--log-level',
      'warn',
      ...extraArgs,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] }
  );
  live.add(proc);
  let stderr = '';
  let stdout = '';
  proc.stderr!.setEncoding('utf8').on('data', (t: string) => (stderr = (stderr + t).slice(-20_000)));
  proc.stdout!.setEncoding('utf8').on('data', (t: string) => (stdout += t));
  try {
    await waitFor('sluice serve-prometheus-api', proc, async () => stdout.includes('\n'));
  } catch (err) {
    throw new Error(`${String(err)}\n${tail(stderr)}`);
  }
  const addresses = JSON.parse(stdout.slice(0, stdout.indexOf('\n'))) as { query: string; write: string | null };
  if (!addresses.write) throw new Error('sluice: the remote-write receiver is off');
  const base = `http://${addresses.query}`;
  await waitFor('sluice query API', proc, async () => (await httpGet(`${base}/-/ready`)).status === 200);
  return {
    name: 'sluice',
    pid: proc.pid!,
    queryBase: base,
    writeUrl: `http://${addresses.write}/api/v1/write`,
    async stop() {
      await stop(proc);
    },
    stderrTail: () => tail(stderr),
  };
}

/** Waits until the process has used less than `busyPct` % of a core for `quietMs` (or `maxMs` passed). */
export async function settle(pid: number, busyPct = 5, quietMs = 3000, maxMs = 120_000): Promise<number> {
  const started = Date.now();
  let quietSince = Date.now();
  let last = cpuMs(pid);
  while (Date.now() - started < maxMs) {
    await sleep(500);
    const now = cpuMs(pid);
    if (((now - last) / 500) * 100 > busyPct) quietSince = Date.now();
    last = now;
    if (Date.now() - quietSince >= quietMs) break;
  }
  return Date.now() - started;
}
