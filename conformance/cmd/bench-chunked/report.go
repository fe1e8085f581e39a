package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// Targets Sluice is held to (see the Sluice design brief).
const (
	rssGrowthLimit    = 1.2  // chunked peak RSS at the largest N ≤ 1.2 × at the smallest N
	ttfcLimitMS       = 50.0 // chunked time to first chunk below 50 ms …
	ttfcSpreadLimitMS = 25.0 // … and independent of N: max − min across N below 25 ms
	throughputTarget  = 1.0  // Sluice rows/s ÷ reference rows/s
)

// Report is the JSON document written to -out.
type Report struct {
	GeneratedAt string            `json:"generatedAt"`
	Environment map[string]string `json:"environment"`
	Config      reportConfig      `json:"config"`
	Runs        []Result          `json:"runs"`
	Ratios      []Ratio           `json:"ratios"`
	Targets     Targets           `json:"targets"`
}

type reportConfig struct {
	Impls       []string          `json:"impls"`
	Sizes       []int64           `json:"sizes"`
	Formats     []string          `json:"formats"`
	Modes       []string          `json:"modes"`
	Executables map[string]string `json:"executables"`
	WarmupRows  int64             `json:"warmupRows"`
	Repeats     int               `json:"repeats"`
	RunTimeout  string            `json:"runTimeout"`
	Notes       []string          `json:"notes"`
}

// Ratio compares Sluice with the reference for one (N, format, mode).
type Ratio struct {
	Rows                int64   `json:"rows"`
	Format              string  `json:"format"`
	Mode                string  `json:"mode"`
	SluiceRowsPerSec    float64 `json:"sluiceRowsPerSec"`
	ReferenceRowsPerSec float64 `json:"referenceRowsPerSec"`
	Ratio               float64 `json:"ratio"`
	MeetsTarget         bool    `json:"meetsTarget"`
	// PluginCPURatio = reference plugin CPU ÷ Sluice plugin CPU for the same
	// query (> 1: Sluice spent less CPU). Informational: wall-clock rows/s
	// also contains the client's decoding on the same cores.
	PluginCPURatio float64 `json:"pluginCpuRatio,omitempty"`
}

// Targets holds each target check; OK is nil when it could not be evaluated
// (a run failed or the matrix was limited by flags).
type Targets struct {
	ChunkedRSSFlat  []RSSCheck  `json:"chunkedPeakRssFlat"`
	ChunkedTTFC     []TTFCCheck `json:"chunkedTimeToFirstChunk"`
	ThroughputRatio RatioCheck  `json:"throughputRatio"`
	SluiceAllMet    *bool       `json:"sluiceAllTargetsMet"`
}

type RSSCheck struct {
	Impl           string  `json:"impl"`
	Format         string  `json:"format"`
	SmallRows      int64   `json:"smallRows"`
	LargeRows      int64   `json:"largeRows"`
	SmallPeakBytes int64   `json:"smallPeakRssBytes"`
	LargePeakBytes int64   `json:"largePeakRssBytes"`
	Growth         float64 `json:"growth"`
	Limit          float64 `json:"limit"`
	OK             *bool   `json:"ok"`
}

type TTFCCheck struct {
	Impl       string             `json:"impl"`
	Format     string             `json:"format"`
	TTFCByRows map[string]float64 `json:"ttfcMsByRows"`
	MaxMS      float64            `json:"maxMs"`
	SpreadMS   float64            `json:"spreadMs"`
	LimitMS    float64            `json:"limitMs"`
	SpreadMax  float64            `json:"spreadLimitMs"`
	OK         *bool              `json:"ok"`
}

type RatioCheck struct {
	Target  float64  `json:"target"`
	Failing []string `json:"failing"`
	OK      *bool    `json:"ok"`
}

func newReport(cfg config, executables map[string]string) *Report {
	r := &Report{
		GeneratedAt: time.Now().UTC().Format(time.RFC3339),
		Environment: environment(),
		Config: reportConfig{
			Impls: cfg.impls, Sizes: cfg.sizes, Modes: cfg.modes, Executables: executables,
			WarmupRows: cfg.warmupRows, Repeats: cfg.repeats, RunTimeout: cfg.runTimeout.String(),
			Notes: []string{
				"Each run starts a fresh plugin process through go-plugin (Grafana's client config, SkipHostEnv, no mTLS).",
				"rowsPerSec = rows / wall time from the call to the last message decoded by the SDK (chunked: AccumulateArrow/AccumulateJSON; unary: backend.FromProto().QueryDataResponse).",
				"timeToFirstChunkMs: chunked = first message received; unary = whole response received (before decoding).",
				"peakRssBytes = VmHWM of the plugin process (plus any descendants) read just before shutdown; startRssBytes = the same right after the handshake.",
				"bytesReceived = protobuf size of all messages. verified = decoded frame equals the Go generator row for row (checked outside the timing).",
				"pluginCpuMs = the plugin process's user+system CPU during the measured query. The client decodes on the same 2-core machine, so wall-clock rows/s is end-to-end, client decoding included.",
				"Both plugins stream 1000 rows per chunk by default.",
			},
		},
	}
	for _, f := range cfg.formats {
		r.Config.Formats = append(r.Config.Formats, formatName(f))
	}
	return r
}

