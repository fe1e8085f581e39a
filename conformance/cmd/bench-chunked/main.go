// Command bench-chunked measures Sluice against the Go SDK reference plugin on
// the `synthetic` query: for every (plugin, rows, format, mode) it starts a
// fresh plugin process through go-plugin exactly as Grafana would, runs one
// query with the same client code, decodes every chunk with the SDK, and
// records throughput, time to first chunk, the plugin's peak RSS (VmHWM),
// chunk count and bytes received. Results go to a JSON file and a table on
// stderr.
//
//	cd conformance && go run ./cmd/bench-chunked -out ../bench/results/chunked.json
//	go run ./cmd/bench-chunked -sizes 100000,1000000 -formats json -modes chunked
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"

	"github.com/sluice/conformance/internal/pluginhost"
)

// Implementation names used in the matrix and the report.
const (
	implSluice    = "sluice"
	implReference = "reference"
)

type config struct {
	out        string
	sizes      []int64
	formats    []pluginv2.DataFrameFormat
	modes      []string
	impls      []string
	sluicePath string
	runTimeout time.Duration
	warmupRows int64
	repeats    int
}

func main() {
	cfg, err := parseFlags()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench-chunked:", err)
		os.Exit(2)
	}
	if err := run(cfg); err != nil {
		fmt.Fprintln(os.Stderr, "bench-chunked:", err)
		os.Exit(1)
	}
}

func parseFlags() (config, error) {
	var cfg config
	var sizes, formats, modes, impls string
	flag.StringVar(&cfg.out, "out", "../bench/results/chunked.json", "where to write the JSON results")
	flag.StringVar(&sizes, "sizes", "100000,1000000,10000000", "comma-separated row counts")
	flag.StringVar(&formats, "formats", "arrow,json", "comma-separated frame formats (arrow, json)")
	flag.StringVar(&modes, "modes", "chunked,unary", "comma-separated modes (chunked = QueryChunkedData, unary = QueryData)")
	flag.StringVar(&impls, "impls", "sluice,reference", "comma-separated plugins (sluice, reference)")
	flag.StringVar(&cfg.sluicePath, "sluice", "", "Sluice launcher (default ../dist/gpx_sluice_<os>_<arch>)")
	flag.DurationVar(&cfg.runTimeout, "run-timeout", 5*time.Minute, "limit for one query; a run over it is recorded as failed")
	flag.Int64Var(&cfg.warmupRows, "warmup-rows", 1000, "rows of a warm-up query sent before the measured one (0 = none); plugins in Grafana are long-lived")
	flag.IntVar(&cfg.repeats, "repeat", 1, "runs per cell, each in a fresh process; the median by rows/s is reported")
	flag.Parse()

	for _, s := range split(sizes) {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			return cfg, fmt.Errorf("-sizes: bad row count %q", s)
		}
		cfg.sizes = append(cfg.sizes, n)
	}
	for _, s := range split(formats) {
		switch s {
		case "arrow":
			cfg.formats = append(cfg.formats, pluginv2.DataFrameFormat_ARROW)
		case "json":
			cfg.formats = append(cfg.formats, pluginv2.DataFrameFormat_JSON)
		default:
			return cfg, fmt.Errorf("-formats: unknown format %q", s)
		}
	}
	for _, s := range split(modes) {
		if s != modeChunked && s != modeUnary {
			return cfg, fmt.Errorf("-modes: unknown mode %q", s)
		}
		cfg.modes = append(cfg.modes, s)
	}
	for _, s := range split(impls) {
		if s != implSluice && s != implReference {
			return cfg, fmt.Errorf("-impls: unknown plugin %q", s)
		}
		cfg.impls = append(cfg.impls, s)
	}
	if cfg.repeats < 1 || cfg.runTimeout <= 0 {
		return cfg, fmt.Errorf("-repeat and -run-timeout must be positive")
	}
	if len(cfg.sizes) == 0 || len(cfg.formats) == 0 || len(cfg.modes) == 0 || len(cfg.impls) == 0 {
		return cfg, fmt.Errorf("empty matrix")
	}
	return cfg, nil
}

func split(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, strings.ToLower(p))
		}
	}
	return out
}

func run(cfg config) error {
	executables, err := resolveExecutables(cfg)
	if err != nil {
		return err
	}
	report := newReport(cfg, executables)
	total := len(cfg.impls) * len(cfg.sizes) * len(cfg.formats) * len(cfg.modes)
	i := 0
	for _, n := range cfg.sizes {
		for _, format := range cfg.formats {
			for _, mode := range cfg.modes {
				for _, impl := range cfg.impls {
					i++
					fmt.Fprintf(os.Stderr, "[%d/%d] %-9s rows=%-9d %-5s %-7s ", i, total, impl, n, formatName(format), mode)
					res := measureCell(runSpec{
						impl: impl, executable: executables[impl], rows: n, format: format, mode: mode,
						timeout: cfg.runTimeout, warmupRows: cfg.warmupRows,
					}, cfg.repeats)
					fmt.Fprintln(os.Stderr, res.summary())
					report.Runs = append(report.Runs, res)
				}
			}
		}
	}
	report.evaluate()
	if err := report.write(cfg.out); err != nil {
		return err
	}
	report.printTable(os.Stderr)
	fmt.Fprintf(os.Stderr, "\nwrote %s\n", cfg.out)
	return nil
}

// resolveExecutables finds Sluice's launcher and builds the reference plugin
// into conformance/.bin/.
func resolveExecutables(cfg config) (map[string]string, error) {
	out := map[string]string{}
	for _, impl := range cfg.impls {
		switch impl {
		case implSluice:
			path := cfg.sluicePath
			if path == "" {
				var err error
				if path, err = pluginhost.SluiceLauncher(); err != nil {
					return nil, err
				}
			}
			out[impl] = path
		case implReference:
			path, err := buildReference()
			if err != nil {
				return nil, err
			}
			out[impl] = path
		}
	}
	return out, nil
}

func buildReference() (string, error) {
	root, err := pluginhost.ModuleRoot()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(root, ".bin", "reference-plugin")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/reference-plugin")
	cmd.Dir = root
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	fmt.Fprintln(os.Stderr, "building reference plugin →", bin)
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("build reference plugin: %w", err)
	}
	return bin, nil
}

func formatName(f pluginv2.DataFrameFormat) string { return strings.ToLower(f.String()) }
