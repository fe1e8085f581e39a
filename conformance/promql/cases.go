package promqlconf

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// PrometheusModule is the Prometheus Go module this harness was built with.
type PrometheusModule struct {
	Version string
	Dir     string
}

// FindPrometheusModule asks the go command where the module's source is (the module cache). The
// runner embeds its test files but does not export them, so they are read from there.
func FindPrometheusModule() (PrometheusModule, error) {
	out, err := exec.Command("go", "list", "-m", "-json", "github.com/prometheus/prometheus").Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return PrometheusModule{}, fmt.Errorf("go list -m github.com/prometheus/prometheus: %w: %s", err, ee.Stderr)
		}
		return PrometheusModule{}, fmt.Errorf("go list -m github.com/prometheus/prometheus: %w", err)
	}
	var m PrometheusModule
	if err := json.Unmarshal(out, &m); err != nil {
		return PrometheusModule{}, err
	}
	if m.Dir == "" {
		return PrometheusModule{}, fmt.Errorf("github.com/prometheus/prometheus@%s is not downloaded (go mod download)", m.Version)
	}
	return m, nil
}

// LoadCases splits the given test files (names without .test) of the module's promqltest testdata,
// in the given order. The order, and so every case's index, is the same in every process.
func LoadCases(module PrometheusModule, files []string) ([]Case, error) {
	var cases []Case
	for _, f := range files {
		content, err := os.ReadFile(filepath.Join(module.Dir, "promql", "promqltest", "testdata", f+".test"))
		if err != nil {
			return nil, err
		}
		cases = append(cases, Split(f, string(content))...)
	}
	return cases, nil
}

// SelectedFiles is Files, or the comma-separated subset in $SLUICE_PROMQL_FILES (for quick runs).
func SelectedFiles() []string {
	env := strings.TrimSpace(os.Getenv("SLUICE_PROMQL_FILES"))
	if env == "" {
		return Files
	}
	var out []string
	for _, f := range strings.Split(env, ",") {
		if f = strings.TrimSpace(strings.TrimSuffix(f, ".test")); f != "" {
			out = append(out, f)
		}
	}
	return out
}
