import { format } from 'node:util';
import { ConfigError, runtimeConfigFromEnv } from './config';
import { errorMessage } from './errors';
import { announceHandshake, hasMagicCookie, MISSING_COOKIE_MESSAGE } from './handshake';
import { createLogger, Logger } from './log';
import type { PluginHandlers } from './handlers';
import { PluginServer, ServerOptions, startServer } from './server';

export type ServeMode =
  /** Started by Grafana: handshake on stdout, exit on Shutdown or when Grafana goes away. */
  | { kind: 'plugin' }
  /** Runs on its own next to Grafana: ignores Shutdown so Grafana restarts don't stop it. */
  | { kind: 'sidecar'; listen: string };

export type ServeOptions = Omit<ServerOptions, 'config' | 'logger' | 'onShutdownRequest' | 'listen' | 'handlers'> & {
  mode: ServeMode;
  logger?: Logger;
  /** The handlers, or a factory run once the process checks passed (e.g. to open a store first). */
  handlers: PluginHandlers | ((logger: Logger) => Promise<PluginHandlers>);
};

const PARENT_CHECK_MS = 500;
/** Set by the launcher to Grafana's pid, read before the handshake. */
export const PARENT_PID_ENV = 'SLUICE_PARENT_PID';

/**
 * Runs a plugin process the way go-plugin expects: everything on stderr as hclog JSON, one
 * handshake line on stdout, Shutdown honoured, and no life after Grafana's.
 */
export async function serve(options: ServeOptions): Promise<PluginServer> {
  // Read before anything else: Grafana may die while we start, and then our ppid is already someone else's.
  const parentPid = Number(process.env[PARENT_PID_ENV]) || process.ppid;
  const { mode } = options;
  // Started by Grafana, errors are hclog JSON so Grafana shows them with their level; by hand, plain text.
  const startupLogger = hasMagicCookie() ? createLogger() : undefined;
  let config;
  try {
    config = runtimeConfigFromEnv();
  } catch (error) {
    return fail(error instanceof ConfigError ? error.message : errorMessage(error), startupLogger);
  }
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  if (mode.kind === 'plugin' && !hasMagicCookie()) {
    return fail(MISSING_COOKIE_MESSAGE);
  }
  routeConsoleToLogger(logger);
  process.on('unhandledRejection', (reason) =>
    logger.error('unhandled promise rejection', { error: errorMessage(reason) })
  );

  let server: PluginServer | undefined;
  const exit = (reason: string) => {
    const stopped = server ? server.stop(reason) : Promise.resolve();
    void stopped.finally(() => process.exit(0));
  };
  try {
    const handlers = typeof options.handlers === 'function' ? await options.handlers(logger) : options.handlers;
    server = await startServer({
      ...options,
      handlers,
      config,
      logger,
      listen: mode.kind === 'sidecar' ? mode.listen : undefined,
      onShutdownRequest: () => {
        if (mode.kind === 'sidecar') {
          logger.info('ignoring Shutdown from a Grafana: a sidecar outlives Grafana restarts');
          return;
        }
        exit('Shutdown requested by Grafana');
      },
    });
  } catch (error) {
    return fail(errorMessage(error), logger);
  }

  if (mode.kind === 'plugin') {
    try {
      announceHandshake(server.network, server.address);
    } catch (error) {
      // Nobody can read the handshake (stdout closed): a Go plugin would die of SIGPIPE here.
      await server.stop('the handshake could not be written');
      return fail(`cannot write the handshake: ${errorMessage(error)}`, logger);
    }
    watchParent(parentPid, () => exit('Grafana (the parent process) is gone'));
  }
  logger.info('serving', { mode: mode.kind, network: server.network, address: server.address, pid: process.pid });
  return server;
}

function fail(message: string, logger?: Logger): never {
  if (logger) {
    logger.error(message);
  } else {
    process.stderr.write(message + '\n');
  }
  process.exit(1);
}

/**
 * A process whose parent died is re-parented; Grafana sends no signal we could wait for. The
 * launcher passes Grafana's pid along (SLUICE_PARENT_PID), since node may start after it died.
 */
function watchParent(parentPid: number, onGone: () => void): void {
  const check = () => {
    if (process.ppid !== parentPid) {
      clearInterval(timer);
      onGone();
    }
  };
  const timer = setInterval(check, PARENT_CHECK_MS);
  timer.unref();
  check();
}

/** A stray console.log from a library would corrupt the handshake stream; send it to stderr. */
function routeConsoleToLogger(logger: Logger): void {
  const toLog =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]) =>
      logger[level](format(...args));
  /* eslint-disable no-console -- replacing console, not printing */
  console.log = toLog('info');
  console.info = toLog('info');
  console.debug = toLog('debug');
  console.warn = toLog('warn');
  console.error = toLog('error');
  /* eslint-enable no-console */
}
