package pluginhost

import (
	"context"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// controllerShutdownMethod is go-plugin's GRPCController/Shutdown. Its client
// lives in go-plugin's internal package, so it is invoked by name; the request
// and reply are plugin.Empty, which is wire-identical to google.protobuf.Empty.
const controllerShutdownMethod = "/plugin.GRPCController/Shutdown"

// ControllerShutdown sends the Shutdown RPC without closing the connection or
// killing anything, so a test can observe whether the process exits by itself.
func ControllerShutdown(ctx context.Context, conn grpc.ClientConnInterface) error {
	return conn.Invoke(ctx, controllerShutdownMethod, &emptypb.Empty{}, &emptypb.Empty{})
}

// Shutdown sends the Shutdown RPC on this plugin's connection.
func (p *Plugin) Shutdown(ctx context.Context) error {
	return ControllerShutdown(ctx, p.Conn)
}
