/**
 * A small remote-write sender (v1 and v2) on the generated protobuf code and snappyjs, for tests and the
 * benchmark. Values go through the generated encoder as JS numbers written with DataView.setFloat64,
 * so NaN payloads such as the stale marker arrive bit-exact.
 */
import { request } from 'node:http';

import { WriteRequest } from '../generated/prometheus/types';
import { Request as RequestV2 } from '../generated/prometheus/write/v2/types';
import { V1_PROTO, V2_PROTO } from './content-negotiation';
import { snappyCompress } from './snappy';

export interface SenderSeries {
  /** Sent in the given order (senders must sort them; tests may not). */
  labels: ReadonlyArray<readonly [string, string]>;
  /** Milliseconds since the epoch. */
  timestamps: ArrayLike<number>;
  /**
   * Use a Float64Array to send exact NaN payloads: V8 quiets signalling NaNs such as the stale marker
   * (0x7ff0000000000002 → 0x7ff8000000000002) when they are stored in plain JS arrays.
   */
  values: ArrayLike<number>;
}

function samplesOf(s: SenderSeries): Array<{ timestamp: bigint; value: number }> {
  if (s.timestamps.length !== s.values.length) {
    throw new Error('sender: timestamps and values differ in length');
  }
  return Array.from(s.timestamps, (t, i) => ({ timestamp: BigInt(t), value: s.values[i] }));
}

/** The uncompressed `prometheus.WriteRequest` protobuf. */
export function encodeV1(series: readonly SenderSeries[]): Uint8Array {
  return WriteRequest.encode({
    timeseries: series.map((s) => ({
      labels: s.labels.map(([name, value]) => ({ name: Buffer.from(name), value: Buffer.from(value) })),
      samples: samplesOf(s),
      exemplars: [],
      histograms: [],
    })),
    metadata: [],
  }).finish();
}

/** The uncompressed `io.prometheus.write.v2.Request` protobuf, with an interned symbol table. */
export function encodeV2(series: readonly SenderSeries[]): Uint8Array {
  const symbols = [''];
  const index = new Map<string, number>([['', 0]]);
  const ref = (s: string): number => {
    let i = index.get(s);
    if (i === undefined) {
      i = symbols.length;
      symbols.push(s);
      index.set(s, i);
    }
    return i;
  };
  const timeseries = series.map((s) => ({
    labelsRefs: s.labels.flatMap(([name, value]) => [ref(name), ref(value)]),
    samples: samplesOf(s).map((x) => ({ ...x, startTimestamp: 0n })),
    histograms: [],
    exemplars: [],
    metadata: undefined,
    createdTimestamp: 0n,
  }));
  return RequestV2.encode({ symbols: symbols.map((s) => Buffer.from(s, 'utf8')), timeseries }).finish();
}

export interface SendOptions {
  version?: 1 | 2;
  bearerToken?: string;
  /** Overrides of the standard headers (tests use it to send wrong ones); `undefined` removes one. */
  headers?: Record<string, string | undefined>;
}

export interface SendResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** The standard request headers for a version. */
export function remoteWriteHeaders(version: 1 | 2): Record<string, string> {
  return {
    'Content-Encoding': 'snappy',
    'Content-Type': `application/x-protobuf;proto=${version === 2 ? V2_PROTO : V1_PROTO}`,
    'X-Prometheus-Remote-Write-Version': version === 2 ? '2.0.0' : '0.1.0',
    'User-Agent': 'sluice-sender',
  };
}

/** POSTs an already encoded protobuf (compressed here) or raw body bytes (`compressed: true`). */
export function sendRemoteWrite(
  url: string,
  payload: Uint8Array,
  options: SendOptions & { compressed?: boolean } = {}
): Promise<SendResult> {
  const version = options.version ?? 1;
  const body = options.compressed ? payload : snappyCompress(payload);
  const headers: Record<string, string> = remoteWriteHeaders(version);
  for (const [k, v] of Object.entries(options.headers ?? {})) {
    if (v === undefined) delete headers[k];
    else headers[k] = v;
  }
  if (options.bearerToken !== undefined) headers.Authorization = `Bearer ${options.bearerToken}`;
  headers['Content-Length'] = String(body.length);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') })
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
