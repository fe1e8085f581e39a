/**
 * The embedded store of a real backend process, seen from a test: start it on a data directory with
 * the remote-write receiver on a free port, read `samples` back as series, and ask the metadata
 * resources.
 */
import * as pb from '../../src/generated/pluginv2/backend';
import { decodeChunks } from './frames';
import { PluginClients, queryRequest } from './grpc';
import { startPlugin } from './plugin';
import { TrackedProcess } from './process';

export interface StoreProcess {
  proc: TrackedProcess;
  clients: PluginClients;
  /** `http://HOST:PORT/api/v1/write`, or undefined when the receiver is off. */
  writeUrl?: string;
}

/** Starts the backend on `dataDir` (no demo data) with the receiver on a free port unless `ingest` is false. */
export async function startStore(
  dataDir: string,
  ingest = true,
  env: Record<string, string> = {}
): Promise<StoreProcess> {
  const { proc, handshake } = await startPlugin({
    GF_PLUGIN_DATA_DIR: dataDir,
    GF_PLUGIN_INGEST_ADDRESS: ingest ? '127.0.0.1:0' : 'off',
    GF_PLUGIN_DEMO_DATA: 'false',
    ...env,
  });
  const clients = new PluginClients(handshake.target);
  const store = await storeSettings(clients);
  if (store.available !== true) {
    throw new Error(`store not available: ${JSON.stringify(store)}\n${proc.stderr}`);
  }
  const writeUrl = typeof store.ingestAddress === 'string' ? `http://${store.ingestAddress}/api/v1/write` : undefined;
  return { proc, clients, writeUrl };
}

/** The `store` part of the `GET settings` resource. */
export async function storeSettings(c: PluginClients): Promise<Record<string, unknown>> {
  const result = await c.callResource({ path: 'settings', method: 'GET' });
  const body = JSON.parse(Buffer.concat(result.messages.map((m) => m.message.body)).toString('utf8')) as {
    store: Record<string, unknown>;
  };
  return body.store;
}

/** A GET resource answered with JSON. */
export async function getResource(
  c: PluginClients,
  path: string,
  url = `/${path}`
): Promise<{ code: number; body: { status?: string; data?: unknown; error?: string } }> {
  const result = await c.callResource({ path, method: 'GET', url });
  return {
    code: result.messages[0].message.code,
    body: JSON.parse(Buffer.concat(result.messages.map((m) => m.message.body)).toString('utf8')),
  };
}

export interface StoredSeries {
  labels: Record<string, string>;
  timestamps: number[];
  values: number[];
}

/** A canonical key for a label set: sorted `name="value"` pairs. */
export function seriesKey(labels: Record<string, string>): string {
  return Object.keys(labels)
    .sort()
    .map((name) => `${name}=${JSON.stringify(labels[name])}`)
    .join(',');
}

/** Every sample a `samples` query returns for `selector` in [fromMs, toMs], grouped by series key. */
export async function storedSamples(
  c: PluginClients,
  selector: string,
  fromMs: number,
  toMs: number
): Promise<Map<string, StoredSeries>> {
  const query: pb.DataQuery = {
    refId: 'A',
    maxDataPoints: 1000n,
    intervalMS: 1000n,
    timeRange: { fromEpochMS: BigInt(fromMs), toEpochMS: BigInt(toMs) },
    json: Buffer.from(JSON.stringify({ refId: 'A', queryType: 'samples', selector })),
    queryType: 'samples',
  };
  const result = await c.queryChunked(queryRequest([query], 'arrow'));
  if (result.error) {
    throw result.error;
  }
  const chunks = decodeChunks(result.messages.map((m) => m.message));
  const out = new Map<string, StoredSeries>();
  for (const chunk of chunks) {
    if (chunk.status !== 200 || !chunk.frame) {
      throw new Error(`samples query answered ${chunk.status}: ${chunk.error}`);
    }
    const frame = chunk.frame;
    const names = frame.schema.fields.map((f) => f.name);
    for (let i = 0; i < frame.length; i++) {
      const row = frame.getRow(i);
      const labels: Record<string, string> = {};
      for (let j = 2; j < names.length; j++) {
        if (row[j] !== null && row[j] !== undefined) {
          labels[names[j]] = row[j] as string;
        }
      }
      const key = seriesKey(labels);
      let series = out.get(key);
      if (!series) {
        series = { labels, timestamps: [], values: [] };
        out.set(key, series);
      }
      series.timestamps.push(Number(row[0]));
      series.values.push(row[1] as number);
    }
  }
  return out;
}

/** Samples of a Prometheus text exposition line set: `name{labels} value` → value, for one metric name. */
export function metricValues(text: string, name: string): Array<{ labels: string; value: number }> {
  const out: Array<{ labels: string; value: number }> = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) {
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (m && m[1] === name) {
      out.push({ labels: m[2] ?? '', value: Number(m[3]) });
    }
  }
  return out;
}
