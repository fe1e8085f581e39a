/**
 * The types handlers see. They are plain TypeScript, kept apart from the generated protobuf
 * messages (services/ converts between the two), like grafana-plugin-sdk-go's backend package.
 */
import type { ChunkedDataWriter } from './chunked/writer';
import type { ErrorSource } from './errors';
import type { Frame } from './frames';
import type { Logger } from './log';

export type FrameFormat = 'arrow' | 'json';

export interface User {
  login: string;
  name: string;
  email: string;
  role: string;
}

export interface DataSourceInstanceSettings {
  id: number;
  uid: string;
  name: string;
  url: string;
  user: string;
  database: string;
  basicAuthEnabled: boolean;
  basicAuthUser: string;
  /** The datasource's jsonData, unparsed: the datasource validates it with its own rules. */
  jsonData: Uint8Array;
  decryptedSecureJsonData: Record<string, string>;
  lastUpdatedMs: number;
  apiVersion: string;
}

export interface PluginContext {
  orgId: number;
  pluginId: string;
  pluginVersion: string;
  user?: User;
  dataSourceInstanceSettings?: DataSourceInstanceSettings;
  grafanaConfig: Record<string, string>;
  userAgent: string;
  apiVersion: string;
  namespace: string;
}

export interface TimeRange {
  /** Epoch milliseconds. */
  from: number;
  to: number;
}

export interface DataQuery {
  refId: string;
  queryType: string;
  maxDataPoints: number;
  intervalMs: number;
  timeRange: TimeRange;
  /** The query model from the frontend, unparsed. */
  json: Uint8Array;
}

export interface QueryDataRequest {
  pluginContext: PluginContext;
  headers: Record<string, string>;
  queries: DataQuery[];
  format: FrameFormat;
}

export interface DataResponse {
  frames: Frame[];
  error?: { status: number; message: string; source: ErrorSource };
}

/** One DataResponse per refId. */
export type QueryDataResponse = Map<string, DataResponse>;

/** What every call gets besides its request: cancellation and a logger. */
export interface CallContext {
  /** Fires when Grafana cancels the call or the plugin shuts down. */
  signal: AbortSignal;
  logger: Logger;
}

export interface QueryDataHandler {
  queryData(request: QueryDataRequest, ctx: CallContext): Promise<QueryDataResponse>;
}

export interface QueryChunkedDataHandler {
  /** Write frames row by row; pending rows are flushed when the returned promise settles. */
  queryChunkedData(request: QueryDataRequest, writer: ChunkedDataWriter, ctx: CallContext): Promise<void>;
}

export type HealthStatus = 'ok' | 'error' | 'unknown';

export interface CheckHealthRequest {
  pluginContext: PluginContext;
  headers: Record<string, string>;
}

export interface CheckHealthResult {
  status: HealthStatus;
  message: string;
  details?: unknown;
}

export interface CheckHealthHandler {
  checkHealth(request: CheckHealthRequest, ctx: CallContext): Promise<CheckHealthResult>;
}

export interface CallResourceRequest {
  pluginContext: PluginContext;
  /** Path below the datasource's resources/ prefix, without a leading slash. */
  path: string;
  method: string;
  url: string;
  headers: Record<string, string[]>;
  body: Uint8Array;
}

export interface CallResourceResponse {
  status?: number;
  headers?: Record<string, string[]>;
  body?: Uint8Array | string;
}

/**
 * Streams a resource response: Grafana takes status and headers from the first message only and
 * flushes every message to the browser as it arrives.
 */
export interface CallResourceResponseSender {
  send(response: CallResourceResponse): Promise<void>;
}

export interface CallResourceHandler {
  callResource(request: CallResourceRequest, sender: CallResourceResponseSender, ctx: CallContext): Promise<void>;
}

/** Everything a plugin may implement; the runtime answers UNIMPLEMENTED for what is missing. */
export type PluginHandlers = Partial<
  QueryDataHandler & QueryChunkedDataHandler & CheckHealthHandler & CallResourceHandler
>;
