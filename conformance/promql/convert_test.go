package promqlconf

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/prompb"
	"github.com/prometheus/prometheus/promql"
	"github.com/prometheus/prometheus/util/annotations"
)

func TestDecodeVectorWithAnnotations(t *testing.T) {
	body := `{"status":"success","data":{"resultType":"vector","result":[
		{"metric":{"job":"b","__name__":"up"},"value":[1.5,"NaN"]},
		{"metric":{},"value":[-0.001,"+Inf"]},
		{"metric":{"a":"x"},"value":[1435781451.781,"1e-07"]}]},
		"warnings":["PromQL warning: quantile value should be between 0 and 1 (1:10)"],
		"infos":["PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \"foo\" (1:6)"]}`
	v, annos, err := DecodeResponse(200, []byte(body), false)
	if err != nil {
		t.Fatal(err)
	}
	vec, ok := v.(promql.Vector)
	if !ok || len(vec) != 3 {
		t.Fatalf("want a 3-sample vector, got %#v", v)
	}
	if !labels.Equal(vec[0].Metric, labels.FromStrings("__name__", "up", "job", "b")) || vec[0].T != 1500 || !math.IsNaN(vec[0].F) {
		t.Errorf("sample 0: %v", vec[0])
	}
	if vec[1].Metric.Len() != 0 || vec[1].T != -1 || !math.IsInf(vec[1].F, 1) {
		t.Errorf("sample 1: %v", vec[1])
	}
	if vec[2].T != 1435781451781 || vec[2].F != 1e-7 {
		t.Errorf("sample 2: %v", vec[2])
	}
	warnings, infos := annos.CountWarningsAndInfo()
	if warnings != 1 || infos != 1 {
		t.Fatalf("want 1 warning and 1 info, got %d and %d", warnings, infos)
	}
	ws, is := annos.AsStrings("ignored", 0, 0)
	if ws[0] != "PromQL warning: quantile value should be between 0 and 1 (1:10)" || !strings.HasPrefix(is[0], "PromQL info: metric might") {
		t.Errorf("annotation texts changed: %q %q", ws, is)
	}
	for _, a := range annos {
		if !errors.Is(a, annotations.PromQLWarning) && !errors.Is(a, annotations.PromQLInfo) {
			t.Errorf("%v is neither warning nor info", a)
		}
	}
}

func TestDecodeMatrixScalarString(t *testing.T) {
	v, _, err := DecodeResponse(200, []byte(`{"status":"success","data":{"resultType":"matrix","result":[
		{"metric":{"__name__":"x"},"values":[[0,"1"],[60,"-Inf"],[120.5,"-0"]]},{"metric":{"y":"1"}}]}}`), true)
	if err != nil {
		t.Fatal(err)
	}
	m := v.(promql.Matrix)
	if len(m) != 2 || len(m[0].Floats) != 3 || m[0].Floats[2].T != 120500 || !math.IsInf(m[0].Floats[1].F, -1) || len(m[1].Floats) != 0 {
		t.Errorf("matrix: %v", m)
	}
	if !math.Signbit(m[0].Floats[2].F) {
		t.Errorf("-0 lost its sign")
	}

	v, _, err = DecodeResponse(200, []byte(`{"status":"success","data":{"resultType":"scalar","result":[1e-3,"0.000001"]}}`), false)
	if err != nil || v.(promql.Scalar) != (promql.Scalar{T: 1, V: 1e-6}) {
		t.Errorf("scalar: %v %v", v, err)
	}
	v, _, err = DecodeResponse(200, []byte(`{"status":"success","data":{"resultType":"string","result":[10,"a\u003cb"]}}`), false)
	if err != nil || v.(promql.String) != (promql.String{T: 10000, V: "a<b"}) {
		t.Errorf("string: %v %v", v, err)
	}
}

func TestDecodeErrors(t *testing.T) {
	_, _, err := DecodeResponse(400, []byte(`{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:5: parse error: unexpected end of input"}`), false)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 400 || apiErr.Type != "bad_data" {
		t.Fatalf("want an APIError, got %v", err)
	}
	// The runner compares engine messages, which Prometheus' engine returns without the API's prefix.
	if err.Error() != "1:5: parse error: unexpected end of input" {
		t.Errorf("message: %q", err.Error())
	}
	_, _, err = DecodeResponse(422, []byte(`{"status":"error","errorType":"execution","error":"vector cannot contain metrics with the same labelset"}`), false)
	if err == nil || err.Error() != "vector cannot contain metrics with the same labelset" {
		t.Errorf("execution error: %v", err)
	}
	_, _, err = DecodeResponse(400, []byte(`{"status":"error","errorType":"bad_data","error":"invalid parameter \"step\": zero or negative"}`), false)
	if err == nil || err.Error() != `invalid parameter "step": zero or negative` {
		t.Errorf("a non-query parameter keeps its prefix: %v", err)
	}
	// A range query must answer a matrix: the runner type-asserts and would panic otherwise.
	if _, _, err = DecodeResponse(200, []byte(`{"status":"success","data":{"resultType":"vector","result":[]}}`), true); err == nil {
		t.Error("a vector answer to a range query must be an error")
	}
	for _, body := range []string{
		`Internal Server Error`,
		`{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"histogram":[0,{}]}]}}`,
		`{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[0,1]}]}}`,
		`{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[0,"one"]}]}}`,
		`{"status":"success","data":{"resultType":"bogus","result":[]}}`,
	} {
		if _, _, err := DecodeResponse(200, []byte(body), false); err == nil {
			t.Errorf("no error for %s", body)
		}
	}
}

func TestFormatTime(t *testing.T) {
	for ms, want := range map[int64]string{
		0:             "1970-01-01T00:00:00.000Z",
		-1000:         "1969-12-31T23:59:59.000Z",
		1500:          "1970-01-01T00:00:01.500Z",
		1435781451781: "2015-07-01T20:10:51.781Z",
	} {
		if got := formatTime(timeFromMs(ms)); got != want {
			t.Errorf("%d: got %s, want %s", ms, got, want)
		}
	}
}

func TestWriteRequestKeepsNegativeZeroAndStaleMarkers(t *testing.T) {
	stale := math.Float64frombits(0x7ff0000000000002)
	req := prompb.WriteRequest{Timeseries: []prompb.TimeSeries{{
		Labels:  []prompb.Label{{Name: "__name__", Value: "x"}},
		Samples: []prompb.Sample{{Value: math.Copysign(0, -1), Timestamp: 0}, {Value: stale, Timestamp: 1000}},
	}}}
	var back prompb.WriteRequest
	if err := back.Unmarshal(marshalWriteRequest(&req)); err != nil {
		t.Fatal(err)
	}
	got := back.Timeseries[0].Samples
	if !math.Signbit(got[0].Value) || got[0].Value != 0 {
		t.Errorf("-0 came back as %v", got[0].Value)
	}
	if math.Float64bits(got[1].Value) != 0x7ff0000000000002 || got[1].Timestamp != 1000 {
		t.Errorf("stale marker came back as %x at %d", math.Float64bits(got[1].Value), got[1].Timestamp)
	}
}
