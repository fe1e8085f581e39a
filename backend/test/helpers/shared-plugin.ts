import { PluginClients } from './grpc';
import { startPlugin } from './plugin';
import { killAll } from './process';

/**
 * One backend process for a whole test file, started the way Grafana starts it; the returned function
 * gives its clients once beforeAll has run.
 */
export function useSharedPlugin(): () => PluginClients {
  let clients: PluginClients | undefined;
  beforeAll(async () => {
    const { handshake } = await startPlugin();
    clients = new PluginClients(handshake.target);
  });
  afterAll(async () => {
    clients?.close();
    await killAll();
  });
  return () => {
    if (!clients) {
      throw new Error('the shared plugin is not started yet (use it inside tests)');
    }
    return clients;
  };
}
