package promqlconf

import (
	"context"
	"regexp"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
	"github.com/prometheus/prometheus/promql/promqltest"
	"github.com/prometheus/prometheus/storage"
	"github.com/prometheus/prometheus/tsdb/chunkenc"
)

// The runner's own patterns for eval commands; the last group is the expression.
var (
	reEvalInstant = regexp.MustCompile(`^eval(?:_(?:fail|warn|ordered|info))?\s+instant\s+(?:at\s+(?:.+?))?\s+(.+)$`)
	reEvalRange   = regexp.MustCompile(`^eval(?:_(?:fail|warn|info))?\s+range\s+from\s+(?:.+)\s+to\s+(?:.+)\s+step\s+(?:.+?)\s+(.+)$`)
	testParser    = parser.NewParser(promqltest.TestParserOpts)
)

// EvalExpr is the PromQL expression of an eval command line.
func EvalExpr(command string) (string, bool) {
	if m := reEvalInstant.FindStringSubmatch(command); m != nil {
		return m[1], true
	}
	if m := reEvalRange.FindStringSubmatch(command); m != nil {
		return m[1], true
	}
	return "", false
}

// SelectsHistograms reports whether the eval's expression selects any series that holds a native
// histogram sample (at any time) in q. Such an eval needs native histogram support whatever its
// expected result looks like; an expression that does not parse selects nothing.
func SelectsHistograms(ctx context.Context, q storage.Queryable, command string) (bool, error) {
	text, ok := EvalExpr(command)
	if !ok {
		return false, nil
	}
	expr, err := testParser.ParseExpr(text)
	if err != nil {
		return false, nil
	}
	querier, err := q.Querier(-1<<62, 1<<62)
	if err != nil {
		return false, err
	}
	defer querier.Close()
	for _, matchers := range parser.ExtractSelectors(expr) {
		found, err := anyHistogram(ctx, querier, matchers)
		if err != nil || found {
			return found, err
		}
	}
	return false, nil
}

func anyHistogram(ctx context.Context, querier storage.Querier, matchers []*labels.Matcher) (bool, error) {
	set := querier.Select(ctx, false, nil, matchers...)
	var it chunkenc.Iterator
	for set.Next() {
		it = set.At().Iterator(it)
		for vt := it.Next(); vt != chunkenc.ValNone; vt = it.Next() {
			if vt == chunkenc.ValHistogram || vt == chunkenc.ValFloatHistogram {
				return true, nil
			}
		}
		if err := it.Err(); err != nil {
			return false, err
		}
	}
	return false, set.Err()
}
