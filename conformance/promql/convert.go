package promqlconf

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql"
	"github.com/prometheus/prometheus/promql/parser"
	"github.com/prometheus/prometheus/util/annotations"
)

// APIError is an error answer of the query API. Its Error() is the engine's message, so that the
// runner's `expect fail msg:` compares Sluice's text the way it compares Prometheus' engine errors.
type APIError struct {
	Status  int
	Type    string // Prometheus' errorType: bad_data, execution, canceled, timeout, internal
	Message string // the `error` field as sent
}

// queryParamPrefix is what Prometheus' API (and Sluice's) puts in front of errors from building a
// query (parse and type errors); Prometheus' engine, which the runner normally calls, returns them
// without it.
const queryParamPrefix = `invalid parameter "query": `

func (e *APIError) Error() string {
	if e.Type == "bad_data" {
		return strings.TrimPrefix(e.Message, queryParamPrefix)
	}
	return e.Message
}

// annotation is one warning or info from the API: its text exactly as sent (position included), and
// the kind the runner tells apart with errors.Is.
type annotation struct {
	text string
	kind error // annotations.PromQLWarning or annotations.PromQLInfo
}

func (a annotation) Error() string { return a.text }
func (a annotation) Unwrap() error { return a.kind }

type apiResponse struct {
	Status    string          `json:"status"`
	Data      json.RawMessage `json:"data"`
	ErrorType string          `json:"errorType"`
	Error     string          `json:"error"`
	Warnings  []string        `json:"warnings"`
	Infos     []string        `json:"infos"`
}

type queryData struct {
	ResultType string          `json:"resultType"`
	Result     json.RawMessage `json:"result"`
}

type vectorSample struct {
	Metric    map[string]string `json:"metric"`
	Value     []json.RawMessage `json:"value"`
	Histogram json.RawMessage   `json:"histogram"`
}

type matrixSeries struct {
	Metric     map[string]string   `json:"metric"`
	Values     [][]json.RawMessage `json:"values"`
	Histograms json.RawMessage     `json:"histograms"`
}

// DecodeResponse turns a query API answer (HTTP status and body) into what promql.Query.Exec
// returns: the value, the annotations, or the error. wantMatrix is set for range queries: the runner
// type-asserts their result to promql.Matrix and would panic on anything else.
func DecodeResponse(status int, body []byte, wantMatrix bool) (parser.Value, annotations.Annotations, error) {
	var resp apiResponse
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&resp); err != nil || resp.Status == "" {
		return nil, nil, fmt.Errorf("HTTP %d with a body that is not a Prometheus API answer: %.300q", status, body)
	}
	if resp.Status != "success" {
		return nil, nil, &APIError{Status: status, Type: resp.ErrorType, Message: resp.Error}
	}
	if status != 200 {
		return nil, nil, fmt.Errorf("HTTP %d with status %q", status, resp.Status)
	}
	var annos annotations.Annotations
	for _, w := range resp.Warnings {
		annos.Add(annotation{text: w, kind: annotations.PromQLWarning})
	}
	for _, i := range resp.Infos {
		annos.Add(annotation{text: i, kind: annotations.PromQLInfo})
	}
	var data queryData
	if err := unmarshal(resp.Data, &data); err != nil {
		return nil, nil, fmt.Errorf("data: %w", err)
	}
	if wantMatrix && data.ResultType != "matrix" {
		return nil, nil, fmt.Errorf("a range query answered resultType %q, not matrix", data.ResultType)
	}
	value, err := decodeResult(data.ResultType, data.Result)
	if err != nil {
		return nil, nil, fmt.Errorf("%s result: %w", data.ResultType, err)
	}
	return value, annos, nil
}

