import { ClientReadableStream, credentials, Metadata, ServiceError, status as GrpcStatus } from '@grpc/grpc-js';
import { HealthCheckResponse_ServingStatus, HealthClient } from '../../src/generated/grpc/health/v1/health';
import { GRPCControllerClient } from '../../src/generated/plugin/grpc_controller';
import * as pb from '../../src/generated/pluginv2/backend';

/** Like Grafana's go-plugin client: no size limits of its own (math.MaxInt32 both ways). */
const CHANNEL_OPTIONS = { 'grpc.max_receive_message_length': -1, 'grpc.max_send_message_length': -1 };

export { GrpcStatus, HealthCheckResponse_ServingStatus };

/** One client per service a Grafana host dispenses, all on the same target. */
export class PluginClients {
  readonly data: pb.DataClient;
  readonly diagnostics: pb.DiagnosticsClient;
  readonly resource: pb.ResourceClient;
  readonly health: HealthClient;
  readonly controller: GRPCControllerClient;

  constructor(readonly target: string) {
    const creds = credentials.createInsecure();
    this.data = new pb.DataClient(target, creds, CHANNEL_OPTIONS);
    this.diagnostics = new pb.DiagnosticsClient(target, creds, CHANNEL_OPTIONS);
    this.resource = new pb.ResourceClient(target, creds, CHANNEL_OPTIONS);
    this.health = new HealthClient(target, creds, CHANNEL_OPTIONS);
    this.controller = new GRPCControllerClient(target, creds, CHANNEL_OPTIONS);
  }

  close(): void {
    for (const client of [this.data, this.diagnostics, this.resource, this.health, this.controller]) {
      client.close();
    }
  }

  healthCheck(service: string): Promise<HealthCheckResponse_ServingStatus> {
    return new Promise((resolve, reject) =>
      this.health.check({ service }, new Metadata(), deadline(10_000), (error, reply) =>
        error ? reject(error) : resolve(reply.status)
      )
    );
  }

  shutdown(): Promise<void> {
    return new Promise((resolve, reject) =>
      this.controller.shutdown({}, new Metadata(), deadline(10_000), (error) => (error ? reject(error) : resolve()))
    );
  }

  queryData(request: pb.QueryDataRequest): Promise<pb.QueryDataResponse> {
    return new Promise((resolve, reject) =>
      this.data.queryData(request, new Metadata(), deadline(60_000), (error, reply) =>
        error ? reject(error) : resolve(reply)
      )
    );
  }

  checkHealth(jsonData: string): Promise<pb.CheckHealthResponse> {
    return new Promise((resolve, reject) =>
      this.diagnostics.checkHealth(
        { pluginContext: pluginContext(jsonData), headers: {} },
        new Metadata(),
        deadline(10_000),
        (error, reply) => (error ? reject(error) : resolve(reply))
      )
    );
  }

  /** The Prometheus text of Diagnostics.CollectMetrics. */
  collectMetrics(): Promise<string> {
    return new Promise((resolve, reject) =>
      this.diagnostics.collectMetrics(
        { pluginContext: pluginContext() },
        new Metadata(),
        deadline(10_000),
        (error, reply) => (error ? reject(error) : resolve(reply.metrics?.prometheus.toString('utf8') ?? ''))
      )
    );
  }

  /** Runs QueryChunkedData to its end and returns every message with its arrival time. */
  queryChunked(request: pb.QueryChunkedDataRequest): Promise<StreamResult<pb.QueryChunkedDataResponse>> {
    return collectStream(this.data.queryChunkedData(request, deadline(60_000)));
  }

  callResource(request: Partial<pb.CallResourceRequest>): Promise<StreamResult<pb.CallResourceResponse>> {
    return collectStream(
      this.resource.callResource(
        {
          pluginContext: pluginContext(),
          path: '',
          method: 'GET',
          url: '',
          headers: {},
          body: Buffer.alloc(0),
          ...request,
        },
        deadline(60_000)
      )
    );
  }
}

export function deadline(ms: number): { deadline: number } {
  return { deadline: Date.now() + ms };
}

export interface Received<T> {
  message: T;
  /** performance.now() at arrival. */
  at: number;
}

export interface StreamResult<T> {
  messages: Received<T>[];
  /** The final status; undefined when the stream ended with OK. */
  error?: ServiceError;
  /** performance.now() when the call was started and when its status arrived. */
  startedAt: number;
  endedAt: number;
}

/** Reads a server stream to its end. Never rejects: a non-OK status is returned in `error`. */
export function collectStream<T>(call: ClientReadableStream<T>): Promise<StreamResult<T>> {
  const startedAt = performance.now();
  const messages: Received<T>[] = [];
  return new Promise((resolve) => {
    let error: ServiceError | undefined;
    call.on('data', (message: T) => messages.push({ message, at: performance.now() }));
    call.on('error', (e: ServiceError) => (error = e));
    call.on('status', () => {
      // 'status' can come before the last 'error'; let that settle first.
      setImmediate(() => resolve({ messages, error, startedAt, endedAt: performance.now() }));
    });
  });
}

export function isServiceError(error: unknown, code: GrpcStatus): error is ServiceError {
  return typeof error === 'object' && error !== null && (error as ServiceError).code === code;
}

export function pluginContext(jsonData = '{}'): pb.PluginContext {
  return {
    orgId: 1n,
    pluginId: 'sluice-datasource',
    user: { login: 'admin', name: 'Admin', email: 'admin@example.com', role: 'Admin' },
    appInstanceSettings: undefined,
    dataSourceInstanceSettings: {
      id: 1n,
      name: 'Sluice',
      url: '',
      user: '',
      database: '',
      basicAuthEnabled: false,
      basicAuthUser: '',
      jsonData: Buffer.from(jsonData),
      decryptedSecureJsonData: {},
      lastUpdatedMS: 0n,
      uid: 'sluice-test',
      apiVersion: '',
    },
    grafanaConfig: {},
    pluginVersion: '0.1.0',
    userAgent: 'sluice-integration-tests',
    apiVersion: '',
    namespace: 'default',
  };
}

/** 2023-11-14T22:13:20Z, the `from` of every test query. */
export const FROM_MS = 1_700_000_000_000;
export const TO_MS = FROM_MS + 3_600_000;

export function dataQuery(
  refId: string,
  model: Record<string, unknown> | string,
  queryType = 'synthetic'
): pb.DataQuery {
  return {
    refId,
    maxDataPoints: 1000n,
    intervalMS: 1000n,
    timeRange: { fromEpochMS: BigInt(FROM_MS), toEpochMS: BigInt(TO_MS) },
    json: Buffer.from(typeof model === 'string' ? model : JSON.stringify({ refId, queryType, ...model })),
    queryType,
  };
}

export type Format = 'json' | 'arrow';

export function queryRequest(queries: pb.DataQuery[], format: Format, jsonData = '{}'): pb.QueryDataRequest {
  return {
    pluginContext: pluginContext(jsonData),
    headers: {},
    queries,
    format: format === 'json' ? pb.DataFrameFormat.JSON : pb.DataFrameFormat.ARROW,
  };
}
