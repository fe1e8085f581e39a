package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"google.golang.org/protobuf/proto"

	"github.com/sluice/conformance/internal/chunkstream"
	"github.com/sluice/conformance/internal/pluginhost"
	"github.com/sluice/conformance/internal/procstat"
	"github.com/sluice/conformance/internal/synthetic"
)

// Modes of the matrix.
const (
	modeChunked = "chunked" // QueryChunkedData, accumulated by the SDK
	modeUnary   = "unary"   // QueryData, decoded by backend.FromProto()
)

// Fixed query parameters: both plugins answer the same rows.
const (
	benchRefID  = "A"
	benchSeed   = 42
	benchFromMS = 1_700_000_000_000
)

type runSpec struct {
	impl, executable string
	rows             int64
	format           pluginv2.DataFrameFormat
	mode             string
	timeout          time.Duration
	warmupRows       int64
}

// Result is one cell of the matrix.
type Result struct {
	Impl          string  `json:"impl"`
	Rows          int64   `json:"rows"`
	Format        string  `json:"format"`
	Mode          string  `json:"mode"`
	OK            bool    `json:"ok"`
	Error         string  `json:"error,omitempty"`
	RowsPerSec    float64 `json:"rowsPerSec"`
	TotalMS       float64 `json:"totalMs"`
	TTFCMS        float64 `json:"timeToFirstChunkMs"`
	PeakRSSBytes  int64   `json:"peakRssBytes"`
	StartRSSBytes int64   `json:"startRssBytes"`
	// PluginCPUMS is the plugin process's user+system CPU time during the
	// measured query: its own cost, separate from the client's decoding on
	// the same machine.
	PluginCPUMS   float64 `json:"pluginCpuMs"`
	Chunks        int     `json:"chunks"`
	BytesReceived int64   `json:"bytesReceived"`
	// RowsPerSecRepeats lists every repeat's throughput; the cell reports the
	// median repeat (see -repeat).
	RowsPerSecRepeats []float64 `json:"rowsPerSecRepeats,omitempty"`
	// Verified: the decoded frame equals the generator row for row (checked
	// after the clock stopped).
	Verified bool `json:"verified"`
}

func (r Result) summary() string {
	if !r.OK {
		return "FAILED: " + r.Error
	}
	return fmt.Sprintf("%10.0f rows/s  ttfc %7.1f ms  rss %7.1f MiB  cpu %8.0f ms  %6d chunks  %7.1f MiB",
		r.RowsPerSec, r.TTFCMS, mib(r.PeakRSSBytes), r.PluginCPUMS, r.Chunks, mib(r.BytesReceived))
}

func mib(b int64) float64 { return float64(b) / (1 << 20) }

// measureCell runs a cell `repeats` times and reports the repeat with the
// median throughput (failures count as slowest); single runs on a shared
// 2-core machine are noisy.
func measureCell(spec runSpec, repeats int) Result {
	runs := make([]Result, 0, repeats)
	for range max(repeats, 1) {
		runs = append(runs, measure(spec))
	}
	slices.SortFunc(runs, func(a, b Result) int { return cmp.Compare(b.RowsPerSec, a.RowsPerSec) })
	median := runs[len(runs)/2]
	if len(runs) > 1 {
		for _, r := range runs {
			median.RowsPerSecRepeats = append(median.RowsPerSecRepeats, r.RowsPerSec)
		}
	}
	return median
}

// measure runs one cell in a fresh plugin process, so VmHWM (a high-water
// mark over the process lifetime) belongs to this query alone.
func measure(spec runSpec) Result {
	res := Result{Impl: spec.impl, Rows: spec.rows, Format: formatName(spec.format), Mode: spec.mode}
	// Keep the previous cell's garbage from slowing this one down.
	runtime.GC()
	p, err := pluginhost.Start(pluginhost.Options{Executable: spec.executable, StartTimeout: 30 * time.Second})
	if err != nil {
		res.Error = err.Error()
		return res
	}
	defer p.Kill()
	res.StartRSSBytes, _ = procstat.TreePeakRSS(p.PID)

	ctx, cancel := context.WithTimeout(context.Background(), spec.timeout)
	defer cancel()
	if spec.warmupRows > 0 {
		if _, _, err := execute(ctx, p, spec, spec.warmupRows, &Result{}); err != nil {
			res.Error = "warm-up: " + err.Error()
			return res
		}
	}

	cpuBefore, _ := procstat.CPUTime(p.PID)
	frameResp, elapsed, err := execute(ctx, p, spec, spec.rows, &res)
	// VmHWM and CPU are read before Kill: after exit /proc/PID is gone.
	res.PeakRSSBytes, _ = procstat.TreePeakRSS(p.PID)
	if cpuAfter, cerr := procstat.CPUTime(p.PID); cerr == nil {
		res.PluginCPUMS = ms(cpuAfter - cpuBefore)
	}
	if err != nil {
		res.Error = err.Error()
		return res
	}
	res.OK = true
	res.TotalMS = ms(elapsed)
	if elapsed > 0 {
		res.RowsPerSec = float64(spec.rows) / elapsed.Seconds()
	}
	if err := verify(frameResp, spec.rows); err != nil {
		res.OK, res.Error = false, "wrong result: "+err.Error()
	} else {
		res.Verified = true
	}
	return res
}

