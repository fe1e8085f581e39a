import type { StorageOptions } from '../storage';

/**
 * Where the embedded store lives and how it is fed: process-wide `[plugin.sluice-datasource]` keys
 * (GF_PLUGIN_<KEY>), since one store serves every datasource instance of the process.
 */
export interface StoreSettings {
  /** No data directory, no store: queries of stored data answer 503 with a message saying so. */
  dataDir?: string;
  storage: Omit<StorageOptions, 'dataDir'>;
  /** `HOST:PORT` of the remote-write receiver, or undefined when turned off. */
  ingestAddress?: string;
  ingestToken?: string;
  /** Seed demo series into an empty store (the embedded default shows data at once). */
  demoData: boolean;
  /** How often retention is applied and the WAL checkpointed (which truncates it). */
  maintenanceIntervalMs: number;
}

export const STORE_ENV = {
  dataDir: 'GF_PLUGIN_DATA_DIR',
  retention: 'GF_PLUGIN_RETENTION',
  fsync: 'GF_PLUGIN_FSYNC',
  outOfOrderWindow: 'GF_PLUGIN_OUT_OF_ORDER_WINDOW',
  ingestAddress: 'GF_PLUGIN_INGEST_ADDRESS',
  ingestToken: 'GF_PLUGIN_INGEST_TOKEN',
  demoData: 'GF_PLUGIN_DEMO_DATA',
  maintenanceInterval: 'GF_PLUGIN_MAINTENANCE_INTERVAL',
} as const;

const DURATION_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export function storeSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): StoreSettings {
  const fsync = env[STORE_ENV.fsync]?.trim() || 'always';
  if (fsync !== 'always' && fsync !== 'interval' && fsync !== 'never') {
    throw new Error(`${STORE_ENV.fsync}=${fsync} must be always, interval or never`);
  }
  const ingest = env[STORE_ENV.ingestAddress]?.trim() || '127.0.0.1:9201';
  return {
    dataDir: env[STORE_ENV.dataDir]?.trim() || undefined,
    storage: {
      retentionMs: duration(env, STORE_ENV.retention, 15 * DURATION_MS.d),
      fsync,
      outOfOrderWindowMs: duration(env, STORE_ENV.outOfOrderWindow, 0),
    },
    ingestAddress: ingest === 'off' ? undefined : ingest,
    ingestToken: env[STORE_ENV.ingestToken] || undefined,
    demoData: flag(env, STORE_ENV.demoData, true),
    maintenanceIntervalMs: duration(env, STORE_ENV.maintenanceInterval, 15 * DURATION_MS.m),
  };
}

function duration(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) {
    return fallback;
  }
  const match = /^(\d+)(ms|s|m|h|d|w)$/.exec(raw);
  if (!match) {
    throw new Error(`${name}=${raw} must be a duration such as 90s, 6h or 15d`);
  }
  return Number(match[1]) * DURATION_MS[match[2]];
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) {
    return fallback;
  }
  if (raw === 'true' || raw === '1') {
    return true;
  }
  if (raw === 'false' || raw === '0') {
    return false;
  }
  throw new Error(`${name}=${raw} must be true or false`);
}
