package promqlconf

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
)

// Files are the promqltest files of issue 5's target, in report order.
var Files = []string{
	"aggregators", "at_modifier", "collision", "functions", "limit", "literals",
	"operators", "range_queries", "selectors", "staleness", "subquery", "trig_functions",
}

// Event is one line of the progress file the eval process appends to: an eval started, passed,
// failed or was skipped; "done" once every eval has run.
type Event struct {
	Index int    `json:"index"`
	Event string `json:"event"` // start, pass, fail, skip, done
}

// AppendEvent writes one event line and syncs it, so that it survives a crash right after.
func AppendEvent(f *os.File, e Event) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	if _, err := f.Write(append(b, '\n')); err != nil {
		return err
	}
	return f.Sync()
}

// ReadEvents reads a progress file; a torn last line (a crash while writing) is ignored.
func ReadEvents(path string) ([]Event, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var events []Event
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e Event
		if json.Unmarshal(sc.Bytes(), &e) == nil {
			events = append(events, e)
		}
	}
	return events, sc.Err()
}

// Outcome of one eval.
type Outcome string

const (
	Passed  Outcome = "pass"
	Failed  Outcome = "fail"
	Skipped Outcome = "skip"
	// Crashed: the eval started and the process died before it ended (counted as failed).
	Crashed Outcome = "crash"
)

// Outcomes folds events into one outcome per case index; an eval with a start but no end crashed.
func Outcomes(events []Event) (outcomes map[int]Outcome, done bool) {
	outcomes = map[int]Outcome{}
	for _, e := range events {
		switch e.Event {
		case "start":
			outcomes[e.Index] = Crashed
		case "pass", "fail", "skip":
			outcomes[e.Index] = Outcome(e.Event)
		case "done":
			done = true
		}
	}
	return outcomes, done
}

// Failure is a failed eval in the report.
type Failure struct {
	Line    int    `json:"line"`
	Command string `json:"command"`
	Message string `json:"message,omitempty"`
}

// FileResult is one file's count.
type FileResult struct {
	Passed int `json:"passed"`
	// Total counts the float evals (histogram evals are not in it).
	Total            int       `json:"total"`
	SkippedHistogram int       `json:"skippedHistogram"`
	Failures         []Failure `json:"failures"`
}

// Report is what the harness writes for `npm run test:promql`.
type Report struct {
	Prometheus string                 `json:"prometheus"`
	Files      map[string]*FileResult `json:"files"`
}

// BuildReport counts passes per file; messages are the runner's failure texts by case index.
func BuildReport(version string, cases []Case, outcomes map[int]Outcome, messages map[int]string) *Report {
	r := &Report{Prometheus: version, Files: map[string]*FileResult{}}
	for _, f := range Files {
		r.Files[f] = &FileResult{Failures: []Failure{}}
	}
	for i, c := range cases {
		fr := r.Files[c.File]
		if fr == nil {
			fr = &FileResult{Failures: []Failure{}}
			r.Files[c.File] = fr
		}
		if c.Histogram || outcomes[i] == Skipped {
			fr.SkippedHistogram++
			continue
		}
		fr.Total++
		switch outcomes[i] {
		case Passed:
			fr.Passed++
		case Crashed:
			fr.Failures = append(fr.Failures, Failure{c.Line, c.Command, "the eval process crashed during this eval (see the log)"})
		default:
			msg := messages[i]
			if outcomes[i] == "" {
				msg = "not run"
			}
			fr.Failures = append(fr.Failures, Failure{c.Line, c.Command, msg})
		}
	}
	return r
}

// Lines is the report as `<file>: <passed>/<total>` lines in Files order.
func (r *Report) Lines() []string {
	var out []string
	skipped := 0
	for _, f := range Files {
		fr := r.Files[f]
		out = append(out, fmt.Sprintf("%s: %d/%d", f, fr.Passed, fr.Total))
		skipped += fr.SkippedHistogram
	}
	return append(out, fmt.Sprintf("skipped (native histograms): %d", skipped))
}

var (
	reCaseStart = regexp.MustCompile(`^=== (?:RUN|CONT|NAME)\s+TestEvals/([^/\s]+)/line_(\d+)`)
	reResult    = regexp.MustCompile(`^\s*--- (?:PASS|FAIL|SKIP):`)
	reNoise     = regexp.MustCompile(`^(Error Trace:|Test:|Messages:|\S+\.go:\d+:\s*$)`)
)

// FailureMessages reads the eval process's verbose output (-test.v) and collects, per case, the
// text logged while it ran: the runner's error, cleaned of testify's trace lines. Evals run one
// after another, so everything between a case's RUN line and the next case belongs to it.
func FailureMessages(r io.Reader, index map[string]int) map[int]string {
	out := map[int]string{}
	current := -1
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Text()
		if m := reCaseStart.FindStringSubmatch(line); m != nil {
			if i, ok := index[m[1]+":"+m[2]]; ok {
				current = i
			}
			continue
		}
		if current < 0 || strings.HasPrefix(line, "=== ") || reResult.MatchString(line) {
			continue
		}
		text := strings.TrimSpace(line)
		// testify's "Error:" column, and Go's "file.go:123: " prefix of t.Error output.
		text = strings.TrimSpace(strings.TrimPrefix(text, "Error:"))
		if loc := strings.Index(text, ".go:"); loc > 0 && !strings.Contains(text[:loc], " ") {
			if colon := strings.Index(text[loc+4:], ": "); colon >= 0 {
				if _, err := strconv.Atoi(text[loc+4 : loc+4+colon]); err == nil {
					text = strings.TrimSpace(text[loc+4+colon+2:])
				}
			}
		}
		if text == "" || reNoise.MatchString(text) || text == "Received unexpected error:" {
			continue
		}
		if len(out[current]) < 2000 {
			if out[current] != "" {
				out[current] += "\n"
			}
			out[current] += text
		}
	}
	return out
}

// CaseKey is the key FailureMessages uses for a case: "<file>:<line>".
func CaseKey(c Case) string {
	return c.File + ":" + strconv.Itoa(c.Line)
}
