/**
 * The plugin process as Grafana's go-plugin client sees it: started from dist/ with nothing but the
 * magic cookie in its environment (no PATH), handshake on stdout, hclog JSON on stderr, infrastructure
 * services, Shutdown, death of the parent, message-size limits and unix sockets.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireDist } from '../helpers/dist';
import { dataQuery, GrpcStatus, HealthCheckResponse_ServingStatus, PluginClients, queryRequest } from '../helpers/grpc';
import {
  HANDSHAKE_TCP,
  HANDSHAKE_UNIX,
  startPlugin,
  startPluginAndAbandonIt,
  startPluginUnderIntermediate,
} from '../helpers/plugin';
import { killAll, spawnTracked, trackPid } from '../helpers/process';
import { describeProcess, isRunning, waitUntil, within } from '../helpers/wait';

jest.setTimeout(30_000);

const clients: PluginClients[] = [];
function connect(target: string): PluginClients {
  const c = new PluginClients(target);
  clients.push(c);
  return c;
}

beforeAll(() => {
  requireDist();
});

afterEach(async () => {
  clients.splice(0).forEach((c) => c.close());
  await killAll();
});

function expectHclogLines(lines: string[]): void {
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) {
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new Error(`stderr line is not JSON: ${line}`);
    }
    expect(typeof entry['@level']).toBe('string');
    expect(['trace', 'debug', 'info', 'warn', 'error']).toContain(entry['@level']);
    expect(typeof entry['@message']).toBe('string');
    expect(Number.isNaN(Date.parse(String(entry['@timestamp'])))).toBe(false);
  }
}

describe('launch and handshake (environment: only grafana_plugin_type=datasource)', () => {
  test('stdout is exactly one handshake line for the whole life of the process; stderr is hclog JSON', async () => {
    const { proc, handshake } = await startPlugin();
    expect(handshake.line).toMatch(HANDSHAKE_TCP);
    expect(Number(HANDSHAKE_TCP.exec(handshake.line)?.[1])).toBeGreaterThan(0);

    // Exercise the process (query, health, bad settings that log) before it ends.
    const c = connect(handshake.target);
    const result = await c.queryChunked(queryRequest([dataQuery('A', { rows: 1500 })], 'json'));
    expect(result.error).toBeUndefined();
    expect((await c.checkHealth('{"chunkRows":-1}')).message).toContain('chunkRows');
    await c.shutdown();
    const exit = await proc.exited;

    expect(exit.code).toBe(0);
    expect(proc.stdout).toBe(handshake.line + '\n');
    expect(proc.stderr.endsWith('\n')).toBe(true);
    expectHclogLines(proc.stderrLines);
  });

  test('grpc.health.v1 Check reports SERVING for "" and for "plugin"', async () => {
    const { handshake } = await startPlugin();
    const c = connect(handshake.target);
    expect(await c.healthCheck('')).toBe(HealthCheckResponse_ServingStatus.SERVING);
    expect(await c.healthCheck('plugin')).toBe(HealthCheckResponse_ServingStatus.SERVING);
  });

  test.each([
    ['the launcher', () => spawnTracked(requireDist().launcher, [], {})],
    ['main.js', () => spawnTracked(process.execPath, [requireDist().mainJs], {})],
  ])('%s without the magic cookie exits 1 with a message on stderr and nothing on stdout', async (_name, start) => {
    const proc = start();
    const exit = await proc.exited;
    expect(exit.code).toBe(1);
    expect(proc.stdout).toBe('');
    expect(proc.stderr).toContain('grafana_plugin_type');
  });

  test('GF_PLUGIN_GRPC_MAX_RECEIVE_MSG_SIZE=garbage: exit 1, the message names the variable, stdout stays empty', async () => {
    const proc = spawnTracked(requireDist().launcher, [], {
      grafana_plugin_type: 'datasource',
      GF_PLUGIN_GRPC_MAX_RECEIVE_MSG_SIZE: 'garbage',
    });
    const exit = await proc.exited;
    expect(exit.code).toBe(1);
    expect(proc.stdout).toBe('');
    expect(proc.stderr).toContain('GF_PLUGIN_GRPC_MAX_RECEIVE_MSG_SIZE');
  });
});

describe('end of life', () => {
  test('plugin.GRPCController/Shutdown: the process exits by itself within 2 s of the RPC', async () => {
    const { proc, handshake } = await startPlugin();
    const c = connect(handshake.target);
    expect(await c.healthCheck('plugin')).toBe(HealthCheckResponse_ServingStatus.SERVING);
    const sent = performance.now();
    await c.shutdown();
    const exit = await within(proc.exited, 5_000);
    expect(exit).toBeDefined();
    expect(exit!.signal).toBeNull();
    expect(exit!.code).toBe(0);
    expect(exit!.at - sent).toBeLessThan(2_000);
  });

  test('Shutdown during a long chunked query still exits within 2 s', async () => {
    const { proc, handshake } = await startPlugin();
    const c = connect(handshake.target);
    const call = c.data.queryChunkedData(queryRequest([dataQuery('A', { rows: 10_000_000 })], 'json'));
    call.on('error', () => undefined);
    await new Promise<void>((resolve) => call.once('data', () => resolve()));
    const sent = performance.now();
    await c.shutdown();
    const exit = await within(proc.exited, 5_000);
    expect(exit).toBeDefined();
    expect(exit!.signal).toBeNull();
    expect(exit!.at - sent).toBeLessThan(2_000);
    call.cancel();
  });

  test('when its parent dies (SIGKILL), the plugin exits on its own within a few seconds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-it-'));
    try {
      const log = join(dir, 'plugin.stderr');
      const { intermediate, pluginPid, handshake } = await startPluginUnderIntermediate(log);
      trackPid(pluginPid);
      expect(handshake).toMatch(HANDSHAKE_TCP);
      expect(isRunning(pluginPid)).toBe(true);
      intermediate.child.kill('SIGKILL');
      await intermediate.exited;
      const gone = await waitUntil(() => !isRunning(pluginPid), 8_000, 50);
      expect({ gone, ...(gone ? {} : describeProcess(pluginPid, log)) }).toEqual({ gone: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('parent gone before the plugin has started (Grafana killed while starting plugins)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-it-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('stdout a pipe to the dead parent: the plugin must not stay behind', async () => {
    const { pluginPid, stderrFile } = await startPluginAndAbandonIt(dir, 'pipe');
    // Give it time to start (or fail to); then it has to be gone within the same few seconds.
    const gone = await waitUntil(() => !isRunning(pluginPid), 8_000, 50);
    expect({ gone, ...(gone ? {} : describeProcess(pluginPid, stderrFile)) }).toEqual({ gone: true });
  });

  test('stdout a file (handshake written): the parent watch must still notice the parent is gone', async () => {
    const { pluginPid, stdoutFile, stderrFile } = await startPluginAndAbandonIt(dir, 'file');
    // The plugin really started: its handshake is in the file.
    expect(
      await waitUntil(() => existsSync(stdoutFile) && readFileSync(stdoutFile, 'utf8').includes('\n'), 10_000)
    ).toBe(true);
    expect(readFileSync(stdoutFile, 'utf8')).toMatch(/^1\|2\|tcp\|127\.0\.0\.1:\d+\|grpc\n$/);
    const gone = await waitUntil(() => !isRunning(pluginPid), 8_000, 50);
    expect({ gone, ...(gone ? {} : describeProcess(pluginPid, stderrFile)) }).toEqual({ gone: true });
  });
});

describe('gRPC message size (GF_PLUGIN_GRPC_MAX_RECEIVE_MSG_SIZE)', () => {
  const body = Buffer.alloc(20 * 1024 * 1024, 0x61);
  const bigRequest = { path: 'no-such-resource', method: 'POST', body };

  test('a 20 MiB CallResource request is rejected with RESOURCE_EXHAUSTED under the default 16 MiB limit', async () => {
    const { handshake } = await startPlugin();
    const result = await connect(handshake.target).callResource(bigRequest);
    expect(result.error?.code).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
    expect(result.messages).toHaveLength(0);
  });

  test('the same request is accepted with GF_PLUGIN_GRPC_MAX_RECEIVE_MSG_SIZE=33554432', async () => {
    const { handshake } = await startPlugin({ GF_PLUGIN_GRPC_MAX_RECEIVE_MSG_SIZE: '33554432' });
    const result = await connect(handshake.target).callResource(bigRequest);
    expect(result.error).toBeUndefined();
    // Any answer proves the message got through; an unknown path is a 404 JSON error.
    expect(result.messages[0].message.code).toBe(404);
    expect(JSON.parse(result.messages[0].message.body.toString('utf8'))).toHaveProperty('error');
  });
});

describe('unix socket (GF_PLUGIN_LISTEN_NETWORK=unix)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-it-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('handshake names a socket path and queries work over it', async () => {
    const { proc, handshake } = await startPlugin({ GF_PLUGIN_LISTEN_NETWORK: 'unix', PLUGIN_UNIX_SOCKET_DIR: dir });
    expect(handshake.line).toMatch(HANDSHAKE_UNIX);
    expect(handshake.address.startsWith(dir + '/')).toBe(true);
    const c = connect(handshake.target);
    expect(await c.healthCheck('plugin')).toBe(HealthCheckResponse_ServingStatus.SERVING);
    const result = await c.queryChunked(queryRequest([dataQuery('A', { rows: 1200 })], 'json'));
    expect(result.error).toBeUndefined();
    expect(result.messages.map((m) => m.message.status)).toEqual([200, 200]);
    const reply = await c.queryData(queryRequest([dataQuery('B', { rows: 10 })], 'arrow'));
    expect(reply.responses.B.status).toBe(200);
    await c.shutdown();
    expect((await proc.exited).code).toBe(0);
  });

  test('after Shutdown nothing is left behind in PLUGIN_UNIX_SOCKET_DIR (no socket, no directory)', async () => {
    const { proc, handshake } = await startPlugin({ GF_PLUGIN_LISTEN_NETWORK: 'unix', PLUGIN_UNIX_SOCKET_DIR: dir });
    expect(existsSync(handshake.address)).toBe(true);
    await connect(handshake.target).shutdown();
    expect((await proc.exited).code).toBe(0);
    expect(existsSync(handshake.address)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});
