import { DataQueryRequest, DataSourceInstanceSettings, dateTime, PluginType } from '@grafana/data';

import { DataSource } from '../datasource';
import type { SluiceOptions, SluiceQuery } from '../types';

export const DS_UID = 'sluice-uid';

export function makeDataSource(jsonData: SluiceOptions = {}): DataSource {
  const settings: DataSourceInstanceSettings<SluiceOptions> = {
    id: 7,
    uid: DS_UID,
    type: 'sluice-datasource',
    name: 'Sluice',
    access: 'proxy',
    readOnly: false,
    jsonData,
    meta: {
      id: 'sluice-datasource',
      name: 'Sluice',
      type: PluginType.datasource,
      module: '',
      baseUrl: '',
      info: {
        author: { name: 'Sluice' },
        description: '',
        links: [],
        logos: { small: '', large: '' },
        screenshots: [],
        updated: '',
        version: '',
      },
    },
  };
  const datasource = new DataSource(settings);
  datasource.snapshotIntervalMs = 0;
  return datasource;
}

export function syntheticQuery(refId: string, rows = 1000): SluiceQuery {
  return { refId, queryType: 'synthetic', rows };
}

export function makeRequest(targets: SluiceQuery[], extra: Partial<DataQueryRequest<SluiceQuery>> = {}) {
  const from = dateTime(1_700_000_000_000);
  const to = dateTime(1_700_003_600_000);
  const request: DataQueryRequest<SluiceQuery> = {
    requestId: 'Q1',
    interval: '1s',
    intervalMs: 1000,
    maxDataPoints: 500,
    range: { from, to, raw: { from: 'now-1h', to: 'now' } },
    scopedVars: {},
    targets,
    timezone: 'utc',
    app: 'dashboard',
    startTime: 0,
    ...extra,
  };
  return request;
}

/** A synthetic frame chunk: rows `start`…`start+rows-1`, schema only on the first chunk. */
export function syntheticFrame(refId: string, start: number, rows: number, withSchema: boolean) {
  const index = Array.from({ length: rows }, (_, i) => start + i);
  const data = {
    values: [
      index.map((i) => 1_700_000_000_000 + i * 1000),
      index.map((i) => i / 2),
      index.map((i) => `series-${i % 10}`),
    ],
  };
  if (!withSchema) {
    return { data };
  }
  return {
    schema: {
      name: 'synthetic',
      refId,
      fields: [
        { name: 'time', type: 'time', typeInfo: { frame: 'time.Time' } },
        { name: 'value', type: 'number', typeInfo: { frame: 'float64' } },
        { name: 'series', type: 'string', typeInfo: { frame: 'string' } },
      ],
    },
    data,
  };
}

/** The backend's NDJSON lines (`POST resources/query`). */
export const ndjson = {
  frame: (refId: string, start: number, rows: number, frameId = 'synthetic') =>
    `${JSON.stringify({ type: 'frame', refId, frameId, rows, frame: syntheticFrame(refId, start, rows, start === 0) })}\n`,
  progress: (refId: string, rows: number, total?: number) =>
    `${JSON.stringify({ type: 'progress', refId, rows, total, chunks: 1, bytes: 100, elapsedMs: 5 })}\n`,
  error: (message: string, refId?: string, status = 400) =>
    `${JSON.stringify({ type: 'error', refId, status, error: message, errorSource: 'plugin' })}\n`,
  end: () => `${JSON.stringify({ type: 'end', chunks: 1, rows: 1, bytes: 1, elapsedMs: 1 })}\n`,
};

/** Grafana's JSONL lines (`/apis/…/query`, Accept: text/jsonl). */
export const jsonl = {
  frame: (refId: string, start: number, rows: number, frameId = 'synthetic') =>
    `${JSON.stringify({ refId, frameId, frame: syntheticFrame(refId, start, rows, start === 0) })}\n`,
  error: (refId: string, message: string) => `${JSON.stringify({ refId, error: message, errorSource: 'plugin' })}\n`,
};
