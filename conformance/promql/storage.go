package promqlconf

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"

	"github.com/golang/snappy"
	"github.com/prometheus/prometheus/model/histogram"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/prompb"
	"github.com/prometheus/prometheus/storage"
	"github.com/prometheus/prometheus/util/teststorage"
	"google.golang.org/protobuf/encoding/protowire"
)

// ForwardingStorage is the runner's own test storage, plus: every float sample committed through
// AppenderV2 (the only appender the runner uses to load data) is also sent to Sluice by remote write
// 1.0. Keeping the local storage means the runner's load checks (duplicates, order) stay Prometheus'.
// Native histogram samples stay local: Sluice's store is float-only, and the harness only runs evals
// that select no series holding histograms (SelectsHistograms), so they never miss them.
type ForwardingStorage struct {
	*teststorage.TestStorage
	writer *RemoteWriter
}

// NewForwardingStorage wraps a test storage.
func NewForwardingStorage(local *teststorage.TestStorage, writer *RemoteWriter) *ForwardingStorage {
	return &ForwardingStorage{TestStorage: local, writer: writer}
}

// AppenderV2 implements storage.AppendableV2.
func (s *ForwardingStorage) AppenderV2(ctx context.Context) storage.AppenderV2 {
	return &forwardingAppender{ctx: ctx, local: s.TestStorage.AppenderV2(ctx), writer: s.writer, series: map[string]*pendingSeries{}}
}

type pendingSeries struct {
	labels  labels.Labels
	samples []prompb.Sample
}

type forwardingAppender struct {
	ctx    context.Context
	local  storage.AppenderV2
	writer *RemoteWriter
	series map[string]*pendingSeries
}

func (a *forwardingAppender) Append(ref storage.SeriesRef, ls labels.Labels, st, t int64, v float64, h *histogram.Histogram, fh *histogram.FloatHistogram, opts storage.AppendV2Options) (storage.SeriesRef, error) {
	ref, err := a.local.Append(ref, ls, st, t, v, h, fh, opts)
	if err != nil || h != nil || fh != nil {
		return ref, err
	}
	key := ls.String()
	p := a.series[key]
	if p == nil {
		p = &pendingSeries{labels: ls.Copy()}
		a.series[key] = p
	}
	// v keeps its bits (the stale marker 0x7ff0000000000002 included): prompb writes them as fixed64.
	p.samples = append(p.samples, prompb.Sample{Value: v, Timestamp: t})
	return ref, nil
}

// Commit commits locally, then sends the transaction's samples to Sluice.
func (a *forwardingAppender) Commit() error {
	if err := a.local.Commit(); err != nil {
		return err
	}
	pending := make([]*pendingSeries, 0, len(a.series))
	for _, p := range a.series {
		pending = append(pending, p)
	}
	a.series = map[string]*pendingSeries{}
	return a.writer.Write(a.ctx, pending)
}

func (a *forwardingAppender) Rollback() error {
	a.series = map[string]*pendingSeries{}
	return a.local.Rollback()
}

// RemoteWriter sends samples to Sluice's remote-write receiver (protocol 1.0).
type RemoteWriter struct {
	// URL is the receiver, e.g. http://127.0.0.1:41235/api/v1/write.
	URL    string
	Client *http.Client
	// MaxSamples is the most samples per request (0: 50,000), well under the receiver's size limits.
	MaxSamples int
}

// encodeWriteRequest builds one snappy-compressed prometheus.WriteRequest: series in label order,
// samples sorted by time (the receiver rejects a series whose samples go back in time), labels with
// empty values left out (in Prometheus an empty value is the same as no label).
func encodeWriteRequest(series []*pendingSeries) ([]byte, error) {
	slices.SortFunc(series, func(a, b *pendingSeries) int { return labels.Compare(a.labels, b.labels) })
	req := prompb.WriteRequest{Timeseries: make([]prompb.TimeSeries, 0, len(series))}
	for _, s := range series {
		ts := prompb.TimeSeries{}
		s.labels.Range(func(l labels.Label) {
			if l.Value != "" {
				ts.Labels = append(ts.Labels, prompb.Label{Name: l.Name, Value: l.Value})
			}
		})
		ts.Samples = slices.Clone(s.samples)
		slices.SortStableFunc(ts.Samples, func(a, b prompb.Sample) int { return compareInt64(a.Timestamp, b.Timestamp) })
		req.Timeseries = append(req.Timeseries, ts)
	}
	return snappy.Encode(nil, marshalWriteRequest(&req)), nil
}

// marshalWriteRequest encodes the request by hand because prompb's generated Marshal leaves out a
// sample value that equals 0, and so turns -0 into +0 (count_values tells them apart).
func marshalWriteRequest(req *prompb.WriteRequest) []byte {
	var out []byte
	for _, ts := range req.Timeseries {
		var tsb []byte
		for _, l := range ts.Labels {
			var lb []byte
			lb = protowire.AppendTag(lb, 1, protowire.BytesType)
			lb = protowire.AppendString(lb, l.Name)
			lb = protowire.AppendTag(lb, 2, protowire.BytesType)
			lb = protowire.AppendString(lb, l.Value)
			tsb = protowire.AppendTag(tsb, 1, protowire.BytesType)
			tsb = protowire.AppendBytes(tsb, lb)
		}
		for _, smp := range ts.Samples {
			var sb []byte
			sb = protowire.AppendTag(sb, 1, protowire.Fixed64Type)
			sb = protowire.AppendFixed64(sb, math.Float64bits(smp.Value))
			sb = protowire.AppendTag(sb, 2, protowire.VarintType)
			sb = protowire.AppendVarint(sb, uint64(smp.Timestamp))
			tsb = protowire.AppendTag(tsb, 2, protowire.BytesType)
			tsb = protowire.AppendBytes(tsb, sb)
		}
		out = protowire.AppendTag(out, 1, protowire.BytesType)
		out = protowire.AppendBytes(out, tsb)
	}
	return out
}

func compareInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Write sends the series in requests of at most MaxSamples samples (a series is never split).
func (w *RemoteWriter) Write(ctx context.Context, series []*pendingSeries) error {
	limit := w.MaxSamples
	if limit <= 0 {
		limit = 50_000
	}
	var batch []*pendingSeries
	n := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := w.post(ctx, batch)
		batch, n = nil, 0
		return err
	}
	for _, s := range series {
		if n > 0 && n+len(s.samples) > limit {
			if err := flush(); err != nil {
				return err
			}
		}
		batch = append(batch, s)
		n += len(s.samples)
	}
	return flush()
}

func (w *RemoteWriter) post(ctx context.Context, series []*pendingSeries) error {
	body, err := encodeWriteRequest(series)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-protobuf")
	req.Header.Set("Content-Encoding", "snappy")
	req.Header.Set("X-Prometheus-Remote-Write-Version", "0.1.0")
	res, err := w.Client.Do(req)
	if err != nil {
		return fmt.Errorf("remote write to Sluice: %w", err)
	}
	defer res.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(res.Body, 4096))
	if res.StatusCode/100 != 2 {
		return fmt.Errorf("remote write to Sluice: HTTP %d: %s", res.StatusCode, bytes.TrimSpace(msg))
	}
	return nil
}
