import { ServerWritableStream, status as GrpcStatus } from '@grpc/grpc-js';
import * as pb from '../../generated/pluginv2/backend';
import type { CallTracker } from '../calls';
import { errorMessage, isAbortError } from '../errors';
import type { CallResourceResponse, PluginHandlers } from '../handlers';
import type { Logger } from '../log';
import { pluginContextFromProto } from './convert';
import { writeWithBackpressure } from './grpc-sink';
import { grpcError } from './status';

export function createResourceService(deps: {
  handlers: PluginHandlers;
  calls: CallTracker;
  logger: Logger;
}): pb.ResourceServer {
  return { callResource: (call) => void callResource(deps, call) };
}

async function callResource(
  deps: { handlers: PluginHandlers; calls: CallTracker; logger: Logger },
  call: ServerWritableStream<pb.CallResourceRequest, pb.CallResourceResponse>
): Promise<void> {
  const { handlers, calls } = deps;
  if (!handlers.callResource) {
    call.emit('error', grpcError(GrpcStatus.UNIMPLEMENTED, 'CallResource is not implemented by this plugin'));
    return;
  }
  const tracked = calls.begin('CallResource');
  call.on('cancelled', () => tracked.cancel('CallResource was cancelled by the client'));
  const logger = deps.logger.with({ method: 'CallResource', path: call.request.path });
  let sent = 0;
  const sender = {
    send: async (response: CallResourceResponse) => {
      if (tracked.signal.aborted) {
        throw tracked.signal.reason;
      }
      sent++;
      const headers: Record<string, pb.StringList> = {};
      for (const [name, values] of Object.entries(response.headers ?? {})) {
        headers[name] = { values };
      }
      const body = response.body ?? new Uint8Array();
      await writeWithBackpressure(call, {
        // Grafana reads status and headers from the first message only.
        code: sent === 1 ? (response.status ?? 200) : 0,
        headers,
        body: typeof body === 'string' ? Buffer.from(body) : Buffer.from(body.buffer, body.byteOffset, body.byteLength),
      });
    },
  };
  const request = call.request;
  try {
    await handlers.callResource(
      {
        pluginContext: pluginContextFromProto(request.pluginContext),
        path: request.path.replace(/^\/+/, ''),
        method: request.method,
        url: request.url,
        headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, v.values])),
        body: request.body,
      },
      sender,
      { signal: tracked.signal, logger }
    );
    if (sent === 0) {
      await sender.send(jsonError(500, 'the resource handler sent no response'));
    }
    tracked.end('ok');
    call.end();
  } catch (error) {
    const cancelled = tracked.signal.aborted || isAbortError(error);
    tracked.end(cancelled ? 'cancelled' : 'error');
    if (cancelled) {
      call.emit('error', grpcError(GrpcStatus.CANCELLED, errorMessage(error)));
      return;
    }
    logger.error('CallResource failed', { error: errorMessage(error) });
    if (sent === 0) {
      await sender.send(jsonError(500, errorMessage(error))).catch(() => undefined);
      call.end();
    } else {
      // Status is already on its way; a broken stream is the only way left to say so.
      call.emit('error', grpcError(GrpcStatus.INTERNAL, errorMessage(error)));
    }
  }
}

function jsonError(status: number, message: string): CallResourceResponse {
  return {
    status,
    headers: { 'Content-Type': ['application/json'] },
    body: JSON.stringify({ error: message }),
  };
}
