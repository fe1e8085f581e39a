import type { GRPCControllerServer } from '../../generated/plugin/grpc_controller';

/** go-plugin's controller: the host asks us to shut down (and SIGKILLs us 2 s later). */
export function createControllerService(onShutdown: () => void): GRPCControllerServer {
  return {
    shutdown: (_call, callback) => {
      callback(null, {});
      // Answer first, so the host's Close() sees success, then go.
      setImmediate(onShutdown);
    },
  };
}
