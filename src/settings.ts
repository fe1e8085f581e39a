import type { SluiceOptions, TransportPreference } from './types';
import { integerOr, IntegerRange } from './validation';

type IntegerSettingKey = Exclude<keyof SluiceOptions, 'transport' | 'timeInterval'>;

export interface IntegerSettingSpec extends IntegerRange {
  key: IntegerSettingKey;
  label: string;
  description: string;
  defaultValue: number;
}

/**
 * Settings the backend applies. Ranges and defaults mirror backend/src/datasource/settings.ts
 * (CHUNKING_LIMITS and LIMITS), so the editor rejects exactly what the backend would.
 */
export const BACKEND_SETTINGS: IntegerSettingSpec[] = [
  {
    key: 'chunkRows',
    label: 'Chunk rows',
    description: 'Rows per chunk sent to Grafana. Queries may override it.',
    defaultValue: 1000,
    min: 1,
    max: 1_000_000,
  },
  {
    key: 'flushIntervalMs',
    label: 'Flush interval (ms)',
    description: 'A partly filled chunk is sent after this long, so slow queries show progress.',
    defaultValue: 250,
    min: 10,
    max: 60_000,
  },
  {
    key: 'maxChunkBytes',
    label: 'Max chunk bytes',
    description: 'A chunk is sent early when its encoded size would pass this.',
    defaultValue: 1_048_576,
    min: 4096,
    max: 67_108_864,
  },
  {
    key: 'maxUnaryBytes',
    label: 'Max unary bytes',
    description: 'Largest result a plain (non-streamed) QueryData response may hold, e.g. for alerting.',
    defaultValue: 268_435_456,
    min: 1_048_576,
    max: 2_147_483_647,
  },
  {
    key: 'maxConcurrentQueries',
    label: 'Max concurrent queries',
    description: 'Queries of one request that run at the same time.',
    defaultValue: 4,
    min: 1,
    max: 64,
  },
];

/** PromQL limits the backend applies (DEFAULT_SETTINGS and LIMITS in backend/src/datasource/settings.ts). */
export const PROMQL_SETTINGS: IntegerSettingSpec[] = [
  {
    key: 'lookbackDeltaMs',
    label: 'Lookback delta (ms)',
    description: 'How far back an instant selector looks for a sample, like Prometheus’ --query.lookback-delta.',
    defaultValue: 300_000,
    min: 1000,
    max: 604_800_000,
  },
  {
    key: 'queryTimeoutMs',
    label: 'Query timeout (ms)',
    description: 'A PromQL query running longer fails with 504, like --query.timeout.',
    defaultValue: 120_000,
    min: 1000,
    max: 3_600_000,
  },
  {
    key: 'queryMaxSamples',
    label: 'Max samples per query',
    description: 'Samples one query may hold in memory at once, like --query.max-samples.',
    defaultValue: 50_000_000,
    min: 1000,
    max: 1_000_000_000,
  },
];

/** Limits the browser applies to streamed results, so a huge result cannot freeze the tab. */
export const BROWSER_SETTINGS: IntegerSettingSpec[] = [
  {
    key: 'maxFrames',
    label: 'Max frames',
    description: 'Frames (series) kept per response; more are dropped with a warning.',
    defaultValue: 1000,
    min: 1,
    max: 1_000_000,
  },
  {
    key: 'maxRowsPerQuery',
    label: 'Max rows per query',
    description: 'Rows kept per query in the browser; the rest is cut with a warning.',
    defaultValue: 10_000_000,
    min: 1,
    max: 1_000_000_000,
  },
];

export const TRANSPORTS: Array<{ value: TransportPreference; label: string; description: string }> = [
  {
    value: 'auto',
    label: 'Auto',
    description: "Grafana's chunked JSONL endpoint, else the plugin's stream, else plain QueryData",
  },
  {
    value: 'jsonl',
    label: 'JSONL',
    description: "Grafana's experimental chunked query endpoint, else plain QueryData",
  },
  { value: 'resource', label: 'Resource stream', description: "The plugin's own NDJSON stream, else plain QueryData" },
  { value: 'unary', label: 'Unary', description: 'Plain QueryData through /api/ds/query: no progressive results' },
];

export interface BrowserLimits {
  maxFrames: number;
  maxRowsPerQuery: number;
}

/** The browser-side limits of a datasource; an invalid stored value falls back to the default. */
export function browserLimits(options: SluiceOptions): BrowserLimits {
  const [frames, rows] = BROWSER_SETTINGS;
  return {
    maxFrames: integerOr(options.maxFrames, frames.defaultValue, frames),
    maxRowsPerQuery: integerOr(options.maxRowsPerQuery, rows.defaultValue, rows),
  };
}
