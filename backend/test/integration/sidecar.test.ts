/**
 * Sidecar mode: the backend runs on its own (`main.js --listen`), ignores Grafana's Shutdown, and the
 * launcher, given GF_PLUGIN_SIDECAR_ADDRESS, only prints a handshake pointing at it and lives as long
 * as its parent (Grafana) does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireDist } from '../helpers/dist';
import { dataQuery, HealthCheckResponse_ServingStatus, PluginClients, queryRequest } from '../helpers/grpc';
import { COOKIE, freePort, startPluginUnderIntermediate, startSidecar } from '../helpers/plugin';
import { killAll, spawnTracked, TrackedProcess, trackPid } from '../helpers/process';
import { describeProcess, isRunning, sleep, waitUntil } from '../helpers/wait';

jest.setTimeout(30_000);

let sidecar: TrackedProcess;
let dir: string;
let address: string;
let clients: PluginClients;

beforeAll(async () => {
  requireDist();
  dir = mkdtempSync(join(tmpdir(), 'sluice-it-'));
  address = `127.0.0.1:${await freePort()}`;
  sidecar = await startSidecar(address);
  clients = new PluginClients(address);
});

afterAll(async () => {
  clients?.close();
  await killAll();
  rmSync(dir, { recursive: true, force: true });
});

test('node dist/backend/main.js --listen serves the plugin services on that address', async () => {
  expect(await clients.healthCheck('plugin')).toBe(HealthCheckResponse_ServingStatus.SERVING);
  const result = await clients.queryChunked(queryRequest([dataQuery('A', { rows: 1500 })], 'json'));
  expect(result.error).toBeUndefined();
  expect(result.messages.map((m) => m.message.status)).toEqual([200, 200]);
  // A sidecar is not started by Grafana: no handshake on stdout.
  expect(sidecar.stdout).toBe('');
});

test('a sidecar ignores GRPCController/Shutdown and keeps answering', async () => {
  await clients.shutdown();
  await sleep(1_000);
  expect(sidecar.running).toBe(true);
  expect(await clients.healthCheck('')).toBe(HealthCheckResponse_ServingStatus.SERVING);
  const reply = await clients.queryData(queryRequest([dataQuery('A', { rows: 10 })], 'json'));
  expect(reply.responses.A.status).toBe(200);
});

describe('the launcher with GF_PLUGIN_SIDECAR_ADDRESS', () => {
  test('prints the handshake for the sidecar address and stays alive', async () => {
    const locator = spawnTracked(requireDist().launcher, [], { ...COOKIE, GF_PLUGIN_SIDECAR_ADDRESS: address });
    const line = await locator.firstLine();
    expect(line).toBe(`1|2|tcp|${address}|grpc`);
    await sleep(1_500);
    expect(locator.running).toBe(true);
    expect(locator.stdout).toBe(line + '\n');
    // Grafana dials what the handshake names: the sidecar.
    const viaHandshake = new PluginClients(line.split('|')[3]);
    try {
      expect(await viaHandshake.healthCheck('plugin')).toBe(HealthCheckResponse_ServingStatus.SERVING);
    } finally {
      viaHandshake.close();
    }
    await locator.kill();
  });

  test('unix:PATH: a sidecar on a unix socket is announced as `1|2|unix|PATH|grpc`', async () => {
    const socket = join(dir, 'sidecar.sock');
    await startSidecar(`unix:${socket}`);
    const locator = spawnTracked(requireDist().launcher, [], {
      ...COOKIE,
      GF_PLUGIN_SIDECAR_ADDRESS: `unix:${socket}`,
    });
    expect(await locator.firstLine()).toBe(`1|2|unix|${socket}|grpc`);
    const viaSocket = new PluginClients(`unix:${socket}`);
    try {
      expect(await viaSocket.healthCheck('plugin')).toBe(HealthCheckResponse_ServingStatus.SERVING);
    } finally {
      viaSocket.close();
    }
    await locator.kill();
  });

  test('exits when its parent dies', async () => {
    const log = join(dir, 'locator.stderr');
    const { intermediate, pluginPid, handshake } = await startPluginUnderIntermediate(log, {
      GF_PLUGIN_SIDECAR_ADDRESS: address,
    });
    trackPid(pluginPid);
    expect(handshake).toBe(`1|2|tcp|${address}|grpc`);
    expect(isRunning(pluginPid)).toBe(true);
    intermediate.child.kill('SIGKILL');
    await intermediate.exited;
    const gone = await waitUntil(() => !isRunning(pluginPid), 5_000, 50);
    expect({ gone, ...(gone ? {} : describeProcess(pluginPid, log)) }).toEqual({ gone: true });
    // The sidecar itself is not affected by a locator going away.
    expect(sidecar.running).toBe(true);
  });
});
