package promqlconf

import (
	"slices"
	"strconv"
	"strings"
)

// Case is one eval of a promqltest file, runnable on its own.
type Case struct {
	// File is the test file's name without ".test", e.g. "functions".
	File string
	// Line is the 1-based line of the eval command in the file.
	Line int
	// Command is the eval command line, e.g. "eval instant at 50m sum(http_requests)".
	Command string
	// Script is every load since the last clear and then the eval, each block at its original line
	// (everything else blank), so the runner's messages name the file's real line numbers.
	Script string
	// Loads is the script's loads alone (for promqltest.LoadedStorage).
	Loads string
	// Histogram is set when the eval itself writes native histograms ({{…}} in its expected result):
	// a float-only engine skips it.
	Histogram bool
	// HistogramData is set when the loads since the last clear hold native histograms ({{…}} or
	// load_with_nhcb); whether the eval touches them is decided by SelectsHistograms.
	HistogramData bool
}

// block is a run of non-blank lines after the runner's own clean-up (trimmed, comments blanked).
type block struct {
	start int // 0-based index of the first line
	lines []string
}

func (b block) command() string {
	return strings.ToLower(strings.Fields(b.lines[0])[0])
}

func (b block) usesHistograms() bool {
	if strings.HasPrefix(b.command(), "load_with_nhcb") {
		return true
	}
	for _, l := range b.lines {
		if strings.Contains(l, "{{") {
			return true
		}
	}
	return false
}

// cleanLines does what the runner's getLines does: trim every line and blank out comments.
func cleanLines(content string) []string {
	lines := strings.Split(content, "\n")
	for i, l := range lines {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "#") {
			l = ""
		}
		lines[i] = l
	}
	return lines
}

// blocks cuts the lines into commands where the runner's parser does: clear is one line; load runs
// to the next blank line; eval too, except that it ends early after a bare number (a scalar result)
// and, for eval_fail, after expected_fail_message/expected_fail_regexp. Anything else is one line
// (the runner rejects it, and the case then fails).
func blocks(lines []string) []block {
	var out []block
	for i := 0; i < len(lines); i++ {
		if lines[i] == "" {
			continue
		}
		b := block{start: i, lines: []string{lines[i]}}
		cmd := b.command()
		switch {
		case strings.HasPrefix(cmd, "load"):
			for i+1 < len(lines) && lines[i+1] != "" {
				i++
				b.lines = append(b.lines, lines[i])
			}
		case strings.HasPrefix(cmd, "eval"):
			failMode := strings.HasPrefix(cmd, "eval_fail")
			for i+1 < len(lines) && lines[i+1] != "" {
				i++
				l := lines[i]
				b.lines = append(b.lines, l)
				if failMode && (strings.HasPrefix(l, "expected_fail_message") || strings.HasPrefix(l, "expected_fail_regexp")) {
					break
				}
				if strings.HasPrefix(l, "expect range vector") || strings.HasPrefix(l, "expect string") || strings.Split(l, " ")[0] == "expect" {
					continue
				}
				if isNumber(l) {
					break
				}
			}
		}
		out = append(out, b)
	}
	return out
}

// isNumber is the runner's parseNumber test: an integer in any Go base, or a float.
func isNumber(s string) bool {
	if _, err := strconv.ParseInt(s, 0, 64); err == nil {
		return true
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// Split cuts a promqltest file into one Case per eval. A clear drops the loads before it; any other
// command that is neither load nor clear (eval, or something the runner would reject) becomes a
// case, so that nothing in the file goes uncounted.
func Split(file, content string) []Case {
	lines := cleanLines(content)
	var loads []block
	var cases []Case
	for _, b := range blocks(lines) {
		switch cmd := b.command(); {
		case cmd == "clear":
			loads = nil
		case strings.HasPrefix(cmd, "load"):
			loads = append(loads, b)
		default:
			loadLines := make([]string, len(lines))
			histogramData := false
			for _, l := range loads {
				copy(loadLines[l.start:], l.lines)
				histogramData = histogramData || l.usesHistograms()
			}
			script := slices.Clone(loadLines)
			copy(script[b.start:], b.lines)
			cases = append(cases, Case{
				File:          file,
				Line:          b.start + 1,
				Command:       b.lines[0],
				Script:        strings.Join(script, "\n"),
				Loads:         strings.Join(loadLines, "\n"),
				Histogram:     b.usesHistograms(),
				HistogramData: histogramData,
			})
		}
	}
	return cases
}
