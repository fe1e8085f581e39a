package conformance

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/sluice/conformance/internal/pluginhost"
)

// TestFramesConvertAllTypes: the SDK's golden frame with every field type
// (data/testdata/all_types.golden.arrow) goes through Sluice's Node decoder and
// encoders (`cli.js frames convert`); both outputs must decode in Go to the
// same frame as the golden itself: values incl. NaN/±Inf and nulls, times to
// the nanosecond, labels, config and meta (data.FrameTestCompareOptions).
func TestFramesConvertAllTypes(t *testing.T) {
	requireSluice(t)
	golden := filepath.Join(sdkDir(t), "data", "testdata", "all_types.golden.arrow")
	goldenBytes, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("read SDK golden: %v", err)
	}
	want, err := data.UnmarshalArrowFrame(goldenBytes)
	if err != nil {
		t.Fatalf("decode SDK golden: %v", err)
	}

	dir := t.TempDir()
	outArrow, outJSON := filepath.Join(dir, "out.arrow"), filepath.Join(dir, "out.json")
	runFramesConvert(t, golden, outArrow, outJSON)

	t.Run("arrow", func(t *testing.T) {
		b, err := os.ReadFile(outArrow)
		if err != nil {
			t.Fatalf("read converter Arrow output: %v", err)
		}
		got, err := data.UnmarshalArrowFrame(b)
		if err != nil {
			t.Fatalf("data.UnmarshalArrowFrame rejects Sluice's Arrow: %v", err)
		}
		if diff := cmp.Diff(want, got, data.FrameTestCompareOptions()...); diff != "" {
			t.Errorf("Arrow round trip differs from the golden (-golden +sluice):\n%s", diff)
		}
	})
	t.Run("json", func(t *testing.T) {
		b, err := os.ReadFile(outJSON)
		if err != nil {
			t.Fatalf("read converter JSON output: %v", err)
		}
		got := &data.Frame{}
		if err := json.Unmarshal(b, got); err != nil {
			t.Fatalf("json.Unmarshal into data.Frame rejects Sluice's JSON: %v", err)
		}
		if diff := cmp.Diff(want, got, data.FrameTestCompareOptions()...); diff != "" {
			t.Errorf("JSON round trip differs from the golden (-golden +sluice):\n%s", diff)
		}
	})
}

// sdkDir is the grafana-plugin-sdk-go source in the module cache.
func sdkDir(t *testing.T) string {
	t.Helper()
	root, err := pluginhost.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/grafana/grafana-plugin-sdk-go")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -m grafana-plugin-sdk-go: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// runFramesConvert runs `node dist/backend/cli.js frames convert`.
func runFramesConvert(t *testing.T, in, outArrow, outJSON string) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node not on PATH: %v", err)
	}
	dist, err := pluginhost.DistDir()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join(dist, "backend", "cli.js"),
		"frames", "convert", "--in", in, "--out-arrow", outArrow, "--out-json", outJSON)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("frames convert: %v\n%s", err, out)
	}
}
