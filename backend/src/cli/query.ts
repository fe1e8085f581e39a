import { status as GrpcStatus, ServiceError } from '@grpc/grpc-js';
import * as pb from '../generated/pluginv2/backend';
import { decodeArrowFile, decodeFrameJSON } from '../runtime/frames';
import type { FrameFormat } from '../runtime/handlers';
import { ChunkDecoder } from './chunk-decoder';
import { OutputFormat, RowPrinter } from './output';
import type { PluginClient } from './plugin-client';
import { Progress } from './progress';

export interface QueryOptions {
  format: FrameFormat;
  output: OutputFormat;
  /** Print at most this many rows, then cancel the query. */
  head?: number;
  /** Print at most this many rows but receive everything. */
  printRows?: number;
  /** Skip QueryChunkedData and ask for the whole result at once. */
  unary: boolean;
  progress: boolean;
}

export interface QueryOutcome {
  transport: 'chunked' | 'unary';
  chunks: number;
  rows: number;
  bytes: number;
  elapsedMs: number;
  firstChunkMs?: number;
  cancelledAfterHead: boolean;
  errors: { refId: string; status: number; message: string }[];
}

/** Runs a query through QueryChunkedData, falling back to QueryData when the plugin has no chunking. */
export async function runQuery(
  client: PluginClient,
  request: pb.QueryDataRequest,
  options: QueryOptions,
  write: (text: string) => Promise<void>
): Promise<QueryOutcome> {
  if (!options.unary) {
    try {
      return await runChunked(client, request, options, write);
    } catch (error) {
      if (!(error instanceof ChunkedUnimplemented)) {
        throw error;
      }
      if (options.progress) {
        process.stderr.write('QueryChunkedData is not implemented by the plugin; falling back to QueryData\n');
      }
    }
  }
  return runUnary(client, request, options, write);
}

class ChunkedUnimplemented extends Error {}

async function runChunked(
  client: PluginClient,
  request: pb.QueryDataRequest,
  options: QueryOptions,
  write: (text: string) => Promise<void>
): Promise<QueryOutcome> {
  const progress = new Progress(options.progress);
  const printer = new RowPrinter(options.output, write, options.head ?? options.printRows ?? Infinity);
  const decoder = new ChunkDecoder(options.format);
  const errors: QueryOutcome['errors'] = [];
  const call = client.data.queryChunkedData(request);
  let cancelledAfterHead = false;
  try {
    // for-await pauses the stream while a chunk is printed: a slow terminal slows the plugin down.
    for await (const message of call as AsyncIterable<pb.QueryChunkedDataResponse>) {
      if (message.error) {
        progress.chunk(0, message.frame.length);
        errors.push({ refId: message.refId, status: message.status, message: message.error });
        continue;
      }
      const frame = decoder.decode(message.refId, message.frameId, message.frame);
      progress.chunk(frame.length, message.frame.length);
      if (!printer.full) {
        await printer.print(message.refId, message.frameId, frame);
      }
      if (options.head !== undefined && printer.full) {
        cancelledAfterHead = true;
        call.cancel();
        break;
      }
    }
  } catch (error) {
    const code = (error as ServiceError).code;
    if (code === GrpcStatus.UNIMPLEMENTED && progress.chunks === 0) {
      throw new ChunkedUnimplemented((error as Error).message);
    }
    if (!(cancelledAfterHead && code === GrpcStatus.CANCELLED)) {
      throw error;
    }
  }
  progress.finish(cancelledAfterHead ? `stopped after ${printer.printed} rows (query cancelled)` : 'done');
  return {
    transport: 'chunked',
    chunks: progress.chunks,
    rows: progress.rows,
    bytes: progress.bytes,
    elapsedMs: progress.elapsedMs,
    firstChunkMs: progress.firstChunkMs,
    cancelledAfterHead,
    errors,
  };
}

async function runUnary(
  client: PluginClient,
  request: pb.QueryDataRequest,
  options: QueryOptions,
  write: (text: string) => Promise<void>
): Promise<QueryOutcome> {
  const progress = new Progress(options.progress);
  const printer = new RowPrinter(options.output, write, options.head ?? options.printRows ?? Infinity);
  const reply = await new Promise<pb.QueryDataResponse>((resolve, reject) =>
    client.data.queryData(request, (error, response) => (error ? reject(error) : resolve(response)))
  );
  const errors: QueryOutcome['errors'] = [];
  for (const [refId, response] of Object.entries(reply.responses)) {
    if (response.error) {
      errors.push({ refId, status: response.status, message: response.error });
    }
    for (const bytes of response.frames) {
      const frame = options.format === 'arrow' ? decodeArrowFile(bytes) : decodeFrameJSON(bytes.toString('utf8'));
      progress.chunk(frame.length, bytes.length);
      await printer.print(refId, frame.schema.name || String(refId), frame);
    }
  }
  progress.finish('done (QueryData)');
  return {
    transport: 'unary',
    chunks: progress.chunks,
    rows: progress.rows,
    bytes: progress.bytes,
    elapsedMs: progress.elapsedMs,
    firstChunkMs: progress.firstChunkMs,
    cancelledAfterHead: false,
    errors,
  };
}
