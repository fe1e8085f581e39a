package conformance

import (
	"testing"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"

	"github.com/sluice/conformance/internal/chunkstream"
	"github.com/sluice/conformance/internal/pluginhost"
)

// rpcTimeout bounds every data call; the largest test result (1M rows) takes
// a few seconds.
const rpcTimeout = 2 * time.Minute

// queryData calls QueryData, checks that every DataResponse carries the
// requested format, and decodes it with the SDK like Grafana does.
func queryData(t *testing.T, p *pluginhost.Plugin, req *pluginv2.QueryDataRequest) *backend.QueryDataResponse {
	t.Helper()
	raw, err := p.Data.QueryData(callContext(t, rpcTimeout), req)
	if err != nil {
		t.Fatalf("QueryData: %v", err)
	}
	for refID, dr := range raw.Responses {
		if dr.Format != req.Format {
			t.Errorf("QueryData refId %s: format %v, want %v", refID, dr.Format, req.Format)
		}
	}
	resp, err := backend.FromProto().QueryDataResponse(raw)
	if err != nil {
		t.Fatalf("QueryData: SDK cannot decode the response: %v", err)
	}
	return resp
}

// chunkRecord is what the suite remembers about each received chunk.
type chunkRecord struct {
	RefID, FrameID string
	Rows           int
	Status         int32
	Format         pluginv2.DataFrameFormat
	FrameBytes     int
	Error          string
	ErrorSource    string
}

// queryChunked calls QueryChunkedData, records every chunk (rows counted by
// decoding it) and rebuilds the response with the SDK accumulator for the
// requested format.
func queryChunked(t *testing.T, p *pluginhost.Plugin, req *pluginv2.QueryChunkedDataRequest) (*backend.QueryDataResponse, []chunkRecord) {
	t.Helper()
	stream, err := p.Data.QueryChunkedData(callContext(t, rpcTimeout), req)
	if err != nil {
		t.Fatalf("QueryChunkedData: %v", err)
	}
	var records []chunkRecord
	observe := func(c *pluginv2.QueryChunkedDataResponse) error {
		rows, err := chunkstream.RowCount(c)
		if err != nil {
			t.Errorf("chunk %d (refId %s): cannot count rows: %v", len(records), c.RefId, err)
		}
		records = append(records, chunkRecord{
			RefID: c.RefId, FrameID: c.FrameId, Rows: rows, Status: c.Status, Format: c.Format,
			FrameBytes: len(c.Frame), Error: c.Error, ErrorSource: c.ErrorSource,
		})
		return nil
	}
	resp, err := chunkstream.Accumulate(req.Format, chunkstream.Seq(stream, observe))
	if err != nil {
		t.Fatalf("QueryChunkedData: SDK accumulator (%v) failed after %d chunks: %v", req.Format, len(records), err)
	}
	for i, r := range records {
		if r.Format != req.Format {
			t.Errorf("chunk %d (refId %s): format %v, want %v", i, r.RefID, r.Format, req.Format)
		}
	}
	return resp, records
}

// chunksOf returns the records of one refId in arrival order.
func chunksOf(records []chunkRecord, refID string) []chunkRecord {
	var out []chunkRecord
	for _, r := range records {
		if r.RefID == refID {
			out = append(out, r)
		}
	}
	return out
}

// response fetches one refId's DataResponse or fails.
func response(t *testing.T, resp *backend.QueryDataResponse, refID string) backend.DataResponse {
	t.Helper()
	dr, ok := resp.Responses[refID]
	if !ok {
		t.Fatalf("no response for refId %q (got %d responses)", refID, len(resp.Responses))
	}
	return dr
}
