import { Server, ServerCredentials } from '@grpc/grpc-js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HealthService } from '../generated/grpc/health/v1/health';
import { GRPCControllerService } from '../generated/plugin/grpc_controller';
import { DataService, DiagnosticsService, ResourceService } from '../generated/pluginv2/backend';
import { CallTracker } from './calls';
import { ChunkingOptions, DEFAULT_CHUNKING } from './chunked/options';
import type { RuntimeConfig } from './config';
import type { PluginHandlers, QueryDataRequest } from './handlers';
import type { ListenNetwork } from './handshake';
import type { Logger } from './log';
import { RuntimeMetrics } from './metrics';
import { createControllerService } from './services/controller';
import { createDataService } from './services/data';
import { createDiagnosticsService } from './services/diagnostics';
import { createHealthService } from './services/health';
import { createResourceService } from './services/resource';

/**
 * QueryData's default ceiling for a result held whole in memory. Grafana's Go SDK refuses an Arrow
 * record batch body over 256 MiB (arrow-go's limit), so a larger unary frame could never be decoded.
 */
export const DEFAULT_MAX_UNARY_BYTES = 256 * 1024 * 1024;

export interface ServerOptions {
  handlers: PluginHandlers;
  config: RuntimeConfig;
  logger: Logger;
  metrics?: RuntimeMetrics;
  /** `HOST:PORT` to bind; default 127.0.0.1 on a free port (or a unix socket, per config). */
  listen?: string;
  /** Per-request chunking, usually from the datasource's settings. */
  chunkingFor?: (request: QueryDataRequest) => ChunkingOptions;
  maxUnaryBytesFor?: (request: QueryDataRequest) => number;
  /** Called when the host sends GRPCController/Shutdown. */
  onShutdownRequest: () => void;
}

export interface PluginServer {
  readonly network: ListenNetwork;
  /** `127.0.0.1:PORT` or a socket path, as the handshake announces it. */
  readonly address: string;
  readonly metrics: RuntimeMetrics;
  readonly calls: CallTracker;
  /** Cancels calls in flight and stops within `graceMs`. */
  stop(reason: string, graceMs?: number): Promise<void>;
}

/** Binds a gRPC server with every service Grafana's go-plugin client may call. */
export async function startServer(options: ServerOptions): Promise<PluginServer> {
  const { handlers, config, logger } = options;
  const metrics = options.metrics ?? new RuntimeMetrics();
  const calls = new CallTracker(metrics);
  const server = new Server({
    'grpc.max_receive_message_length': config.maxReceiveMessageBytes,
    'grpc.max_send_message_length': config.maxSendMessageBytes,
  });
  server.addService(
    DataService,
    createDataService({
      handlers,
      calls,
      metrics,
      logger,
      chunkingFor: options.chunkingFor ?? (() => DEFAULT_CHUNKING),
      maxUnaryBytesFor: options.maxUnaryBytesFor ?? (() => DEFAULT_MAX_UNARY_BYTES),
    })
  );
  server.addService(DiagnosticsService, createDiagnosticsService({ handlers, metrics, logger }));
  server.addService(ResourceService, createResourceService({ handlers, calls, logger }));
  server.addService(HealthService, createHealthService(['pluginv2.Data', 'pluginv2.Diagnostics', 'pluginv2.Resource']));
  server.addService(GRPCControllerService, createControllerService(options.onShutdownRequest));

  const { network, bindAddress, address, socketDir } = listenTarget(options.listen, config);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(bindAddress, ServerCredentials.createInsecure(), (error, boundPort) =>
      error ? reject(new Error(`cannot listen on ${address}: ${error.message}`)) : resolve(boundPort)
    )
  );
  const announced = network === 'tcp' ? address.replace(/:0$/, `:${port}`) : address;

  let stopping: Promise<void> | undefined;
  return {
    network,
    address: announced,
    metrics,
    calls,
    stop(reason, graceMs = 1500) {
      stopping ??= new Promise<void>((resolve) => {
        logger.info('stopping', { reason, callsInFlight: calls.size });
        calls.cancelAll(reason);
        const force = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, graceMs);
        force.unref();
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }).finally(() => {
        if (socketDir) {
          rmSync(socketDir, { recursive: true, force: true });
        }
      });
      return stopping;
    },
  };
}

function listenTarget(
  listen: string | undefined,
  config: RuntimeConfig
): { network: ListenNetwork; bindAddress: string; address: string; socketDir?: string } {
  if (listen?.startsWith('unix:')) {
    const path = listen.slice('unix:'.length);
    return { network: 'unix', bindAddress: `unix:${path}`, address: path };
  }
  if (listen) {
    return { network: 'tcp', bindAddress: listen, address: listen };
  }
  if (config.listenNetwork === 'unix') {
    const dir = mkdtempSync(join(config.unixSocketDir ?? tmpdir(), 'sluice-'));
    const path = join(dir, 'plugin.sock');
    return { network: 'unix', bindAddress: `unix:${path}`, address: path, socketDir: dir };
  }
  return { network: 'tcp', bindAddress: '127.0.0.1:0', address: '127.0.0.1:0' };
}
