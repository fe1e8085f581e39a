import { isLogLevel, LogLevel } from './log';

/**
 * Process-wide settings. Grafana forwards `[plugin.sluice-datasource]` ini keys as
 * `GF_PLUGIN_<KEY>` variables (protocol.md §1.3); per-datasource settings arrive per request.
 */
export interface RuntimeConfig {
  /** Largest gRPC message accepted (CallResource bodies can be big); gRPC's own default is only 4 MiB. */
  maxReceiveMessageBytes: number;
  maxSendMessageBytes: number;
  logLevel: LogLevel;
  /** `tcp` on 127.0.0.1 (default) or a `unix` socket in `unixSocketDir`. */
  listenNetwork: 'tcp' | 'unix';
  unixSocketDir?: string;
}

export const ENV = {
  maxReceiveMessageBytes: 'GF_PLUGIN_GRPC_MAX_RECEIVE_MSG_SIZE',
  maxSendMessageBytes: 'GF_PLUGIN_GRPC_MAX_SEND_MSG_SIZE',
  logLevel: 'GF_PLUGIN_LOG_LEVEL',
  listenNetwork: 'GF_PLUGIN_LISTEN_NETWORK',
  unixSocketDir: 'PLUGIN_UNIX_SOCKET_DIR',
} as const;

const MiB = 1024 * 1024;
const MAX_INT32 = 2 ** 31 - 1;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function runtimeConfigFromEnv(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  const logLevel = env[ENV.logLevel]?.trim().toLowerCase() || 'info';
  if (!isLogLevel(logLevel)) {
    throw new ConfigError(`${ENV.logLevel}=${logLevel} is not a log level (trace, debug, info, warn, error)`);
  }
  const listenNetwork = env[ENV.listenNetwork]?.trim() || 'tcp';
  if (listenNetwork !== 'tcp' && listenNetwork !== 'unix') {
    throw new ConfigError(`${ENV.listenNetwork}=${listenNetwork} must be "tcp" or "unix"`);
  }
  return {
    maxReceiveMessageBytes: byteSize(env, ENV.maxReceiveMessageBytes, 16 * MiB, 4 * MiB),
    maxSendMessageBytes: byteSize(env, ENV.maxSendMessageBytes, MAX_INT32, 4 * MiB),
    logLevel,
    listenNetwork,
    unixSocketDir: env[ENV.unixSocketDir] || undefined,
  };
}

function byteSize(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name]?.trim();
  if (!raw) {
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > MAX_INT32) {
    throw new ConfigError(`${name}=${raw} must be a whole number of bytes between ${min} and ${MAX_INT32}`);
  }
  return value;
}
