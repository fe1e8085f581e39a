package synthetic

import (
	"fmt"
	"strconv"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// Frame and field identity of a synthetic result.
const (
	FrameName   = "synthetic"
	FrameID     = "synthetic"
	FieldTime   = "time"
	FieldValue  = "value"
	FieldSeries = "series"
)

// RowStepMS is the spacing of the time column.
const RowStepMS = 1000

// seriesNames avoids an strconv call per row; there are only ten series.
var seriesNames = func() [10]string {
	var s [10]string
	for i := range s {
		s[i] = "series-" + strconv.Itoa(i)
	}
	return s
}()

// SeriesName is the `series` value of row i.
func SeriesName(i int64) string { return seriesNames[i%10] }

// RowTime is the `time` value of row i.
func RowTime(fromMS, i int64) time.Time {
	return time.UnixMilli(fromMS + i*RowStepMS)
}

// Generator produces consecutive row blocks of one synthetic result. It is
// stateful because the walk cannot jump ahead: block n+1 continues block n.
type Generator struct {
	refID  string
	fromMS int64
	walk   *Walk
	next   int64
	rows   int64
}

// NewGenerator prepares the rows of query q for the given refId and time-range start.
func NewGenerator(refID string, fromMS int64, q Query) *Generator {
	return &Generator{refID: refID, fromMS: fromMS, walk: NewWalk(q.Seed), rows: q.Rows}
}

// Remaining is how many rows have not been produced yet.
func (g *Generator) Remaining() int64 { return g.rows - g.next }

// NextFrame returns a frame holding the next min(n, Remaining()) rows.
func (g *Generator) NextFrame(n int) *data.Frame {
	if r := g.Remaining(); int64(n) > r {
		n = int(r)
	}
	times := make([]time.Time, n)
	values := make([]float64, n)
	series := make([]string, n)
	for j := range n {
		i := g.next + int64(j)
		times[j] = RowTime(g.fromMS, i)
		values[j] = g.walk.Next()
		series[j] = SeriesName(i)
	}
	g.next += int64(n)
	f := data.NewFrame(FrameName,
		data.NewField(FieldTime, nil, times),
		data.NewField(FieldValue, nil, values),
		data.NewField(FieldSeries, nil, series),
	)
	f.RefID = g.refID
	return f
}

// ExpectedFrame is the complete result of query q, built in one go.
func ExpectedFrame(refID string, fromMS int64, q Query) *data.Frame {
	return NewGenerator(refID, fromMS, q).NextFrame(int(q.Rows))
}

// Verify checks that f is exactly the synthetic result of q: frame name and
// refId, field order, names, types, non-nullability and every row. It walks the
// columns directly instead of building an expected frame, so it stays cheap for
// millions of rows and reports the first differing row.
func Verify(f *data.Frame, refID string, fromMS int64, q Query) error {
	if f.Name != FrameName {
		return fmt.Errorf("frame name %q, want %q", f.Name, FrameName)
	}
	if f.RefID != refID {
		return fmt.Errorf("frame refId %q, want %q", f.RefID, refID)
	}
	want := []struct {
		name string
		typ  data.FieldType
	}{{FieldTime, data.FieldTypeTime}, {FieldValue, data.FieldTypeFloat64}, {FieldSeries, data.FieldTypeString}}
	if len(f.Fields) != len(want) {
		return fmt.Errorf("frame has %d fields, want %d (time, value, series)", len(f.Fields), len(want))
	}
	for i, w := range want {
		got := f.Fields[i]
		if got.Name != w.name || got.Type() != w.typ {
			return fmt.Errorf("field %d is %q %s, want %q %s (non-nullable)", i, got.Name, got.Type(), w.name, w.typ)
		}
	}
	if n := int64(f.Fields[0].Len()); n != q.Rows {
		return fmt.Errorf("frame has %d rows, want %d", n, q.Rows)
	}
	times, values, series := f.Fields[0], f.Fields[1], f.Fields[2]
	walk := NewWalk(q.Seed)
	for i := range q.Rows {
		idx := int(i)
		if got, want := times.At(idx).(time.Time), RowTime(fromMS, i); !got.Equal(want) {
			return fmt.Errorf("row %d: time %s, want %s", i, got.UTC().Format(time.RFC3339Nano), want.UTC().Format(time.RFC3339Nano))
		}
		if got, want := values.At(idx).(float64), walk.Next(); got != want {
			return fmt.Errorf("row %d: value %v, want %v", i, got, want)
		}
		if got, want := series.At(idx).(string), SeriesName(i); got != want {
			return fmt.Errorf("row %d: series %q, want %q", i, got, want)
		}
	}
	return nil
}
