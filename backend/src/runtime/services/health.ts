import * as health from '../../generated/grpc/health/v1/health';

/**
 * grpc.health.v1: go-plugin's Ping asks for "plugin"; "" is the server as a whole; the pluginv2
 * service names are answered too, as the Rust SDK does.
 */
export function createHealthService(serviceNames: readonly string[]): health.HealthServer {
  const serving = new Set(['', 'plugin', ...serviceNames]);
  const statusOf = (service: string) =>
    serving.has(service)
      ? health.HealthCheckResponse_ServingStatus.SERVING
      : health.HealthCheckResponse_ServingStatus.SERVICE_UNKNOWN;
  return {
    check: (call, callback) => callback(null, { status: statusOf(call.request.service) }),
    watch: (call) => {
      // Status never changes while the process lives; the stream stays open until the client leaves.
      call.write({ status: statusOf(call.request.service) });
    },
  };
}
