package promqlconf

import (
	"strings"
	"testing"

	"github.com/prometheus/prometheus/promql/promqltest"
)

const splitInput = `# A comment
load 5m
  http_requests{job="api"} 0+10x10
  # an indented comment ends nothing here, it is blank to the runner

eval instant at 50m http_requests
  http_requests{job="api"} 100

clear

load 1m
  foo 1 2 3

load 1m
  bar {{schema:0 sum:1 count:1}}

eval range from 0 to 2m step 1m foo
  expect no_warn
  foo 1 2 3

clear
load_with_nhcb 1m
  baz_bucket{le="1"} 1

eval instant at 0 baz_bucket
  baz_bucket{le="1"} 1

clear

eval instant at 0 1
  1
eval instant at 0 vector(1)
  {} {{schema:0 sum:1 count:1}}
`

func TestSplitCasesAndLines(t *testing.T) {
	cases := Split("demo", splitInput)
	type want struct {
		line      int
		command   string
		histogram bool
		data      bool     // loads with native histograms
		loads     []string // first line of every load in the script, in order
	}
	wants := []want{
		{6, "eval instant at 50m http_requests", false, false, []string{"load 5m"}},
		{17, "eval range from 0 to 2m step 1m foo", false, true, []string{"load 1m", "load 1m"}},
		{25, "eval instant at 0 baz_bucket", false, true, []string{"load_with_nhcb 1m"}},
		{30, "eval instant at 0 1", false, false, nil},
		{32, "eval instant at 0 vector(1)", true, false, nil},
	}
	if len(cases) != len(wants) {
		t.Fatalf("want %d cases, got %d: %+v", len(wants), len(cases), cases)
	}
	for i, w := range wants {
		c := cases[i]
		if c.File != "demo" || c.Line != w.line || c.Command != w.command || c.Histogram != w.histogram || c.HistogramData != w.data {
			t.Errorf("case %d: got file %q line %d command %q histogram %v/%v; want line %d %q %v/%v",
				i, c.File, c.Line, c.Command, c.Histogram, c.HistogramData, w.line, w.command, w.histogram, w.data)
		}
		if strings.Contains(c.Loads, "eval") || (len(w.loads) > 0 && !strings.Contains(c.Loads, w.loads[0])) {
			t.Errorf("case %d: loads-only script %q", i, c.Loads)
		}
		lines := strings.Split(c.Script, "\n")
		if got := lines[c.Line-1]; got != w.command {
			t.Errorf("case %d: script line %d is %q, want the eval there", i, c.Line, got)
		}
		var loads []string
		for _, l := range lines {
			if strings.HasPrefix(l, "load") {
				loads = append(loads, l)
			}
			if strings.HasPrefix(l, "clear") || (strings.HasPrefix(l, "eval") && l != w.command) {
				t.Errorf("case %d: script contains %q", i, l)
			}
		}
		if strings.Join(loads, "|") != strings.Join(w.loads, "|") {
			t.Errorf("case %d: loads %q, want %q", i, loads, w.loads)
		}
	}
	// The first case's script: the load and the eval with their sample lines, trimmed, comments blank.
	wantScript := "\nload 5m\nhttp_requests{job=\"api\"} 0+10x10\n\n\neval instant at 50m http_requests\nhttp_requests{job=\"api\"} 100"
	if got := strings.TrimRight(cases[0].Script, "\n"); got != wantScript {
		t.Errorf("script:\n%q\nwant\n%q", got, wantScript)
	}
}

// Every eval of the target files becomes a case, and the float-only counts stay plausible.
func TestSplitRealFiles(t *testing.T) {
	module, err := FindPrometheusModule()
	if err != nil {
		t.Skip(err)
	}
	cases, err := LoadCases(module, Files)
	if err != nil {
		t.Fatal(err)
	}
	perFile := map[string]int{}
	for _, c := range cases {
		if !strings.HasPrefix(c.Command, "eval") {
			t.Errorf("%s:%d: not an eval: %q", c.File, c.Line, c.Command)
		}
		perFile[c.File]++
	}
	for _, f := range Files {
		if perFile[f] == 0 {
			t.Errorf("%s: no evals", f)
		}
	}
}

func TestSelectsHistograms(t *testing.T) {
	cases := Split("demo", splitInput)
	local := promqltest.LoadedStorage(t, cases[1].Loads) // foo (floats) and bar (a histogram)
	for command, want := range map[string]bool{
		"eval range from 0 to 2m step 1m foo":              false,
		"eval instant at 1m bar":                           true,
		"eval instant at 1m rate(bar[5m]) + on() foo":      true,
		`eval instant at 1m count({__name__=~"f.*|b.*"})`:  true,
		`eval instant at 1m count({__name__=~"f.*"})`:      false,
		"eval_fail instant at 1m sum(":                     false, // does not parse: selects nothing
		"eval instant at 1m sum_over_time(foo[5m:1m] @ 0)": false,
	} {
		got, err := SelectsHistograms(t.Context(), local, command)
		if err != nil || got != want {
			t.Errorf("%s: got %v (%v), want %v", command, got, err, want)
		}
	}
}