func environment() map[string]string {
	env := map[string]string{
		"go":   runtime.Version(),
		"os":   runtime.GOOS + "/" + runtime.GOARCH,
		"cpus": fmt.Sprint(runtime.NumCPU()),
	}
	if out, err := exec.Command("node", "--version").Output(); err == nil {
		env["node"] = strings.TrimSpace(string(out))
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == "github.com/grafana/grafana-plugin-sdk-go" {
				env["grafanaPluginSdkGo"] = dep.Version
			}
		}
	}
	return env
}

// find returns the successful run for a cell, if any.
func (r *Report) find(impl string, rows int64, format, mode string) (Result, bool) {
	for _, run := range r.Runs {
		if run.Impl == impl && run.Rows == rows && run.Format == format && run.Mode == mode && run.OK {
			return run, true
		}
	}
	return Result{}, false
}

func boolPtr(b bool) *bool { return &b }

// evaluate fills Ratios and Targets from Runs.
func (r *Report) evaluate() {
	sizes := slices.Clone(r.Config.Sizes)
	slices.Sort(sizes)
	allMet := true
	evaluated := false
	note := func(ok *bool, impl string) {
		if ok != nil && impl == implSluice {
			evaluated = true
			allMet = allMet && *ok
		}
	}

	r.Targets.ThroughputRatio = RatioCheck{Target: throughputTarget, Failing: []string{}}
	for _, n := range sizes {
		for _, format := range r.Config.Formats {
			for _, mode := range r.Config.Modes {
				s, okS := r.find(implSluice, n, format, mode)
				ref, okR := r.find(implReference, n, format, mode)
				if !okS || !okR || ref.RowsPerSec == 0 {
					continue
				}
				ratio := Ratio{Rows: n, Format: format, Mode: mode, SluiceRowsPerSec: s.RowsPerSec, ReferenceRowsPerSec: ref.RowsPerSec, Ratio: s.RowsPerSec / ref.RowsPerSec}
				ratio.MeetsTarget = ratio.Ratio >= throughputTarget
				if s.PluginCPUMS > 0 {
					ratio.PluginCPURatio = ref.PluginCPUMS / s.PluginCPUMS
				}
				if !ratio.MeetsTarget {
					r.Targets.ThroughputRatio.Failing = append(r.Targets.ThroughputRatio.Failing, fmt.Sprintf("rows=%d %s %s: %.2f", n, format, mode, ratio.Ratio))
				}
				r.Ratios = append(r.Ratios, ratio)
			}
		}
	}
	if len(r.Ratios) > 0 {
		r.Targets.ThroughputRatio.OK = boolPtr(len(r.Targets.ThroughputRatio.Failing) == 0)
		note(r.Targets.ThroughputRatio.OK, implSluice)
	}

	if len(sizes) < 2 || !slices.Contains(r.Config.Modes, modeChunked) {
		r.finishTargets(evaluated, allMet)
		return
	}
	small, large := sizes[0], sizes[len(sizes)-1]
	for _, impl := range r.Config.Impls {
		for _, format := range r.Config.Formats {
			rss := RSSCheck{Impl: impl, Format: format, SmallRows: small, LargeRows: large, Limit: rssGrowthLimit}
			a, okA := r.find(impl, small, format, modeChunked)
			b, okB := r.find(impl, large, format, modeChunked)
			if okA && okB && a.PeakRSSBytes > 0 {
				rss.SmallPeakBytes, rss.LargePeakBytes = a.PeakRSSBytes, b.PeakRSSBytes
				rss.Growth = float64(b.PeakRSSBytes) / float64(a.PeakRSSBytes)
				rss.OK = boolPtr(rss.Growth <= rssGrowthLimit)
			}
			note(rss.OK, impl)
			r.Targets.ChunkedRSSFlat = append(r.Targets.ChunkedRSSFlat, rss)

			ttfc := TTFCCheck{Impl: impl, Format: format, TTFCByRows: map[string]float64{}, LimitMS: ttfcLimitMS, SpreadMax: ttfcSpreadLimitMS}
			lo, hi, complete := 0.0, 0.0, true
			for i, n := range sizes {
				run, ok := r.find(impl, n, format, modeChunked)
				if !ok {
					complete = false
					continue
				}
				ttfc.TTFCByRows[fmt.Sprint(n)] = run.TTFCMS
				if i == 0 || run.TTFCMS < lo {
					lo = run.TTFCMS
				}
				hi = max(hi, run.TTFCMS)
			}
			if complete {
				ttfc.MaxMS, ttfc.SpreadMS = hi, hi-lo
				ttfc.OK = boolPtr(hi < ttfcLimitMS && hi-lo < ttfcSpreadLimitMS)
			}
			note(ttfc.OK, impl)
			r.Targets.ChunkedTTFC = append(r.Targets.ChunkedTTFC, ttfc)
		}
	}
	r.finishTargets(evaluated, allMet)
}

