package conformance

import (
	"context"
	"net"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"google.golang.org/grpc/health/grpc_health_v1"

	"github.com/sluice/conformance/internal/pluginhost"
	"github.com/sluice/conformance/internal/procstat"
)

// TestSidecar: a standalone Sluice server (`main.js --listen`) keeps serving
// while Grafana-style clients come and go. The launcher, started by go-plugin
// with GF_PLUGIN_SIDECAR_ADDRESS, hands out the sidecar's address; a query
// through it works; go-plugin's Kill (Shutdown RPC to the sidecar, then
// SIGKILL of the launcher) leaves the sidecar alive and answering a new client.
func TestSidecar(t *testing.T) {
	requireSluice(t)
	addr, sidecarPID, sidecarExited := startSidecar(t)

	p := startPlugin(t, "GF_PLUGIN_SIDECAR_ADDRESS="+addr)
	if p.Addr == nil || p.Addr.String() != addr {
		t.Fatalf("launcher handshake address %v, want the sidecar's %s", p.Addr, addr)
	}
	if p.PID == sidecarPID {
		t.Fatalf("go-plugin started the sidecar process itself?")
	}
	spec := syntheticSpec{RefID: "S", Rows: 1500, Seed: 5}
	resp := queryData(t, p, queryDataRequest(pluginv2.DataFrameFormat_ARROW, spec.dataQuery()))
	checkSyntheticResponse(t, response(t, resp, "S"), "S", spec.model())

	p.Kill()
	if !p.Exited() {
		t.Errorf("launcher PID %d still running after Kill", p.PID)
	}
	select {
	case <-sidecarExited:
		t.Fatalf("the sidecar exited after the launcher was killed")
	case <-time.After(200 * time.Millisecond):
	}
	if !procstat.Alive(sidecarPID) {
		t.Fatalf("sidecar PID %d is gone", sidecarPID)
	}

	conn, err := pluginhost.Dial(addr)
	if err != nil {
		t.Fatalf("dial sidecar again: %v", err)
	}
	defer conn.Close()
	health, err := grpc_health_v1.NewHealthClient(conn).Check(callContext(t, 5*time.Second), &grpc_health_v1.HealthCheckRequest{Service: "plugin"})
	if err != nil || health.Status != grpc_health_v1.HealthCheckResponse_SERVING {
		t.Errorf("sidecar health after the client left: %v, %v", health.GetStatus(), err)
	}
	raw, err := pluginv2.NewDataClient(conn).QueryData(callContext(t, rpcTimeout), queryDataRequest(pluginv2.DataFrameFormat_JSON, spec.dataQuery()))
	if err != nil {
		t.Fatalf("QueryData on the sidecar from a new client: %v", err)
	}
	decoded, err := backend.FromProto().QueryDataResponse(raw)
	if err != nil {
		t.Fatalf("decode sidecar response: %v", err)
	}
	checkSyntheticResponse(t, response(t, decoded, "S"), "S", spec.model())
}

// startSidecar runs `node dist/backend/main.js --listen 127.0.0.1:PORT` and
// waits until it answers health checks. It is killed when the test ends.
func startSidecar(t *testing.T) (addr string, pid int, exited <-chan struct{}) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node not on PATH: %v", err)
	}
	dist, err := pluginhost.DistDir()
	if err != nil {
		t.Fatal(err)
	}
	addr = freeLoopbackAddr(t)
	logs := &syncBuffer{}
	cmd := exec.Command(node, filepath.Join(dist, "backend", "main.js"), "--listen", addr)
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("start sidecar: %v", err)
	}
	// done is closed (never sent on) so that any number of waiters see the exit.
	done := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-done
		if t.Failed() {
			t.Logf("sidecar output:\n%s", logs.Tail(8000))
		}
	})

	conn, err := pluginhost.Dial(addr)
	if err != nil {
		t.Fatalf("dial sidecar: %v", err)
	}
	defer conn.Close()
	health := grpc_health_v1.NewHealthClient(conn)
	deadline := time.Now().Add(20 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		resp, err := health.Check(ctx, &grpc_health_v1.HealthCheckRequest{Service: ""})
		cancel()
		if err == nil && resp.Status == grpc_health_v1.HealthCheckResponse_SERVING {
			return addr, cmd.Process.Pid, done
		}
		select {
		case <-done:
			t.Fatalf("sidecar exited during start-up (%v):\n%s", waitErr, logs.Tail(4000))
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("sidecar at %s not SERVING after 20 s (last error %v):\n%s", addr, err, logs.Tail(4000))
		}
	}
}

// freeLoopbackAddr picks a free TCP port on 127.0.0.1.
func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}
