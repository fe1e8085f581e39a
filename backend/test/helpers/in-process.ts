import { SluiceDatasource } from '../../src/datasource/datasource';
import { DEFAULT_CHUNKING } from '../../src/runtime/chunked/options';
import { runtimeConfigFromEnv } from '../../src/runtime/config';
import type { PluginHandlers } from '../../src/runtime/handlers';
import { createLogger } from '../../src/runtime/log';
import { RuntimeMetrics } from '../../src/runtime/metrics';
import { PluginServer, startServer } from '../../src/runtime/server';
import { PluginClients } from './grpc';

export interface InProcess {
  server: PluginServer;
  clients: PluginClients;
  logs: string[];
  /** Stops the server (cancelling calls) and closes the clients. */
  stop(): Promise<void>;
}

/**
 * A real gRPC server on loopback, in the test's own process, built with the runtime's startServer
 * (the same function the plugin process uses). Log lines are kept instead of printed.
 */
export async function startInProcess(
  handlers: PluginHandlers,
  chunkingFor: NonNullable<Parameters<typeof startServer>[0]['chunkingFor']> = () => DEFAULT_CHUNKING
): Promise<InProcess> {
  const logs: string[] = [];
  const server = await startServer({
    handlers,
    config: runtimeConfigFromEnv({}),
    logger: createLogger({ level: 'debug', sink: (line) => logs.push(line) }),
    metrics: new RuntimeMetrics({ processMetrics: false }),
    chunkingFor,
    onShutdownRequest: () => undefined,
  });
  const clients = new PluginClients(server.address);
  return {
    server,
    clients,
    logs,
    async stop() {
      clients.close();
      await server.stop('test finished', 500);
    },
  };
}

/** The Sluice datasource in-process, with its settings-driven chunking as main.ts wires it. */
export function startSluiceInProcess(): Promise<InProcess> {
  const datasource = new SluiceDatasource('plugin');
  return startInProcess(datasource, (request) => {
    try {
      return datasource.settingsFor(request.pluginContext);
    } catch {
      return DEFAULT_CHUNKING;
    }
  });
}
