package promqlconf

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func timeFromMs(ms int64) time.Time { return time.UnixMilli(ms) }

func TestOutcomesAndReport(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.jsonl")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []Event{{0, "start"}, {0, "pass"}, {1, "skip"}, {2, "start"}, {2, "fail"}, {3, "start"}} {
		if err := AppendEvent(f, e); err != nil {
			t.Fatal(err)
		}
	}
	_, _ = f.WriteString(`{"index":4,"ev`) // torn by a crash
	f.Close()
	events, err := ReadEvents(path)
	if err != nil {
		t.Fatal(err)
	}
	outcomes, done := Outcomes(events)
	if done || !reflect.DeepEqual(outcomes, map[int]Outcome{0: Passed, 1: Skipped, 2: Failed, 3: Crashed}) {
		t.Fatalf("outcomes %v done %v", outcomes, done)
	}
	cases := []Case{
		{File: "selectors", Line: 5}, {File: "selectors", Line: 9, Histogram: true},
		{File: "selectors", Line: 12, Command: "eval instant at 0 x"}, {File: "staleness", Line: 3}, {File: "staleness", Line: 7},
	}
	r := BuildReport("v0.0.0", cases, outcomes, map[int]string{2: "expected 1 but got 2"})
	sel, st := r.Files["selectors"], r.Files["staleness"]
	if sel.Passed != 1 || sel.Total != 2 || sel.SkippedHistogram != 1 || st.Passed != 0 || st.Total != 2 {
		t.Fatalf("counts: %+v %+v", sel, st)
	}
	if sel.Failures[0].Message != "expected 1 but got 2" || !strings.Contains(st.Failures[0].Message, "crashed") || st.Failures[1].Message != "not run" {
		t.Errorf("failures: %+v %+v", sel.Failures, st.Failures)
	}
	lines := r.Lines()
	if lines[0] != "aggregators: 0/0" || !contains(lines, "selectors: 1/2") || lines[len(lines)-1] != "skipped (native histograms): 1" {
		t.Errorf("lines: %q", lines)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestFailureMessages(t *testing.T) {
	out := `=== RUN   TestEvals
=== RUN   TestEvals/selectors
=== RUN   TestEvals/selectors/line_12
=== RUN   TestEvals/selectors/line_12/line_12/foo
    test.go:1722:
        	Error Trace:	/x/test.go:1722
        	Error:      	Received unexpected error:
        	            	error in eval foo (line 12): expected 1 but got 2
        	Test:       	TestEvals/selectors/line_12/line_12/foo
--- FAIL: TestEvals/selectors/line_12 (0.01s)
    --- FAIL: TestEvals/selectors/line_12/line_12/foo (0.01s)
=== RUN   TestEvals/selectors/line_20
=== NAME  TestEvals/selectors/line_20
    harness_test.go:80: resetting Sluice: HTTP 500: boom
--- FAIL: TestEvals/selectors/line_20 (0.00s)
`
	got := FailureMessages(strings.NewReader(out), map[string]int{"selectors:12": 4, "selectors:20": 5})
	want := map[int]string{4: "error in eval foo (line 12): expected 1 but got 2", 5: "resetting Sluice: HTTP 500: boom"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
