package promqlconf

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/prometheus/prometheus/promql"
	"github.com/prometheus/prometheus/promql/parser"
	"github.com/prometheus/prometheus/storage"
	"github.com/prometheus/prometheus/util/stats"
)

// Engine is a promql.QueryEngine whose queries run in Sluice, through its Prometheus HTTP API. The
// storage.Queryable the runner passes is ignored: the data reached Sluice through remote write.
type Engine struct {
	// QueryURL is the API's base, e.g. http://127.0.0.1:41234.
	QueryURL string
	Client   *http.Client
	// OnTimeout, when set, is called when a request times out (the harness then restarts Sluice, whose
	// engine may be stuck in a loop that would stall every later eval).
	OnTimeout func()
}

var _ promql.QueryEngine = (*Engine)(nil)

// NewInstantQuery implements promql.QueryEngine.
func (e *Engine) NewInstantQuery(_ context.Context, _ storage.Queryable, _ promql.QueryOpts, qs string, ts time.Time) (promql.Query, error) {
	form := url.Values{"query": {qs}, "time": {formatTime(ts)}}
	return &query{engine: e, qs: qs, path: "/api/v1/query", form: form}, nil
}

// NewRangeQuery implements promql.QueryEngine.
func (e *Engine) NewRangeQuery(_ context.Context, _ storage.Queryable, _ promql.QueryOpts, qs string, start, end time.Time, interval time.Duration) (promql.Query, error) {
	form := url.Values{
		"query": {qs},
		"start": {formatTime(start)},
		"end":   {formatTime(end)},
		// A duration in milliseconds is exact; float seconds would go through float arithmetic.
		"step": {fmt.Sprintf("%dms", interval.Milliseconds())},
	}
	return &query{engine: e, qs: qs, path: "/api/v1/query_range", form: form, isRange: true}, nil
}

// formatTime writes a time as RFC 3339 with milliseconds, which both Prometheus and Sluice parse
// exactly (float seconds can lose a millisecond in Prometheus' float steps); float seconds only
// outside the years RFC 3339 can write.
func formatTime(t time.Time) string {
	if y := t.UTC().Year(); y >= 0 && y <= 9999 {
		return t.UTC().Format("2006-01-02T15:04:05.000Z07:00")
	}
	ms := t.UnixMilli()
	sign := ""
	if ms < 0 {
		sign, ms = "-", -ms
	}
	return fmt.Sprintf("%s%d.%03d", sign, ms/1000, ms%1000)
}

type query struct {
	engine  *Engine
	qs      string
	path    string
	form    url.Values
	isRange bool
	cancel  context.CancelFunc
}

// Exec implements promql.Query: POST the form, decode the answer.
func (q *query) Exec(ctx context.Context) *promql.Result {
	ctx, q.cancel = context.WithCancel(ctx)
	defer q.cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, q.engine.QueryURL+q.path, strings.NewReader(q.form.Encode()))
	if err != nil {
		return &promql.Result{Err: err}
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := q.engine.Client.Do(req)
	if err != nil {
		var timeout interface{ Timeout() bool }
		if errors.As(err, &timeout) && timeout.Timeout() && q.engine.OnTimeout != nil {
			q.engine.OnTimeout()
		}
		return &promql.Result{Err: fmt.Errorf("query API: %w", err)}
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return &promql.Result{Err: fmt.Errorf("query API: reading the answer: %w", err)}
	}
	value, annos, err := DecodeResponse(res.StatusCode, body, q.isRange)
	return &promql.Result{Value: value, Warnings: annos, Err: err}
}

func (*query) Close() {}

// Statement is not used by the runner; Sluice parses the query itself.
func (*query) Statement() parser.Statement { return nil }

// Stats is not used by the runner; the API does not report them.
func (*query) Stats() *stats.Statistics { return nil }

func (q *query) Cancel() {
	if q.cancel != nil {
		q.cancel()
	}
}

func (q *query) String() string { return q.qs }
