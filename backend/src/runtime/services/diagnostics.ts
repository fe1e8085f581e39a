import { status as GrpcStatus } from '@grpc/grpc-js';
import * as pb from '../../generated/pluginv2/backend';
import { errorMessage } from '../errors';
import type { HealthStatus, PluginHandlers } from '../handlers';
import type { Logger } from '../log';
import type { RuntimeMetrics } from '../metrics';
import { pluginContextFromProto } from './convert';
import { grpcError } from './status';

const HEALTH_STATUS: Record<HealthStatus, pb.CheckHealthResponse_HealthStatus> = {
  ok: pb.CheckHealthResponse_HealthStatus.OK,
  error: pb.CheckHealthResponse_HealthStatus.ERROR,
  unknown: pb.CheckHealthResponse_HealthStatus.UNKNOWN,
};

export function createDiagnosticsService(deps: {
  handlers: PluginHandlers;
  metrics: RuntimeMetrics;
  logger: Logger;
}): pb.DiagnosticsServer {
  const { handlers, metrics, logger } = deps;
  return {
    checkHealth: (call, callback) => {
      if (!handlers.checkHealth) {
        callback(grpcError(GrpcStatus.UNIMPLEMENTED, 'CheckHealth is not implemented by this plugin'));
        return;
      }
      const controller = new AbortController();
      call.on('cancelled', () => controller.abort());
      const request = {
        pluginContext: pluginContextFromProto(call.request.pluginContext),
        headers: call.request.headers,
      };
      handlers.checkHealth(request, { signal: controller.signal, logger: logger.with({ method: 'CheckHealth' }) }).then(
        (result) =>
          callback(null, {
            status: HEALTH_STATUS[result.status],
            message: result.message,
            jsonDetails: Buffer.from(result.details === undefined ? '' : JSON.stringify(result.details)),
          }),
        // A failing check is an answer, not a transport error: Grafana shows the message.
        (error: unknown) =>
          callback(null, {
            status: pb.CheckHealthResponse_HealthStatus.ERROR,
            message: `health check failed: ${errorMessage(error)}`,
            jsonDetails: Buffer.alloc(0),
          })
      );
    },
    collectMetrics: (_call, callback) => {
      metrics.exposition().then(
        (text) => callback(null, { metrics: { prometheus: Buffer.from(text) } }),
        (error: unknown) =>
          callback(grpcError(GrpcStatus.INTERNAL, `collecting metrics failed: ${errorMessage(error)}`))
      );
    },
  };
}
