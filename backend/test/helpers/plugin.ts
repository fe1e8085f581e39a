import { createServer } from 'node:net';
import { join } from 'node:path';
import { requireDist } from './dist';
import { spawnTracked, TrackedProcess, trackPid } from './process';

/** The only variable go-plugin adds that matters; Grafana ≥ 12.4 passes no host env (no PATH). */
export const COOKIE = { grafana_plugin_type: 'datasource' } as const;

export const HANDSHAKE_TCP = /^1\|2\|tcp\|127\.0\.0\.1:(\d+)\|grpc$/;
export const HANDSHAKE_UNIX = /^1\|2\|unix\|(\/[^|]+)\|grpc$/;

export interface Handshake {
  line: string;
  network: 'tcp' | 'unix';
  address: string;
  /** What a grpc-js client dials. */
  target: string;
}

export function parseHandshake(line: string): Handshake {
  const parts = line.split('|');
  if (parts.length !== 5 || parts[0] !== '1' || parts[1] !== '2' || parts[4] !== 'grpc') {
    throw new Error(`not a go-plugin handshake: ${JSON.stringify(line)}`);
  }
  const network = parts[2];
  if (network !== 'tcp' && network !== 'unix') {
    throw new Error(`unknown network in handshake: ${JSON.stringify(line)}`);
  }
  return { line, network, address: parts[3], target: network === 'unix' ? `unix:${parts[3]}` : parts[3] };
}

export interface StartedPlugin {
  proc: TrackedProcess;
  handshake: Handshake;
}

/** Starts dist/gpx_sluice_linux_amd64 as Grafana does: the cookie plus `env`, nothing else. */
export async function startPlugin(env: Record<string, string> = {}): Promise<StartedPlugin> {
  const { launcher } = requireDist();
  const proc = spawnTracked(launcher, [], { ...COOKIE, ...env });
  const line = await proc.firstLine();
  return { proc, handshake: parseHandshake(line) };
}

/** Starts the backend as a sidecar (`node dist/backend/main.js --listen ADDRESS`) and waits until it serves. */
export async function startSidecar(listen: string): Promise<TrackedProcess> {
  const { mainJs } = requireDist();
  const proc = spawnTracked(process.execPath, [mainJs, '--listen', listen], {});
  // A sidecar prints no handshake; its "serving" log line says it is bound.
  const deadline = Date.now() + 20_000;
  while (!proc.stderr.includes('"@message":"serving"')) {
    if (!proc.running || Date.now() > deadline) {
      throw new Error(`sidecar did not start (exit ${JSON.stringify(proc.exit)}):\n${proc.stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return proc;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
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

/**
 * Starts the launcher (cookie plus `env`) from an intermediate `node -e` process that prints the
 * launcher's pid once the handshake is out, so a test can make the plugin's parent die by SIGKILLing
 * the intermediate, like Grafana crashing. The plugin's stderr goes to `stderrFile` (a pipe to the
 * intermediate would break when it dies).
 */
export async function startPluginUnderIntermediate(
  stderrFile: string,
  env: Record<string, string> = {}
): Promise<{ intermediate: TrackedProcess; pluginPid: number; handshake: string }> {
  const { launcher } = requireDist();
  const script = [
    "const { spawn } = require('node:child_process');",
    "const { openSync } = require('node:fs');",
    `const env = ${JSON.stringify({ ...COOKIE, ...env })};`,
    "const child = spawn(process.argv[1], [], { env, stdio: ['ignore', 'pipe', openSync(process.argv[2], 'w')] });",
    "let out = '';",
    "child.stdout.setEncoding('utf8').on('data', (t) => {",
    "  const had = out.includes('\\n');",
    '  out += t;',
    "  if (!had && out.includes('\\n')) process.stdout.write(child.pid + ' ' + out.slice(0, out.indexOf('\\n')) + '\\n');",
    '});',
    'setInterval(() => {}, 60000);',
  ].join('\n');
  const intermediate = spawnTracked(process.execPath, ['-e', script, launcher, stderrFile], {});
  const line = await intermediate.firstLine();
  const space = line.indexOf(' ');
  const pluginPid = Number(line.slice(0, space));
  if (!Number.isInteger(pluginPid) || pluginPid <= 0) {
    throw new Error(`intermediate printed ${JSON.stringify(line)}`);
  }
  return { intermediate, pluginPid, handshake: line.slice(space + 1) };
}

/**
 * Like Grafana dying while a plugin is still starting: an intermediate process spawns the launcher
 * (cookie plus `env`), prints its pid and exits at once, long before node has loaded main.js. The
 * plugin's stdout is a pipe to the dead intermediate (as it would be to a dead Grafana) or, with
 * `stdout: 'file'`, a file, so that the handshake write itself succeeds. stderr goes to a file.
 */
export async function startPluginAndAbandonIt(
  dir: string,
  stdout: 'pipe' | 'file'
): Promise<{ pluginPid: number; stdoutFile: string; stderrFile: string }> {
  const { launcher } = requireDist();
  const stdoutFile = join(dir, 'plugin.stdout');
  const stderrFile = join(dir, 'plugin.stderr');
  const script = [
    "const { spawn } = require('node:child_process');",
    "const { openSync } = require('node:fs');",
    `const out = ${stdout === 'file' ? "openSync(process.argv[2], 'w')" : "'pipe'"};`,
    `const child = spawn(process.argv[1], [], { env: ${JSON.stringify(COOKIE)}, stdio: ['ignore', out, openSync(process.argv[3], 'w')] });`,
    "process.stdout.write(child.pid + '\\n', () => process.exit(0));",
  ].join('\n');
  const intermediate = spawnTracked(process.execPath, ['-e', script, launcher, stdoutFile, stderrFile], {});
  const pluginPid = Number(await intermediate.firstLine());
  if (!Number.isInteger(pluginPid) || pluginPid <= 0) {
    throw new Error(`intermediate printed ${JSON.stringify(intermediate.stdout)}`);
  }
  trackPid(pluginPid);
  await intermediate.exited;
  return { pluginPid, stdoutFile, stderrFile };
}
