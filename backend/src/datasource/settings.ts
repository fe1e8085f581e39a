import { CHUNKING_LIMITS, ChunkingOptions, DEFAULT_CHUNKING } from '../runtime/chunked/options';
import { QueryError } from '../runtime/errors';
import { DEFAULT_MAX_UNARY_BYTES } from '../runtime/server';
import { DEFAULT_SCRAPE_INTERVAL_MS, parseIntervalMs } from './promql-interval';

/** The integer options of a datasource (jsonData); every limit has a name here. */
interface IntegerSettings extends ChunkingOptions {
  /** Largest result QueryData may hold whole in memory. */
  maxUnaryBytes: number;
  /** Queries of one request run at most this many at a time. */
  maxConcurrentQueries: number;
  /** Largest `rows` a synthetic query may ask for. */
  syntheticMaxRows: number;
  /** How far back a PromQL instant selector looks for a sample (Prometheus' --query.lookback-delta). */
  lookbackDeltaMs: number;
  /** A PromQL query running longer fails with 504 (Prometheus' --query.timeout). */
  queryTimeoutMs: number;
  /** Most samples one PromQL query may hold in memory at once (Prometheus' --query.max-samples). */
  queryMaxSamples: number;
}

/** A datasource's options (jsonData), validated. */
export interface DatasourceSettings extends IntegerSettings {
  /**
   * The scrape interval of the stored series, from jsonData `timeInterval` (the key Grafana's
   * Prometheus datasource uses, e.g. "15s"): the default step and the base of `$__rate_interval`.
   */
  scrapeIntervalMs: number;
}

export const DEFAULT_SETTINGS: DatasourceSettings = {
  ...DEFAULT_CHUNKING,
  maxUnaryBytes: DEFAULT_MAX_UNARY_BYTES,
  maxConcurrentQueries: 4,
  syntheticMaxRows: 100_000_000,
  lookbackDeltaMs: 5 * 60_000,
  queryTimeoutMs: 2 * 60_000,
  queryMaxSamples: 50_000_000,
  scrapeIntervalMs: DEFAULT_SCRAPE_INTERVAL_MS,
};

const LIMITS: Record<keyof IntegerSettings, { min: number; max: number }> = {
  ...CHUNKING_LIMITS,
  maxUnaryBytes: { min: 1024 * 1024, max: 2 ** 31 - 1 },
  maxConcurrentQueries: { min: 1, max: 64 },
  syntheticMaxRows: { min: 0, max: 1_000_000_000 },
  lookbackDeltaMs: { min: 1000, max: 7 * 86_400_000 },
  queryTimeoutMs: { min: 1000, max: 3_600_000 },
  queryMaxSamples: { min: 1000, max: 1_000_000_000 },
};

/** The scrape interval accepted in `timeInterval`: 1 ms to 1 day. */
const SCRAPE_INTERVAL_LIMITS = { min: 1, max: 86_400_000 };

/** Settings that cannot be used; the message names the setting. */
export class SettingsError extends QueryError {
  constructor(message: string) {
    super(400, `datasource settings: ${message}`, 'plugin');
  }
}

export function parseSettings(jsonData: Uint8Array | undefined): DatasourceSettings {
  const text = jsonData && jsonData.length > 0 ? Buffer.from(jsonData).toString('utf8') : '{}';
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new SettingsError(`jsonData is not valid JSON (${(error as Error).message})`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new SettingsError('jsonData must be a JSON object');
  }
  const values = raw as Record<string, unknown>;
  const settings = { ...DEFAULT_SETTINGS };
  for (const key of Object.keys(LIMITS) as (keyof IntegerSettings)[]) {
    const value = values[key];
    if (value === undefined || value === null || value === '') {
      continue;
    }
    settings[key] = integerInRange(key, value, LIMITS[key], (message) => new SettingsError(message));
  }
  settings.scrapeIntervalMs = scrapeInterval(values.timeInterval);
  return settings;
}

function scrapeInterval(value: unknown): number {
  if (value === undefined || value === null || value === '') {
    return DEFAULT_SCRAPE_INTERVAL_MS;
  }
  const ms = typeof value === 'string' ? parseIntervalMs(value) : undefined;
  const { min, max } = SCRAPE_INTERVAL_LIMITS;
  if (ms === undefined || ms < min || ms > max) {
    throw new SettingsError(
      `timeInterval (the scrape interval) must be a duration between 1ms and 1d such as 15s or 1m, got ${JSON.stringify(value)}`
    );
  }
  return ms;
}

/** Accepts integers and integer strings (Grafana's config forms often store numbers as text). */
export function integerInRange(
  name: string,
  value: unknown,
  range: { min: number; max: number },
  makeError: (message: string) => Error
): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < range.min || number > range.max) {
    throw makeError(`${name} must be an integer between ${range.min} and ${range.max}, got ${JSON.stringify(value)}`);
  }
  return number;
}
