/**
 * `sluice serve-prometheus-api` as built (dist/backend/cli.js): one JSON line with the addresses on
 * stdout, remote write in and PromQL out, test mode's epoch-0 data and reset, clean exit on SIGTERM
 * and when stdin closes (--exit-with-stdin).
 */
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { encodeV1, sendRemoteWrite } from '../../src/ingest';
import { requireDist } from '../helpers/dist';
import { killAll, spawnTracked, TrackedProcess } from '../helpers/process';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-serve-'));
});
afterEach(async () => {
  await killAll();
  rmSync(dir, { recursive: true, force: true });
});

function serve(extra: string[]): TrackedProcess {
  const { cliJs } = requireDist();
  return spawnTracked(
    process.execPath,
    [cliJs, 'serve-prometheus-api', '--data-dir', join(dir, 'data'), '--listen', '127.0.0.1:0', ...extra],
    { PATH: process.env.PATH ?? '' }
  );
}

/** A request on a connection of its own (no keep-alive socket outlives the server process). */
function call(url: string, method = 'GET'): Promise<{ status: number; json: () => Promise<unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: async () => JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function addresses(proc: TrackedProcess): Promise<{ query: string; write: string | null }> {
  return JSON.parse(await proc.firstLine()) as { query: string; write: string | null };
}

it('test mode: epoch-0 data in by remote write, PromQL out, reset, SIGTERM', async () => {
  const proc = serve(['--test-mode', '--ingest-listen', '127.0.0.1:0']);
  const { query, write } = await addresses(proc);
  expect(query).toMatch(/^127\.0\.0\.1:\d+$/);
  expect(write).toMatch(/^127\.0\.0\.1:\d+$/);

  // promqltest data: t = 0 and 5 minutes, far older than any retention, written backwards per request.
  const send = (t: number, v: number) =>
    sendRemoteWrite(
      `http://${write}/api/v1/write`,
      encodeV1([{ labels: [['__name__', 'up']], timestamps: [t], values: new Float64Array([v]) }])
    );
  expect((await send(300_000, 2)).status).toBe(204);
  expect((await send(0, 1)).status).toBe(204); // older than the series' last sample: test mode takes it

  const instant = await call(`http://${query}/api/v1/query?query=up&time=60`);
  expect(await instant.json()).toEqual({
    status: 'success',
    data: { resultType: 'vector', result: [{ metric: { __name__: 'up' }, value: [60, '1'] }] },
  });
  const series = await call(`http://${query}/api/v1/series?match[]=up`);
  expect(await series.json()).toEqual({ status: 'success', data: [{ __name__: 'up' }] });

  expect((await call(`http://${query}/-/reset`, 'POST')).status).toBe(200);
  const after = await call(`http://${query}/api/v1/series?match[]=up`);
  expect(await after.json()).toEqual({ status: 'success', data: [] });

  proc.child.kill('SIGTERM');
  const exit = await proc.exited;
  expect(exit.code).toBe(0);
  expect(proc.stdout.trim().split('\n')).toHaveLength(1);
});

it('without test mode there is no reset, and --ingest-listen off turns the receiver off', async () => {
  const proc = serve(['--no-demo-data', '--ingest-listen', 'off', '--fsync', 'never']);
  const { query, write } = await addresses(proc);
  expect(write).toBeNull();
  expect((await call(`http://${query}/-/reset`, 'POST')).status).toBe(404);
  expect((await call(`http://${query}/-/healthy`)).status).toBe(200);
});

it('--exit-with-stdin: the server goes when its parent closes the pipe', async () => {
  const { cliJs } = requireDist();
  const child = spawn(
    process.execPath,
    [cliJs, 'serve-prometheus-api', '--test-mode', '--data-dir', join(dir, 'data')].concat([
      '--listen',
      '127.0.0.1:0',
      '--ingest-listen',
      '127.0.0.1:0',
      '--exit-with-stdin',
    ]),
    { stdio: ['pipe', 'pipe', 'pipe'] }
  );
  const proc = new TrackedProcess(child);
  await addresses(proc);
  child.stdin?.end();
  let timer: NodeJS.Timeout | undefined;
  const exit = await Promise.race([
    proc.exited,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('still running')), 10_000))),
  ]).finally(() => clearTimeout(timer));
  expect(exit.code).toBe(0);
});

it('a bad flag stops it with a message', async () => {
  const proc = serve(['--fsync', 'sometimes']);
  const exit = await proc.exited;
  expect(exit.code).toBe(1);
  expect(proc.stderr).toContain('--fsync must be always, interval or never');
});

it('test mode without --data-dir uses a temporary directory and leaves ./sluice-data alone', async () => {
  const { cliJs } = requireDist();
  mkdirSync(join(dir, 'sluice-data'));
  writeFileSync(join(dir, 'sluice-data', 'keep'), 'demo store');
  const child = spawn(process.execPath, [cliJs, 'serve-prometheus-api', '--test-mode', '--listen', '127.0.0.1:0'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const proc = new TrackedProcess(child);
  const { query } = await addresses(proc);
  expect((await call(`http://${query}/-/reset`, 'POST')).status).toBe(200);
  child.kill('SIGTERM');
  expect((await proc.exited).code).toBe(0);
  expect(readFileSync(join(dir, 'sluice-data', 'keep'), 'utf8')).toBe('demo store');
});
