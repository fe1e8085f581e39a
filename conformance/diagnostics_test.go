package conformance

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/sluice/conformance/internal/pluginhost"
	"github.com/sluice/conformance/internal/synthetic"
)

// TestCheckHealthValidSettings: absent, empty and fully specified valid
// jsonData all report OK.
func TestCheckHealthValidSettings(t *testing.T) {
	p := startPlugin(t)
	for _, jsonData := range []string{
		``,
		`{}`,
		`{"chunkRows": 1000, "flushIntervalMs": 250, "maxChunkBytes": 1048576}`,
		`{"chunkRows": 50}`,
	} {
		resp, err := p.Diagnostics.CheckHealth(callContext(t, 10*time.Second),
			&pluginv2.CheckHealthRequest{PluginContext: pluginContext(jsonData)})
		if err != nil {
			t.Errorf("jsonData %q: CheckHealth: %v", jsonData, err)
			continue
		}
		if resp.Status != pluginv2.CheckHealthResponse_OK {
			t.Errorf("jsonData %q: status %v (%q), want OK", jsonData, resp.Status, resp.Message)
		}
	}
}

// TestCheckHealthInvalidSettings: an invalid value reports ERROR and the
// message names the offending setting.
func TestCheckHealthInvalidSettings(t *testing.T) {
	p := startPlugin(t)
	for _, tc := range []struct{ jsonData, setting string }{
		{`{"chunkRows": -1}`, "chunkRows"},
		{`{"chunkRows": "many"}`, "chunkRows"},
		{`{"flushIntervalMs": -250}`, "flushIntervalMs"},
		{`{"maxChunkBytes": -1}`, "maxChunkBytes"},
	} {
		resp, err := p.Diagnostics.CheckHealth(callContext(t, 10*time.Second),
			&pluginv2.CheckHealthRequest{PluginContext: pluginContext(tc.jsonData)})
		if err != nil {
			t.Errorf("jsonData %s: CheckHealth returned a gRPC error instead of a health result: %v", tc.jsonData, err)
			continue
		}
		if resp.Status != pluginv2.CheckHealthResponse_ERROR {
			t.Errorf("jsonData %s: status %v (%q), want ERROR", tc.jsonData, resp.Status, resp.Message)
		}
		if !strings.Contains(resp.Message, tc.setting) {
			t.Errorf("jsonData %s: message %q does not name %s", tc.jsonData, resp.Message, tc.setting)
		}
	}
}

// TestCollectMetrics: after one call of each kind and one failing query,
// CollectMetrics returns valid Prometheus text with the documented Sluice
// metrics and types. (Labelled series only exist once observed, hence the
// calls first.)
func TestCollectMetrics(t *testing.T) {
	p := startPlugin(t)
	spec := syntheticSpec{RefID: "A", Rows: 2500, Seed: 3}
	failing := rawQuery("E", synthetic.QueryType, `{"rows": -1}`)
	queryData(t, p, queryDataRequest(pluginv2.DataFrameFormat_ARROW, spec.dataQuery(), failing))
	_, chunks := queryChunked(t, p, chunkedRequest(pluginv2.DataFrameFormat_JSON, spec.dataQuery()))
	// Any answer will do: the call only has to pass through the resource handler.
	if stream, err := p.Resource.CallResource(callContext(t, 10*time.Second), &pluginv2.CallResourceRequest{
		PluginContext: pluginContext("{}"), Path: "conformance-probe", Method: "GET", Url: "/conformance-probe",
	}); err == nil {
		for {
			if _, err := stream.Recv(); err != nil {
				break
			}
		}
	}

	families := collectMetrics(t, p)
	want := map[string]dto.MetricType{
		"sluice_queries_in_flight":      dto.MetricType_GAUGE,
		"sluice_chunks_sent_total":      dto.MetricType_COUNTER,
		"sluice_rows_sent_total":        dto.MetricType_COUNTER,
		"sluice_bytes_sent_total":       dto.MetricType_COUNTER,
		"sluice_query_errors_total":     dto.MetricType_COUNTER,
		"sluice_query_duration_seconds": dto.MetricType_HISTOGRAM,
	}
	for name, typ := range want {
		mf, ok := families[name]
		if !ok {
			t.Errorf("metric %s missing", name)
			continue
		}
		if mf.GetType() != typ {
			t.Errorf("metric %s has type %v, want %v", name, mf.GetType(), typ)
		}
	}
	for _, method := range []string{"QueryData", "QueryChunkedData", "CallResource"} {
		v, ok := inFlight(families, method)
		if !ok {
			t.Errorf(`sluice_queries_in_flight{method=%q} missing`, method)
		} else if v != 0 {
			t.Errorf(`sluice_queries_in_flight{method=%q} = %v after all calls finished, want 0`, method, v)
		}
	}
	if rows := counterValue(families, "sluice_rows_sent_total"); rows < 2*2500 {
		t.Errorf("sluice_rows_sent_total = %v, want ≥ %d (one QueryData + one chunked query of 2500 rows)", rows, 2*2500)
	}
	if n := counterValue(families, "sluice_query_errors_total"); n < 1 {
		t.Errorf("sluice_query_errors_total = %v after a failing query, want ≥ 1", n)
	}
	if n := counterValue(families, "sluice_chunks_sent_total"); n < float64(len(chunks)) {
		t.Errorf("sluice_chunks_sent_total = %v, want ≥ %d chunks received", n, len(chunks))
	}
	if target.isSluice {
		if b := counterValue(families, "sluice_bytes_sent_total"); b <= 0 {
			t.Errorf("sluice_bytes_sent_total = %v after sending frames, want > 0", b)
		}
	}
}

// collectMetrics calls CollectMetrics and parses the Prometheus text payload.
func collectMetrics(t *testing.T, p *pluginhost.Plugin) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := p.Diagnostics.CollectMetrics(callContext(t, 10*time.Second),
		&pluginv2.CollectMetricsRequest{PluginContext: pluginContext("{}")})
	if err != nil {
		t.Fatalf("CollectMetrics: %v", err)
	}
	families, err := parseMetrics(resp.GetMetrics().GetPrometheus())
	if err != nil {
		t.Fatalf("CollectMetrics payload is not Prometheus text: %v\n%s", err, resp.GetMetrics().GetPrometheus())
	}
	return families
}

func parseMetrics(text []byte) (map[string]*dto.MetricFamily, error) {
	parser := expfmt.NewTextParser(model.UTF8Validation)
	return parser.TextToMetricFamilies(bytes.NewReader(text))
}

// inFlight reads sluice_queries_in_flight{method=...}.
func inFlight(families map[string]*dto.MetricFamily, method string) (float64, bool) {
	mf, ok := families["sluice_queries_in_flight"]
	if !ok {
		return 0, false
	}
	for _, m := range mf.GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() == "method" && l.GetValue() == method {
				return m.GetGauge().GetValue(), true
			}
		}
	}
	return 0, false
}

// counterValue sums a counter over all its label sets (0 if absent).
func counterValue(families map[string]*dto.MetricFamily, name string) float64 {
	var sum float64
	for _, m := range families[name].GetMetric() {
		sum += m.GetCounter().GetValue()
	}
	return sum
}
