package conformance

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	"github.com/sluice/conformance/internal/pluginhost"
	"github.com/sluice/conformance/internal/procstat"
)

// TestHandshake: go-plugin accepts the handshake line (core 1, app protocol 2,
// gRPC) and both health service names report SERVING.
func TestHandshake(t *testing.T) {
	p := startPlugin(t)
	if p.NegotiatedVersion != 2 {
		t.Errorf("negotiated app protocol %d, want 2", p.NegotiatedVersion)
	}
	if p.PID <= 0 || !procstat.Alive(p.PID) {
		t.Errorf("plugin PID %d is not a live process", p.PID)
	}
	if target.isSluice {
		tcp, ok := p.Addr.(*net.TCPAddr)
		if !ok || !tcp.IP.Equal(net.IPv4(127, 0, 0, 1)) || tcp.Port == 0 {
			t.Errorf("handshake address %v (%T), want tcp 127.0.0.1:PORT", p.Addr, p.Addr)
		}
	}
	for _, service := range []string{"plugin", ""} {
		resp, err := p.Health.Check(callContext(t, 5*time.Second), &grpc_health_v1.HealthCheckRequest{Service: service})
		if err != nil {
			t.Errorf("health %q: %v", service, err)
			continue
		}
		if resp.Status != grpc_health_v1.HealthCheckResponse_SERVING {
			t.Errorf("health %q: %v, want SERVING", service, resp.Status)
		}
	}
}

// TestHostEnvironmentNotForwarded: the plugin runs with Grafana's
// SkipHostEnv environment (no PATH, nothing from the host) and still answers
// a query. A canary variable set in this test process must not reach it.
func TestHostEnvironmentNotForwarded(t *testing.T) {
	t.Setenv("SLUICE_CONFORMANCE_CANARY", "host-env-leaked")
	p := startPlugin(t)
	vars, err := procstat.Environ(p.PID)
	if err != nil {
		t.Fatalf("read environment of PID %d: %v", p.PID, err)
	}
	hasCookie := false
	for _, kv := range vars {
		if strings.HasPrefix(kv, "SLUICE_CONFORMANCE_CANARY=") {
			t.Errorf("host variable %q reached the plugin; the harness does not mimic SkipHostEnv", kv)
		}
		if strings.HasPrefix(kv, "PATH=") {
			t.Logf("note: the plugin process has %q (set by its launcher, not inherited)", kv)
		}
		hasCookie = hasCookie || kv == "grafana_plugin_type=datasource"
	}
	if !hasCookie {
		t.Errorf("the magic cookie is missing from the plugin environment %q", vars)
	}
	spec := syntheticSpec{RefID: "A", Rows: 10, Seed: 1}
	resp := queryData(t, p, queryDataRequest(formats[0], spec.dataQuery()))
	if dr := response(t, resp, "A"); dr.Error != nil || dr.Status != 200 {
		t.Errorf("query in the bare environment: status %d, error %v", dr.Status, dr.Error)
	}
}

// TestStartWithoutCookie: run directly (not by go-plugin, no cookie, empty
// environment) the launcher exits 1, explains itself on stderr and prints
// nothing on stdout, where go-plugin would read a handshake.
func TestStartWithoutCookie(t *testing.T) {
	exe := targetExecutable(t)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe)
	cmd.Env = []string{}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case ctx.Err() != nil:
		t.Fatalf("still running after 15 s without the cookie (stdout %q)", stdout.String())
	case !errors.As(err, &exitErr):
		t.Fatalf("exit: %v, want exit status 1", err)
	case exitErr.ExitCode() != 1:
		t.Errorf("exit code %d, want 1", exitErr.ExitCode())
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout %q, want nothing", stdout.String())
	}
	if strings.TrimSpace(stderr.String()) == "" {
		t.Errorf("stderr is empty, want an explanation")
	}
	t.Logf("stderr without cookie: %s", strings.TrimSpace(stderr.String()))
}

// TestControllerShutdownExits: after plugin.GRPCController/Shutdown the
// process exits by itself within 2 s. Nothing else signals it here, so
// an exit proves it was not SIGKILLed.
func TestControllerShutdownExits(t *testing.T) {
	p := startPlugin(t)
	start := time.Now()
	err := p.Shutdown(callContext(t, 5*time.Second))
	if status.Code(err) == codes.Unimplemented {
		t.Fatalf("GRPCController/Shutdown is not implemented: %v", err)
	}
	if err != nil {
		// The process may exit before the reply is flushed; only the exit counts.
		t.Logf("Shutdown RPC returned %v", err)
	}
	waited, exited := p.WaitExit(2*time.Second - time.Since(start))
	if !exited {
		t.Fatalf("process %d still running %v after Shutdown (limit 2 s)", p.PID, time.Since(start).Round(time.Millisecond))
	}
	t.Logf("exited %v after the Shutdown RPC returned", waited.Round(time.Millisecond))
}

// TestKillIsGraceful: go-plugin's Kill (what Grafana does on stop) returns
// before its 2 s SIGKILL fallback, i.e. the plugin left on its own.
func TestKillIsGraceful(t *testing.T) {
	p := startPlugin(t)
	start := time.Now()
	p.Kill()
	took := time.Since(start)
	if !p.Exited() {
		t.Fatalf("process %d still alive after Kill", p.PID)
	}
	if took >= pluginhost.KillGrace {
		t.Errorf("Kill took %v: the plugin ignored Shutdown and was SIGKILLed", took.Round(time.Millisecond))
	}
	t.Logf("Kill returned after %v", took.Round(time.Millisecond))
}
