import { ChannelCredentials, credentials } from '@grpc/grpc-js';
import { ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { GRPCControllerClient } from '../generated/plugin/grpc_controller';
import { DataClient, DiagnosticsClient, ResourceClient } from '../generated/pluginv2/backend';
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from '../runtime/handshake';

const HANDSHAKE_TIMEOUT_MS = 60_000;
const EXIT_GRACE_MS = 2_000;

/** Like Grafana's go-plugin client: no limit on what the plugin may send back. */
const CHANNEL_OPTIONS = { 'grpc.max_receive_message_length': -1, 'grpc.max_send_message_length': -1 };

/**
 * Talks to a Sluice backend the way Grafana does: either starts the launcher with the magic cookie
 * and a bare environment and reads the go-plugin handshake, or connects to a running sidecar.
 */
export class PluginClient {
  readonly data: DataClient;
  readonly diagnostics: DiagnosticsClient;
  readonly resource: ResourceClient;
  readonly controller: GRPCControllerClient;
  private readonly stderrTail: string[] = [];

  private constructor(
    readonly target: string,
    private readonly child?: ChildProcess
  ) {
    const creds: ChannelCredentials = credentials.createInsecure();
    this.data = new DataClient(target, creds, CHANNEL_OPTIONS);
    this.diagnostics = new DiagnosticsClient(target, creds, CHANNEL_OPTIONS);
    this.resource = new ResourceClient(target, creds, CHANNEL_OPTIONS);
    this.controller = new GRPCControllerClient(target, creds, CHANNEL_OPTIONS);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the plugin executable; `env` is all it gets besides the cookie (Grafana skips the host's). */
  static async start(executable: string, env: Record<string, string> = {}, echoStderr = false): Promise<PluginClient> {
    const child = spawn(executable, [], {
      env: { [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: '2', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tail: string[] = [];
    createInterface({ input: child.stderr! }).on('line', (line) => {
      tail.push(line);
      if (tail.length > 20) {
        tail.shift();
      }
      if (echoStderr) {
        process.stderr.write(line + '\n');
      }
    });
    const line = await firstLine(child, tail);
    const parts = line.split('|');
    if (parts.length < 5 || parts[0] !== '1' || parts[1] !== '2' || parts[4] !== 'grpc') {
      child.kill('SIGKILL');
      throw new Error(`unexpected handshake from ${executable}: ${JSON.stringify(line)}`);
    }
    const target = parts[2] === 'unix' ? `unix:${parts[3]}` : parts[3];
    const client = new PluginClient(target, child);
    client.stderrTail.push(...tail);
    return client;
  }

  static connect(address: string): PluginClient {
    return new PluginClient(address);
  }

  /** Shutdown RPC, then SIGKILL after 2 s, exactly like go-plugin's Kill(). */
  async close(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await new Promise<void>((resolve) => this.controller.shutdown({}, () => resolve()));
      const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_GRACE_MS);
      await exited;
      clearTimeout(timer);
    }
    for (const client of [this.data, this.diagnostics, this.resource, this.controller]) {
      client.close();
    }
  }
}

function firstLine(child: ChildProcess, stderrTail: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => fail(new Error('no handshake within 60 s')), HANDSHAKE_TIMEOUT_MS);
    const fail = (error: Error) => {
      clearTimeout(timer);
      lines.close();
      const detail = stderrTail.length ? `\n${stderrTail.join('\n')}` : '';
      reject(new Error(`${error.message}${detail}`));
    };
    lines.once('line', (line) => {
      clearTimeout(timer);
      // go-plugin drains and discards stdout after the handshake; so do we.
      lines.removeAllListeners('close');
      child.stdout!.resume();
      resolve(line.trim());
    });
    lines.once('close', () => fail(new Error(`the plugin exited before its handshake (exit code ${child.exitCode})`)));
    child.once('error', (error) => fail(error));
  });
}
