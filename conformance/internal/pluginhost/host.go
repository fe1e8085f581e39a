// Package pluginhost starts a backend plugin executable the way Grafana does
// (hashicorp go-plugin, gRPC only, no host environment, no mTLS) and hands
// back typed pluginv2 clients. See shared/reference/protocol.md §1.1 and §2.
package pluginhost

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os/exec"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend/grpcplugin"
	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/health/grpc_health_v1"
)

// GrafanaEnv is the small environment Grafana itself puts into a plugin's
// Cmd.Env. With SkipHostEnv nothing else from the host is forwarded (no PATH);
// go-plugin adds the magic cookie and PLUGIN_* variables on top.
var GrafanaEnv = []string{
	"GF_VERSION=13.2.0",
	"GF_EDITION=oss",
	"GF_INSTANCE_FEATURE_TOGGLES_ENABLE=",
}

// Options describe one plugin process to start.
type Options struct {
	// Executable is the file Grafana would execute (e.g. dist/gpx_sluice_linux_amd64).
	Executable string
	// Args are the descriptor's executableArgs; normally none.
	Args []string
	// ExtraEnv is appended to GrafanaEnv (e.g. GF_PLUGIN_* keys from grafana.ini).
	ExtraEnv []string
	// Logger receives go-plugin's own log lines and the plugin's re-logged stderr.
	// Nil discards them.
	Logger hclog.Logger
	// StartTimeout bounds the wait for the handshake line; 0 means go-plugin's
	// default of one minute, which is what Grafana uses.
	StartTimeout time.Duration
}

// Plugin is a started plugin process plus typed clients for its services.
type Plugin struct {
	Client      *goplugin.Client
	Conn        *grpc.ClientConn
	Data        grpcplugin.DataClient
	Diagnostics grpcplugin.DiagnosticsClient
	Resource    grpcplugin.ResourceClient
	Health      grpc_health_v1.HealthClient
	// PID is the process go-plugin started: the one Grafana would SIGKILL and
	// whose /proc/PID/status VmHWM is the plugin's peak RSS.
	PID  int
	Addr net.Addr
	// NegotiatedVersion is the app protocol version from the handshake line.
	NegotiatedVersion int
}

// Start launches the executable, waits for the handshake, connects and
// dispenses the data, diagnostics and resource clients, as Grafana's
// grpcplugin.newClientV2 does. On error the process is killed.
func Start(opts Options) (*Plugin, error) {
	if opts.Executable == "" {
		return nil, errors.New("pluginhost: no executable given")
	}
	logger := opts.Logger
	if logger == nil {
		logger = hclog.NewNullLogger()
	}
	cmd := exec.Command(opts.Executable, opts.Args...)
	cmd.Env = append(append([]string{}, GrafanaEnv...), opts.ExtraEnv...)

	client := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig: goplugin.HandshakeConfig{
			ProtocolVersion:  grpcplugin.ProtocolVersion,
			MagicCookieKey:   grpcplugin.MagicCookieKey,
			MagicCookieValue: grpcplugin.MagicCookieValue,
		},
		VersionedPlugins: map[int]goplugin.PluginSet{grpcplugin.ProtocolVersion: grafanaPluginSet()},
		Cmd:              cmd,
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		SkipHostEnv:      true,
		AutoMTLS:         false,
		Logger:           logger,
		StartTimeout:     opts.StartTimeout,
	})

	p, err := connect(client)
	if err != nil {
		client.Kill()
		return nil, err
	}
	return p, nil
}

func connect(client *goplugin.Client) (*Plugin, error) {
	rpcClient, err := client.Client()
	if err != nil {
		return nil, fmt.Errorf("pluginhost: start/handshake: %w", err)
	}
	// Grafana refuses anything older than protocol 2 (grpc_plugin.go).
	if v := client.NegotiatedVersion(); v < grpcplugin.ProtocolVersion {
		return nil, fmt.Errorf("pluginhost: plugin protocol version %d not supported", v)
	}
	grpcClient, ok := rpcClient.(*goplugin.GRPCClient)
	if !ok {
		return nil, fmt.Errorf("pluginhost: negotiated protocol is %T, want gRPC", rpcClient)
	}
	p := &Plugin{
		Client:            client,
		Conn:              grpcClient.Conn,
		Health:            grpc_health_v1.NewHealthClient(grpcClient.Conn),
		NegotiatedVersion: client.NegotiatedVersion(),
	}
	if rc := client.ReattachConfig(); rc != nil {
		p.PID, p.Addr = rc.Pid, rc.Addr
	}
	if err := dispense(rpcClient, "data", &p.Data); err != nil {
		return nil, err
	}
	if err := dispense(rpcClient, "diagnostics", &p.Diagnostics); err != nil {
		return nil, err
	}
	if err := dispense(rpcClient, "resource", &p.Resource); err != nil {
		return nil, err
	}
	return p, nil
}

// dispense only builds a client stub (like Grafana, it never asks the plugin
// what it registered) and type-asserts it into *into.
func dispense[T any](rpcClient goplugin.ClientProtocol, name string, into *T) error {
	raw, err := rpcClient.Dispense(name)
	if err != nil {
		return fmt.Errorf("pluginhost: dispense %q: %w", name, err)
	}
	c, ok := raw.(T)
	if !ok {
		return fmt.Errorf("pluginhost: dispense %q returned %T", name, raw)
	}
	*into = c
	return nil
}

// grafanaPluginSet mirrors the protocol-2 plugin set Grafana registers. The
// server halves stay nil because only GRPCClient is used on the host side.
// Grafana's "renderer" entry lives in Grafana's own module and is irrelevant
// to a datasource, so it is left out.
func grafanaPluginSet() goplugin.PluginSet {
	return goplugin.PluginSet{
		"diagnostics": &grpcplugin.DiagnosticsGRPCPlugin{},
		"resource":    &grpcplugin.ResourceGRPCPlugin{},
		"data":        &grpcplugin.DataGRPCPlugin{},
		"stream":      &grpcplugin.StreamGRPCPlugin{},
		"admission":   &grpcplugin.AdmissionGRPCPlugin{},
		"conversion":  &grpcplugin.ConversionGRPCPlugin{},
	}
}

// Kill does what Grafana does on stop/reload: Shutdown RPC, close the
// connection, wait up to 2 s for the process to exit, then SIGKILL.
func (p *Plugin) Kill() { p.Client.Kill() }

// Exited reports whether the plugin process has exited (and been reaped).
func (p *Plugin) Exited() bool { return p.Client.Exited() }

// WaitExit polls until the process has exited or timeout passes. It returns
// how long it waited and whether the process is gone.
func (p *Plugin) WaitExit(timeout time.Duration) (time.Duration, bool) {
	start := time.Now()
	deadline := start.Add(timeout)
	for time.Now().Before(deadline) {
		if p.Exited() {
			return time.Since(start), true
		}
		time.Sleep(5 * time.Millisecond)
	}
	return time.Since(start), p.Exited()
}

// Ping checks the "plugin" health service the way go-plugin's Ping does.
func (p *Plugin) Ping(ctx context.Context) (grpc_health_v1.HealthCheckResponse_ServingStatus, error) {
	resp, err := p.Health.Check(ctx, &grpc_health_v1.HealthCheckRequest{Service: goplugin.GRPCServiceName})
	if err != nil {
		return grpc_health_v1.HealthCheckResponse_UNKNOWN, err
	}
	return resp.GetStatus(), nil
}

// KillGrace is how long go-plugin's Kill waits after the Shutdown RPC before
// it SIGKILLs the process (client.go); Grafana has no other stop signal.
const KillGrace = 2 * time.Second
