package promqlconf

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/model/value"
	"github.com/prometheus/prometheus/promql/promqltest"
	"github.com/prometheus/prometheus/storage"
	"github.com/prometheus/prometheus/util/teststorage"
)

// Environment of the eval process and the knobs of a run.
const (
	// envChild marks the process that runs the evals (TestEvals); the parent test starts it.
	envChild    = "SLUICE_PROMQL_CHILD"
	envProgress = "SLUICE_PROMQL_PROGRESS" // progress file (JSON lines of Event)
	envFrom     = "SLUICE_PROMQL_FROM"     // first case index to run
	envResults  = "SLUICE_PROMQL_RESULTS"  // where the report goes (default ../.bin/promql/results.json)
	envLog      = "SLUICE_PROMQL_LOG"      // where the eval process's output goes (default ../.bin/promql/evals.log)
	envNode     = "SLUICE_NODE"            // node binary (default: node on PATH)
	envCLI      = "SLUICE_CLI"             // Sluice's CLI (default ../../dist/backend/cli.js)
	// envPanicAt makes the eval process panic in the eval with this case index (TestCrashResume).
	envPanicAt = "SLUICE_PROMQL_PANIC_AT"
)

// requestTimeout bounds every HTTP call to Sluice; a query still running then is taken for a hang.
const requestTimeout = 30 * time.Second

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

func sluiceConfig(dataDir string, stderr io.Writer) (ServerConfig, error) {
	cli, err := filepath.Abs(envOr(envCLI, filepath.Join("..", "..", "dist", "backend", "cli.js")))
	if err != nil {
		return ServerConfig{}, err
	}
	if _, err := os.Stat(cli); err != nil {
		return ServerConfig{}, fmt.Errorf("%s is missing: build the backend first (npm run build:backend; npm run test:promql does it)", cli)
	}
	return ServerConfig{Node: envOr(envNode, "node"), CLI: cli, DataDir: dataDir, Stderr: stderr}, nil
}

// harness is the eval process's Sluice, restarted when it dies or hangs.
type harness struct {
	cfg    ServerConfig
	client *http.Client
	engine *Engine
	writer *RemoteWriter

	mu     sync.Mutex
	server *Server
}

var evalHarness *harness

func (h *harness) ensureServer() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.server != nil && h.server.Alive() {
		return nil
	}
	if h.server != nil {
		fmt.Fprintln(os.Stderr, "promql harness: Sluice is gone; starting it again")
	}
	s, err := StartServer(h.cfg)
	if err != nil {
		return err
	}
	h.server = s
	h.engine.QueryURL = s.QueryURL
	h.writer.URL = s.WriteURL
	return nil
}

// killServer is called when a request timed out: the engine may be stuck, and a single-threaded
// Node process that is stuck answers nothing else either.
func (h *harness) killServer() {
	h.mu.Lock()
	s := h.server
	h.mu.Unlock()
	if s != nil {
		fmt.Fprintln(os.Stderr, "promql harness: a request to Sluice timed out; killing it")
		s.Kill() // waits, so that the next eval finds it gone and starts a fresh one
	}
}

func (h *harness) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.server != nil {
		h.server.Close()
	}
}