func (r *Report) finishTargets(evaluated, allMet bool) {
	if evaluated {
		r.Targets.SluiceAllMet = boolPtr(allMet)
	}
}

func (r *Report) write(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// printTable writes the matrix, the ratios and the target verdicts.
func (r *Report) printTable(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w)
	fmt.Fprintln(tw, "impl\trows\tformat\tmode\trows/s\tTTFC ms\ttotal ms\tpeak RSS MiB\tplugin CPU ms\tchunks\tMiB recv\tverified\t")
	var failures []string
	for _, run := range r.Runs {
		if !run.OK {
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\tFAILED\t\t\t\t\t\t\t\t\n", run.Impl, run.Rows, run.Format, run.Mode)
			failures = append(failures, fmt.Sprintf("  %s rows=%d %s %s: %s", run.Impl, run.Rows, run.Format, run.Mode, run.Error))
			continue
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%.0f\t%.1f\t%.0f\t%.1f\t%.0f\t%d\t%.1f\t%v\t\n",
			run.Impl, run.Rows, run.Format, run.Mode, run.RowsPerSec, run.TTFCMS, run.TotalMS, mib(run.PeakRSSBytes), run.PluginCPUMS, run.Chunks, mib(run.BytesReceived), run.Verified)
	}
	tw.Flush()
	if len(failures) > 0 {
		fmt.Fprintln(w, "\nFailed runs")
		fmt.Fprintln(w, strings.Join(failures, "\n"))
	}

	if len(r.Ratios) > 0 {
		fmt.Fprintln(w, "\nSluice ÷ reference (rows/s), target ≥ 1.0")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "rows\tformat\tmode\tsluice rows/s\treference rows/s\tratio\tmet\tref CPU ÷ sluice CPU\t")
		for _, q := range r.Ratios {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%.0f\t%.0f\t%.2f\t%v\t%.2f\t\n", q.Rows, q.Format, q.Mode, q.SluiceRowsPerSec, q.ReferenceRowsPerSec, q.Ratio, q.MeetsTarget, q.PluginCPURatio)
		}
		tw.Flush()
	}

	fmt.Fprintln(w, "\nTargets (chunked mode)")
	for _, c := range r.Targets.ChunkedRSSFlat {
		fmt.Fprintf(w, "  peak RSS %-9s %-5s %d→%d rows: %.1f → %.1f MiB (×%.2f, limit ×%.1f): %s\n",
			c.Impl, c.Format, c.SmallRows, c.LargeRows, mib(c.SmallPeakBytes), mib(c.LargePeakBytes), c.Growth, c.Limit, verdict(c.OK))
	}
	for _, c := range r.Targets.ChunkedTTFC {
		fmt.Fprintf(w, "  TTFC     %-9s %-5s max %.1f ms, spread %.1f ms (limits %.0f / %.0f ms): %s\n",
			c.Impl, c.Format, c.MaxMS, c.SpreadMS, c.LimitMS, c.SpreadMax, verdict(c.OK))
	}
	fmt.Fprintf(w, "  throughput ratio ≥ %.1f: %s", r.Targets.ThroughputRatio.Target, verdict(r.Targets.ThroughputRatio.OK))
	if len(r.Targets.ThroughputRatio.Failing) > 0 {
		fmt.Fprintf(w, " (%s)", strings.Join(r.Targets.ThroughputRatio.Failing, "; "))
	}
	fmt.Fprintf(w, "\n  Sluice meets all evaluated targets: %s\n", verdict(r.Targets.SluiceAllMet))
}

func verdict(ok *bool) string {
	switch {
	case ok == nil:
		return "n/a"
	case *ok:
		return "yes"
	default:
		return "NO"
	}
}