func unmarshal(raw json.RawMessage, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

func decodeResult(resultType string, raw json.RawMessage) (parser.Value, error) {
	switch resultType {
	case "scalar":
		t, v, err := point(raw)
		if err != nil {
			return nil, err
		}
		return promql.Scalar{T: t, V: v}, nil
	case "string":
		var pair []json.RawMessage
		if err := unmarshal(raw, &pair); err != nil || len(pair) != 2 {
			return nil, fmt.Errorf("want [time, \"text\"], got %s", raw)
		}
		t, err := parseTimestamp(pair[0])
		if err != nil {
			return nil, err
		}
		var s string
		if err := json.Unmarshal(pair[1], &s); err != nil {
			return nil, fmt.Errorf("string value: %w", err)
		}
		return promql.String{T: t, V: s}, nil
	case "vector":
		var samples []vectorSample
		if err := unmarshal(raw, &samples); err != nil {
			return nil, err
		}
		vec := make(promql.Vector, 0, len(samples))
		for _, s := range samples {
			if len(s.Histogram) > 0 {
				return nil, errors.New("native histogram samples are not supported by this harness")
			}
			pair, err := json.Marshal(s.Value)
			if err != nil {
				return nil, err
			}
			t, v, err := point(pair)
			if err != nil {
				return nil, err
			}
			vec = append(vec, promql.Sample{Metric: labels.FromMap(s.Metric), T: t, F: v})
		}
		return vec, nil
	case "matrix":
		var series []matrixSeries
		if err := unmarshal(raw, &series); err != nil {
			return nil, err
		}
		mat := make(promql.Matrix, 0, len(series))
		for _, s := range series {
			if len(s.Histograms) > 0 {
				return nil, errors.New("native histogram points are not supported by this harness")
			}
			out := promql.Series{Metric: labels.FromMap(s.Metric)}
			for _, p := range s.Values {
				pair, err := json.Marshal(p)
				if err != nil {
					return nil, err
				}
				t, v, err := point(pair)
				if err != nil {
					return nil, err
				}
				out.Floats = append(out.Floats, promql.FPoint{T: t, F: v})
			}
			mat = append(mat, out)
		}
		return mat, nil
	default:
		return nil, fmt.Errorf("unknown resultType %q", resultType)
	}
}

// point decodes `[<seconds>, "<value>"]`.
func point(raw json.RawMessage) (int64, float64, error) {
	var pair []json.RawMessage
	if err := unmarshal(raw, &pair); err != nil || len(pair) != 2 {
		return 0, 0, fmt.Errorf("want [time, \"value\"], got %s", raw)
	}
	t, err := parseTimestamp(pair[0])
	if err != nil {
		return 0, 0, err
	}
	var s string
	if err := json.Unmarshal(pair[1], &s); err != nil {
		return 0, 0, fmt.Errorf("sample value %s is not a string", pair[1])
	}
	v, err := ParseSampleValue(s)
	return t, v, err
}

// ParseSampleValue reads Prometheus' sample value strings: decimal or exponent notation, "NaN",
// "+Inf", "-Inf".
func ParseSampleValue(s string) (float64, error) {
	switch s {
	case "NaN":
		return math.NaN(), nil
	case "+Inf":
		return math.Inf(1), nil
	case "-Inf":
		return math.Inf(-1), nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, fmt.Errorf("bad sample value %q", s)
	}
	return v, nil
}

// parseTimestamp reads a JSON number of seconds with up to three decimals into exact milliseconds,
// digit by digit, so that no float rounding can move a timestamp by a millisecond.
func parseTimestamp(raw json.RawMessage) (int64, error) {
	s := string(raw)
	neg := strings.HasPrefix(s, "-")
	digits := strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(digits, ".")
	if whole == "" || len(frac) > 3 || !allDigits(whole) || !allDigits(frac) {
		// Exponent notation (scalar and string results are written as float seconds by Go's
		// encoding/json, e.g. 1e-7 never happens for whole milliseconds, but be lenient).
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return 0, fmt.Errorf("bad timestamp %s", s)
		}
		return int64(math.Round(f * 1000)), nil
	}
	sec, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("bad timestamp %s", s)
	}
	ms := int64(0)
	if frac != "" {
		ms, _ = strconv.ParseInt((frac + "00")[:3], 10, 64)
	}
	t := sec*1000 + ms
	if neg {
		t = -t
	}
	return t, nil
}

func allDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