func TestMain(m *testing.M) {
	if os.Getenv(envChild) != "1" {
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "sluice-promql-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	cfg, err := sluiceConfig(filepath.Join(dir, "data"), os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	client := &http.Client{Timeout: requestTimeout}
	h := &harness{cfg: cfg, client: client, engine: &Engine{Client: client}, writer: &RemoteWriter{Client: client}}
	h.engine.OnTimeout = h.killServer
	if err := h.ensureServer(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	evalHarness = h
	code := m.Run()
	h.close()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// TestEvals runs every eval as its own subtest TestEvals/<file>/line_<N>, each against a freshly
// reset Sluice loaded with the eval's data, through promqltest.RunTestWithStorage (so the runner's
// @-modifier variants and range-mode re-check run too). Evals that need native histograms are
// skipped: those whose expected result is written with {{…}}, and those whose expression selects a
// series holding histogram samples (decided on Prometheus' own storage loaded with the same data).
// It only runs in the eval process, which TestPromQLConformance starts, because failing evals fail
// it; to look at one eval yourself:
//
//	SLUICE_PROMQL_CHILD=1 go test -count=1 -run 'TestEvals/functions/line_42$' -v
func TestEvals(t *testing.T) {
	if evalHarness == nil {
		t.Skip("runs in the eval process (TestPromQLConformance starts it; or set " + envChild + "=1)")
	}
	h := evalHarness
	module, err := FindPrometheusModule()
	if err != nil {
		t.Fatal(err)
	}
	cases, err := LoadCases(module, SelectedFiles())
	if err != nil {
		t.Fatal(err)
	}
	from, _ := strconv.Atoi(os.Getenv(envFrom))
	var progress *os.File
	if path := os.Getenv(envProgress); path != "" {
		progress, err = os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		defer progress.Close()
	}
	// Called from subtests' goroutines, where the parent's t.Fatal is not allowed; without its
	// progress file the parent cannot count, so a failed write ends the process.
	record := func(i int, event string) {
		if progress != nil {
			if err := AppendEvent(progress, Event{Index: i, Event: event}); err != nil {
				panic(fmt.Sprintf("writing the progress file: %v", err))
			}
		}
	}
	newStorage := func(tb testing.TB) storage.Storage {
		ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
		defer cancel()
		if err := h.ensureServer(); err != nil {
			tb.Fatal(err)
		}
		if err := h.server.Reset(ctx, h.client); err != nil {
			tb.Fatal(err)
		}
		return NewForwardingStorage(teststorage.New(tb), h.writer)
	}

	for start := from; start < len(cases); {
		file := cases[start].File
		end := start
		for end < len(cases) && cases[end].File == file {
			end++
		}
		t.Run(file, func(t *testing.T) {
			for i := start; i < end; i++ {
				c := cases[i]
				if c.Histogram {
					record(i, "skip")
					continue
				}
				record(i, "start")
				skipped := false
				ok := t.Run("line_"+strconv.Itoa(c.Line), func(t *testing.T) {
					if os.Getenv(envPanicAt) == strconv.Itoa(i) {
						panic("injected crash (" + envPanicAt + ")")
					}
					if c.HistogramData {
						local := promqltest.LoadedStorage(t, c.Loads)
						selects, err := SelectsHistograms(t.Context(), local, c.Command)
						_ = local.Close()
						if err != nil {
							t.Fatal(err)
						}
						if selects {
							skipped = true
							t.Skip("selects series with native histograms")
						}
					}
					promqltest.RunTestWithStorage(t, c.Script, h.engine, newStorage)
				})
				switch {
				case skipped:
					record(i, "skip")
				case ok:
					record(i, "pass")
				default:
					record(i, "fail")
				}
			}
		})
		start = end
	}
	record(len(cases), "done")
}

// TestPromQLConformance runs TestEvals in a child process (evals that fail must not fail this
// test: the engine is being written, and the ratchet in npm run test:promql judges the counts),
// starts it again after the eval it was running if it crashes, and writes the report: per file
// passed/total of the float evals, the evals skipped for native histograms, and every failure with
// the runner's message.
func TestPromQLConformance(t *testing.T) {
	if evalHarness != nil {
		t.Skip("this is the eval process")
	}
	if testing.Short() {
		t.Skip("the conformance run takes minutes")
	}
	resultsPath := envOr(envResults, filepath.Join("..", ".bin", "promql", "results.json"))
	logPath := envOr(envLog, filepath.Join("..", ".bin", "promql", "evals.log"))
	report := runConformance(t, SelectedFiles(), nil, logPath)
	data, err := json.MarshalIndent(report, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(resultsPath), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(resultsPath, append(data, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, line := range report.Lines() {
		t.Log(line)
	}
	abs, _ := filepath.Abs(resultsPath)
	t.Logf("report: %s; eval output: %s", abs, logPath)
}

// TestCrashResume: when the eval process dies in the middle of an eval (the runner panics on some
// malformed results), that eval counts as failed and the next process carries on after it.
func TestCrashResume(t *testing.T) {
	if evalHarness != nil {
		t.Skip("this is the eval process")
	}
	if testing.Short() {
		t.Skip("starts Sluice")
	}
	report := runConformance(t, []string{"staleness"}, []string{envPanicAt + "=2"}, filepath.Join(t.TempDir(), "evals.log"))
	st := report.Files["staleness"]
	if st.Total != 17 || len(st.Failures) == 0 || st.Failures[0].Line != 10 || !strings.Contains(st.Failures[0].Message, "crashed") {
		t.Fatalf("want the third eval (line 10) failed by the crash and 17 counted, got %+v", st)
	}
	if st.Passed+len(st.Failures) != st.Total {
		t.Fatalf("every eval must be counted once: %+v", st)
	}
}

// runConformance runs the evals of files in child processes until all have run, and reports.
func runConformance(t *testing.T, files []string, extraEnv []string, logPath string) *Report {
	if _, err := sluiceConfig("", nil); err != nil {
		t.Fatal(err)
	}
	module, err := FindPrometheusModule()
	if err != nil {
		t.Fatal(err)
	}
	cases, err := LoadCases(module, files)
	if err != nil {
		t.Fatal(err)
	}
	index := map[string]int{}
	for i, c := range cases {
		index[CaseKey(c)] = i
	}
	if err := os.MkdirAll(filepath.Dir(logPath), 0o755); err != nil {
		t.Fatal(err)
	}
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	progressPath := filepath.Join(t.TempDir(), "progress.jsonl")

	ctx := context.Background()
	if deadline, ok := t.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, deadline.Add(-10*time.Second))
		defer cancel()
	}
	messages := map[int]string{}
	from := 0
	for runs := 0; ; runs++ {
		var out bytes.Buffer
		cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestEvals$", "-test.v", "-test.count=1", "-test.timeout=0")
		cmd.Env = append(os.Environ(), envChild+"=1", envProgress+"="+progressPath, envFrom+"="+strconv.Itoa(from),
			"SLUICE_PROMQL_FILES="+strings.Join(files, ","))
		cmd.Env = append(cmd.Env, extraEnv...)
		cmd.Stdout = io.MultiWriter(logFile, &out)
		cmd.Stderr = io.MultiWriter(logFile, &out)
		started := time.Now()
		runErr := cmd.Run()
		for i, m := range FailureMessages(&out, index) {
			messages[i] = m
		}
		outcomes, done := Outcomes(mustEvents(t, progressPath))
		t.Logf("eval process %d (from case %d) ended after %s: %v", runs+1, from, time.Since(started).Round(time.Millisecond), runErr)
		if done {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("out of time after %d of %d evals; see %s", len(outcomes), len(cases), logPath)
		}
		next := from
		for i := range outcomes {
			if i+1 > next {
				next = i + 1
			}
		}
		if next == from {
			t.Fatalf("the eval process ran no eval (%v); see %s", runErr, logPath)
		}
		from = next
	}
	outcomes, _ := Outcomes(mustEvents(t, progressPath))
	return BuildReport(module.Version, cases, outcomes, messages)
}

func mustEvents(t *testing.T, path string) []Event {
	events, err := ReadEvents(path)
	if err != nil {
		t.Fatal(err)
	}
	return events
}

// TestRemoteWriteReachesSluice checks the harness' own plumbing against a real Sluice: samples
// committed to the forwarding storage arrive (series and label values through the metadata API),
// a reset empties the store, and a stale marker is accepted like any sample.
func TestRemoteWriteReachesSluice(t *testing.T) {
	if evalHarness != nil {
		t.Skip("this is the eval process")
	}
	if testing.Short() {
		t.Skip("starts Sluice")
	}
	var stderr bytes.Buffer
	cfg, err := sluiceConfig(filepath.Join(t.TempDir(), "data"), &stderr)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := StartServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	client := &http.Client{Timeout: requestTimeout}
	ctx := context.Background()
	fs := NewForwardingStorage(teststorage.New(t), &RemoteWriter{URL: srv.WriteURL, Client: client, MaxSamples: 3})

	app := fs.AppenderV2(ctx)
	stale := value.StaleNaN
	for _, s := range []struct {
		ls labels.Labels
		t  int64
		v  float64
	}{
		{labels.FromStrings("__name__", "up", "job", "a"), 0, 1},
		{labels.FromStrings("__name__", "up", "job", "a"), 60_000, 1},
		{labels.FromStrings("__name__", "up", "job", "b"), 30_000, 0},
		{labels.FromStrings("__name__", "up", "job", "b"), 0, 1}, // out of order within the commit
		{labels.FromStrings("__name__", "up", "job", "b"), 90_000, math.Float64frombits(stale)},
		{labels.FromStrings("__name__", "other", "empty", ""), 0, 5},
	} {
		if _, err := app.Append(0, s.ls, 0, s.t, s.v, nil, nil, storage.AppendV2Options{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := app.Commit(); err != nil {
		t.Fatalf("commit: %v\n%s", err, stderr.String())
	}

	var series struct {
		Status string              `json:"status"`
		Data   []map[string]string `json:"data"`
	}
	getJSON(t, client, srv.QueryURL+"/api/v1/series?"+url.Values{"match[]": {`{__name__=~".+"}`}}.Encode(), &series)
	if len(series.Data) != 3 {
		t.Fatalf("want 3 series in Sluice, got %v", series.Data)
	}
	var values struct {
		Data []string `json:"data"`
	}
	getJSON(t, client, srv.QueryURL+"/api/v1/label/job/values", &values)
	if fmt.Sprint(values.Data) != "[a b]" {
		t.Fatalf("job values: want [a b], got %v", values.Data)
	}

	if err := srv.Reset(ctx, client); err != nil {
		t.Fatal(err)
	}
	getJSON(t, client, srv.QueryURL+"/api/v1/series?"+url.Values{"match[]": {`{__name__=~".+"}`}}.Encode(), &series)
	if len(series.Data) != 0 {
		t.Fatalf("after reset: want no series, got %v", series.Data)
	}
}

func getJSON(t *testing.T, client *http.Client, u string, v any) {
	t.Helper()
	res, err := client.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: HTTP %d: %s", u, res.StatusCode, body)
	}
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("GET %s: %v: %s", u, err, body)
	}
}
