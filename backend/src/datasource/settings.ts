import { CHUNKING_LIMITS, ChunkingOptions, DEFAULT_CHUNKING } from '../runtime/chunked/options';
import { QueryError } from '../runtime/errors';
import { DEFAULT_MAX_UNARY_BYTES } from '../runtime/server';

/** A datasource's options (jsonData), validated; every limit has a name here. */
export interface DatasourceSettings extends ChunkingOptions {
  /** Largest result QueryData may hold whole in memory. */
  maxUnaryBytes: number;
  /** Queries of one request run at most this many at a time. */
  maxConcurrentQueries: number;
  /** Largest `rows` a synthetic query may ask for. */
  syntheticMaxRows: number;
}

export const DEFAULT_SETTINGS: DatasourceSettings = {
  ...DEFAULT_CHUNKING,
  maxUnaryBytes: DEFAULT_MAX_UNARY_BYTES,
  maxConcurrentQueries: 4,
  syntheticMaxRows: 100_000_000,
};

const LIMITS: Record<keyof DatasourceSettings, { min: number; max: number }> = {
  ...CHUNKING_LIMITS,
  maxUnaryBytes: { min: 1024 * 1024, max: 2 ** 31 - 1 },
  maxConcurrentQueries: { min: 1, max: 64 },
  syntheticMaxRows: { min: 0, max: 1_000_000_000 },
};

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
  for (const key of Object.keys(LIMITS) as (keyof DatasourceSettings)[]) {
    const value = values[key];
    if (value === undefined || value === null || value === '') {
      continue;
    }
    settings[key] = integerInRange(key, value, LIMITS[key], (message) => new SettingsError(message));
  }
  return settings;
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
