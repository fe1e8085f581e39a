/**
 * What the compose stack runs, run here without Docker: the `sluice` service's command on a copy of
 * dist/ alone (as the node image sees it: no node_modules, no repository around it), its
 * healthcheck, and Grafana's launcher with the environment Grafana derives from docker/grafana.ini.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataQuery, HealthCheckResponse_ServingStatus, PluginClients, queryRequest } from '../helpers/grpc';
import { COOKIE, freePort } from '../helpers/plugin';
import { killAll, spawnTracked, TrackedProcess } from '../helpers/process';
import { sleep } from '../helpers/wait';
import { ComposeService, DIST, flagValue, loadCompose, parseIni, sourcePluginJson } from './project';

jest.setTimeout(60_000);

let tmp: string;
let sidecarService: ComposeService;
let sidecarAddress: string;
let pluginSection: Record<string, string>;
let clients: PluginClients | undefined;

beforeAll(() => {
  const compose = loadCompose();
  const id = sourcePluginJson().id;
  const grafana = Object.values(compose.services).find((s) => /^grafana\/grafana/.test(s.image ?? ''))!;
  const ini = grafana.mounts.find((m) => m.target === '/etc/grafana/grafana.ini')!;
  pluginSection = parseIni(readFileSync(ini.source, 'utf8'))[`plugin.${id}`];
  sidecarAddress = pluginSection.sidecar_address;
  sidecarService = compose.services[sidecarAddress.split(':')[0]];
  tmp = mkdtempSync(join(tmpdir(), 'sluice-compose-'));
});

afterAll(async () => {
  clients?.close();
  await killAll();
  rmSync(tmp, { recursive: true, force: true });
});

/** The sidecar's command with its listen address moved to a free loopback port. */
async function startSidecarAsComposeDoes(): Promise<{ proc: TrackedProcess; port: number }> {
  // The service's working_dir with dist/ mounted into it, as a copy far from node_modules.
  const workdir = join(tmp, 'workdir');
  for (const mount of sidecarService.mounts) {
    cpSync(mount.source, join(workdir, mount.target.slice((sidecarService.workingDir ?? '').length)), {
      recursive: true,
    });
  }
  const port = await freePort();
  const listen = flagValue(sidecarService.command, '--listen')!;
  const args = sidecarService.command.slice(1).map((arg) => (arg === listen ? `127.0.0.1:${port}` : arg));
  // spawnTracked has no cwd: give node the script by absolute path inside the copy.
  const script = args.findIndex((arg) => arg.endsWith('.js'));
  args[script] = join(workdir, args[script]);
  const proc = spawnTracked(process.execPath, args, {});
  const deadline = Date.now() + 20_000;
  while (!proc.stderr.includes('"@message":"serving"')) {
    if (!proc.running || Date.now() > deadline) {
      throw new Error(`the sidecar did not start (exit ${JSON.stringify(proc.exit)}):\n${proc.stderr}`);
    }
    await sleep(20);
  }
  return { proc, port };
}

test('the sluice service’s command serves the plugin from dist/ alone', async () => {
  const { port } = await startSidecarAsComposeDoes();
  clients = new PluginClients(`127.0.0.1:${port}`);
  expect(await clients.healthCheck('plugin')).toBe(HealthCheckResponse_ServingStatus.SERVING);
  const reply = await clients.queryData(queryRequest([dataQuery('A', { rows: 100 })], 'json'));
  expect(reply.responses.A.status).toBe(200);

  // The compose healthcheck, pointed at the same port, passes.
  const test = sidecarService.healthcheck?.test;
  if (Array.isArray(test) && test[0] === 'CMD' && test[1] === 'node') {
    const script = test[test.indexOf('-e') + 1].replace(/\b10000\b/g, String(port));
    expect(() => execFileSync(process.execPath, ['-e', script], { timeout: 10_000 })).not.toThrow();
  }
});

test('the launcher, given the environment Grafana derives from docker/grafana.ini, hands Grafana the sidecar', async () => {
  // Grafana passes every [plugin.<id>] key as GF_PLUGIN_<KEY> and, since 12.4, no PATH.
  const env: Record<string, string> = { ...COOKIE };
  for (const [key, value] of Object.entries(pluginSection)) {
    env[`GF_PLUGIN_${key.toUpperCase()}`] = value;
  }
  const launcher = spawnTracked(join(DIST, `${sourcePluginJson().executable}_linux_amd64`), [], env);
  expect(await launcher.firstLine()).toBe(`1|2|tcp|${sidecarAddress}|grpc`);
  await sleep(500);
  expect(launcher.running).toBe(true);
});