// execute sends one synthetic query of n rows and decodes the whole answer
// with the SDK. It fills TTFC, chunk count and bytes into res and returns the
// decoded response and the wall time from the call to the last message decoded.
func execute(ctx context.Context, p *pluginhost.Plugin, spec runSpec, n int64, res *Result) (*backend.QueryDataResponse, time.Duration, error) {
	query := &pluginv2.DataQuery{
		RefId:     benchRefID,
		QueryType: synthetic.QueryType,
		Json:      mustJSON(map[string]any{"rows": n, "seed": benchSeed}),
		TimeRange: &pluginv2.TimeRange{FromEpochMS: benchFromMS, ToEpochMS: benchFromMS + n*synthetic.RowStepMS},
	}
	pctx := &pluginv2.PluginContext{
		OrgId: 1, PluginId: "sluice-datasource",
		DataSourceInstanceSettings: &pluginv2.DataSourceInstanceSettings{Id: 1, Uid: "bench", Name: "bench", JsonData: []byte("{}")},
	}
	switch spec.mode {
	case modeChunked:
		return executeChunked(ctx, p, &pluginv2.QueryChunkedDataRequest{PluginContext: pctx, Queries: []*pluginv2.DataQuery{query}, Format: spec.format}, res)
	case modeUnary:
		return executeUnary(ctx, p, &pluginv2.QueryDataRequest{PluginContext: pctx, Queries: []*pluginv2.DataQuery{query}, Format: spec.format}, res)
	}
	return nil, 0, fmt.Errorf("unknown mode %q", spec.mode)
}

func executeChunked(ctx context.Context, p *pluginhost.Plugin, req *pluginv2.QueryChunkedDataRequest, res *Result) (*backend.QueryDataResponse, time.Duration, error) {
	start := time.Now()
	stream, err := p.Data.QueryChunkedData(ctx, req)
	if err != nil {
		return nil, 0, err
	}
	observe := func(c *pluginv2.QueryChunkedDataResponse) error {
		if res.Chunks == 0 {
			res.TTFCMS = ms(time.Since(start))
		}
		res.Chunks++
		res.BytesReceived += int64(proto.Size(c))
		if c.Error != "" {
			return fmt.Errorf("chunk %d: status %d: %s", res.Chunks, c.Status, c.Error)
		}
		return nil
	}
	resp, err := chunkstream.Accumulate(req.Format, chunkstream.Seq(stream, observe))
	return resp, time.Since(start), err
}

func executeUnary(ctx context.Context, p *pluginhost.Plugin, req *pluginv2.QueryDataRequest, res *Result) (*backend.QueryDataResponse, time.Duration, error) {
	start := time.Now()
	raw, err := p.Data.QueryData(ctx, req)
	if err != nil {
		return nil, 0, err
	}
	res.TTFCMS = ms(time.Since(start))
	res.Chunks = 1
	res.BytesReceived = int64(proto.Size(raw))
	resp, err := backend.FromProto().QueryDataResponse(raw)
	return resp, time.Since(start), err
}

// verify checks the decoded answer against the generator.
func verify(resp *backend.QueryDataResponse, rows int64) error {
	dr, ok := resp.Responses[benchRefID]
	if !ok {
		return errors.New("no response for refId " + benchRefID)
	}
	if dr.Error != nil || dr.Status != backend.StatusOK {
		return fmt.Errorf("status %d: %v", dr.Status, dr.Error)
	}
	if len(dr.Frames) != 1 {
		return fmt.Errorf("%d frames, want 1", len(dr.Frames))
	}
	return synthetic.Verify(dr.Frames[0], benchRefID, benchFromMS, synthetic.Query{Rows: rows, Seed: benchSeed})
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
