import { sendUnaryData, ServerUnaryCall, ServerWritableStream, status as GrpcStatus } from '@grpc/grpc-js';
import * as pb from '../../generated/pluginv2/backend';
import type { CallTracker } from '../calls';
import type { Chunk } from '../chunked/chunk';
import { AccumulatingChunkedDataWriter } from '../chunked/accumulating';
import type { ChunkingOptions } from '../chunked/options';
import { StreamingChunkedDataWriter } from '../chunked/streaming';
import { errorMessage, isAbortError } from '../errors';
import { encodeArrowFile, encodeFrameJSON } from '../frames';
import type { FrameFormat, PluginHandlers, QueryDataRequest, QueryDataResponse } from '../handlers';
import type { Logger } from '../log';
import type { RuntimeMetrics } from '../metrics';
import { asBuffer, frameFormatToProto, queryDataRequestFromProto } from './convert';
import { writeWithBackpressure } from './grpc-sink';
import { grpcError } from './status';

export interface DataServiceDeps {
  handlers: PluginHandlers;
  calls: CallTracker;
  metrics: RuntimeMetrics;
  logger: Logger;
  /** Chunking for a request, from its datasource settings. */
  chunkingFor(request: QueryDataRequest): ChunkingOptions;
  /** Largest result QueryData holds in memory when it runs a chunked handler. */
  maxUnaryBytesFor(request: QueryDataRequest): number;
}

export function createDataService(deps: DataServiceDeps): pb.DataServer {
  return {
    queryData: (call, callback) => void queryData(deps, call, callback),
    queryChunkedData: (call) => void queryChunkedData(deps, call),
  };
}

async function queryData(
  deps: DataServiceDeps,
  call: ServerUnaryCall<pb.QueryDataRequest, pb.QueryDataResponse>,
  callback: sendUnaryData<pb.QueryDataResponse>
): Promise<void> {
  const { handlers, calls, metrics } = deps;
  const tracked = calls.begin('QueryData');
  call.on('cancelled', () => tracked.cancel('QueryData was cancelled by the client'));
  const logger = deps.logger.with({ method: 'QueryData' });
  try {
    const request = queryDataRequestFromProto(call.request);
    const ctx = { signal: tracked.signal, logger };
    let responses: QueryDataResponse;
    if (handlers.queryData) {
      responses = await handlers.queryData(request, ctx);
    } else if (handlers.queryChunkedData) {
      const writer = new AccumulatingChunkedDataWriter(
        request.format,
        deps.chunkingFor(request),
        tracked.signal,
        deps.maxUnaryBytesFor(request)
      );
      await handlers.queryChunkedData(request, writer, ctx);
      responses = writer.responses();
    } else {
      tracked.end('error');
      callback(grpcError(GrpcStatus.UNIMPLEMENTED, 'QueryData is not implemented by this plugin'));
      return;
    }
    const reply = encodeQueryDataResponse(responses, request.format, metrics);
    tracked.end('ok');
    callback(null, reply);
  } catch (error) {
    const cancelled = tracked.signal.aborted || isAbortError(error);
    tracked.end(cancelled ? 'cancelled' : 'error');
    if (!cancelled) {
      logger.error('QueryData failed', { error: errorMessage(error) });
    }
    callback(grpcError(cancelled ? GrpcStatus.CANCELLED : GrpcStatus.INTERNAL, errorMessage(error)));
  }
}

function encodeQueryDataResponse(
  responses: QueryDataResponse,
  format: FrameFormat,
  metrics: RuntimeMetrics
): pb.QueryDataResponse {
  const reply: pb.QueryDataResponse = { responses: {} };
  for (const [refId, response] of responses) {
    const frames: Buffer[] = [];
    let rows = 0;
    let bytes = 0;
    for (const frame of response.frames) {
      if (!frame.schema.refId) {
        frame.schema.refId = refId;
      }
      const encoded =
        format === 'arrow' ? asBuffer(encodeArrowFile(frame)) : Buffer.from(encodeFrameJSON(frame, 'all'));
      frames.push(encoded);
      rows += frame.length;
      bytes += encoded.length;
    }
    metrics.rows.inc({ method: 'QueryData', format }, rows);
    metrics.bytes.inc({ method: 'QueryData', format }, bytes);
    const error = response.error;
    if (error) {
      metrics.queryErrors.inc({ status: String(error.status), source: error.source });
    }
    reply.responses[refId] = {
      frames,
      error: error?.message ?? '',
      jsonMeta: Buffer.alloc(0),
      // Grafana reads a missing status (0) as 500.
      status: error?.status ?? 200,
      errorSource: error?.source ?? '',
      format: frameFormatToProto(format),
    };
  }
  return reply;
}

async function queryChunkedData(
  deps: DataServiceDeps,
  call: ServerWritableStream<pb.QueryChunkedDataRequest, pb.QueryChunkedDataResponse>
): Promise<void> {
  const { handlers, calls, metrics } = deps;
  if (!handlers.queryChunkedData) {
    // No messages, just the status: Grafana falls back to QueryData on UNIMPLEMENTED.
    call.emit('error', grpcError(GrpcStatus.UNIMPLEMENTED, 'QueryChunkedData is not implemented by this plugin'));
    return;
  }
  const tracked = calls.begin('QueryChunkedData');
  call.on('cancelled', () => tracked.cancel('QueryChunkedData was cancelled by the client'));
  const logger = deps.logger.with({ method: 'QueryChunkedData' });
  const request = queryDataRequestFromProto(call.request);
  const format = request.format;
  const protoFormat = frameFormatToProto(format);
  const sink = {
    send: (chunk: Chunk) => {
      metrics.chunks.inc({ format });
      metrics.rows.inc({ method: 'QueryChunkedData', format }, chunk.rows);
      metrics.bytes.inc({ method: 'QueryChunkedData', format }, chunk.frame?.byteLength ?? 0);
      if (chunk.error) {
        metrics.queryErrors.inc({ status: String(chunk.status), source: chunk.errorSource ?? '' });
      }
      return writeWithBackpressure(call, {
        refId: chunk.refId,
        frameId: chunk.frameId,
        frame: chunk.frame ? asBuffer(chunk.frame) : Buffer.alloc(0),
        error: chunk.error ?? '',
        status: chunk.status,
        errorSource: chunk.errorSource ?? '',
        format: protoFormat,
      });
    },
  };
  const writer = new StreamingChunkedDataWriter(format, sink, deps.chunkingFor(request), tracked.signal);
  try {
    await handlers.queryChunkedData(request, writer, { signal: tracked.signal, logger });
    await writer.close();
    tracked.end('ok');
    call.end();
  } catch (error) {
    writer.dispose();
    const cancelled = tracked.signal.aborted || isAbortError(error);
    tracked.end(cancelled ? 'cancelled' : 'error');
    if (cancelled) {
      logger.debug('QueryChunkedData cancelled', { reason: errorMessage(error) });
    } else {
      logger.error('QueryChunkedData failed', { error: errorMessage(error) });
    }
    call.emit('error', grpcError(cancelled ? GrpcStatus.CANCELLED : GrpcStatus.INTERNAL, errorMessage(error)));
  }
}
