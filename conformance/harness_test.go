package conformance

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"github.com/hashicorp/go-hclog"

	"github.com/sluice/conformance/internal/pluginhost"
)

// target is the executable under test, resolved once in TestMain.
var target struct {
	path     string
	isSluice bool
	err      error
}

func TestMain(m *testing.M) {
	target.path, target.isSluice, target.err = pluginhost.TargetExecutable()
	if target.err == nil {
		fmt.Fprintf(os.Stderr, "conformance target: %s (sluice=%v)\n", target.path, target.isSluice)
	}
	os.Exit(m.Run())
}

// targetExecutable fails the test when the plugin has not been built.
func targetExecutable(t *testing.T) string {
	t.Helper()
	if target.err != nil {
		t.Fatalf("plugin under test not available: %v", target.err)
	}
	return target.path
}

// requireSluice skips checks that only apply to the Node backend (its CLI,
// its sidecar mode, its TCP listener) when SLUICE_PLUGIN names another plugin.
func requireSluice(t *testing.T) {
	t.Helper()
	targetExecutable(t)
	if !target.isSluice {
		t.Skipf("Sluice-only check; %s=%s is not the Sluice launcher", pluginhost.PluginEnvVar, target.path)
	}
}

// startPlugin starts a fresh plugin process through go-plugin. It is killed
// at the end of the test; its logs are printed only if the test failed.
func startPlugin(t *testing.T, extraEnv ...string) *pluginhost.Plugin {
	t.Helper()
	logs := &syncBuffer{}
	t.Cleanup(func() {
		if t.Failed() && logs.String() != "" {
			t.Logf("plugin log (go-plugin + plugin stderr):\n%s", logs.Tail(8000))
		}
	})
	p, err := pluginhost.Start(pluginhost.Options{
		Executable:   targetExecutable(t),
		ExtraEnv:     extraEnv,
		StartTimeout: 30 * time.Second,
		Logger: hclog.New(&hclog.LoggerOptions{
			Name: "plugin", Output: logs, Level: hclog.Debug, JSONFormat: false,
		}),
	})
	if err != nil {
		t.Fatalf("start %s: %v\n%s", target.path, err, logs.Tail(4000))
	}
	t.Cleanup(p.Kill)
	return p
}

// callContext bounds a single RPC so that a hung plugin fails the test
// instead of the whole run.
func callContext(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// syncBuffer is an io.Writer safe for go-plugin's logging goroutines, which
// may still write after the test function has returned.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Tail returns at most the last n bytes written.
func (b *syncBuffer) Tail(n int) string {
	s := b.String()
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// formats are the two frame encodings every data test runs in.
var formats = []pluginv2.DataFrameFormat{pluginv2.DataFrameFormat_ARROW, pluginv2.DataFrameFormat_JSON}
