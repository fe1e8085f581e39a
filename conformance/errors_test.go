package conformance

import (
	"strings"
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"

	"github.com/sluice/conformance/internal/synthetic"
)

// invalidQuery is a query that must fail on its own refId only.
type invalidQuery struct {
	query   *pluginv2.DataQuery
	message string // substring the error must contain
}

func invalidQueries() []invalidQuery {
	q := synthetic.QueryType
	return []invalidQuery{
		{rawQuery("badjson", q, `{"rows": 10`), synthetic.ErrInvalidJSON},
		{rawQuery("unknown", "nope", `{"rows": 10}`), synthetic.UnknownQueryTypeMessage("nope")},
		{rawQuery("negative", q, `{"rows": -1}`), synthetic.ErrRowsRange},
		{rawQuery("huge", q, `{"rows": 1e9}`), synthetic.ErrRowsRange},
		{rawQuery("fraction", q, `{"rows": 2.5}`), synthetic.ErrRowsRange},
		{rawQuery("text", q, `{"rows": "ten"}`), synthetic.ErrRowsRange},
	}
}

// mixedRequest puts one valid query between the invalid ones.
func mixedRequest() (syntheticSpec, []*pluginv2.DataQuery) {
	good := syntheticSpec{RefID: "good", Rows: 1500, Seed: 21}
	queries := []*pluginv2.DataQuery{good.dataQuery()}
	for _, iq := range invalidQueries() {
		queries = append(queries, iq.query)
	}
	return good, queries
}

// TestInvalidQueriesQueryData: each invalid refId gets status 400, its error
// text and errorSource "plugin"; the valid refId is complete.
func TestInvalidQueriesQueryData(t *testing.T) {
	p := startPlugin(t)
	for _, format := range formats {
		t.Run(format.String(), func(t *testing.T) {
			good, queries := mixedRequest()
			resp := queryData(t, p, queryDataRequest(format, queries...))
			checkSyntheticResponse(t, response(t, resp, good.RefID), good.RefID, good.model())
			for _, iq := range invalidQueries() {
				checkQueryError(t, response(t, resp, iq.query.RefId), iq)
			}
		})
	}
}

// TestInvalidQueriesChunked: the same through QueryChunkedData. Each invalid
// refId is exactly one chunk in the requested format; in ARROW it carries an
// empty no-field frame (so Arrow-decoding receivers cope), in JSON no frame.
func TestInvalidQueriesChunked(t *testing.T) {
	p := startPlugin(t)
	for _, format := range formats {
		t.Run(format.String(), func(t *testing.T) {
			good, queries := mixedRequest()
			resp, records := queryChunked(t, p, chunkedRequest(format, queries...))
			checkSyntheticResponse(t, response(t, resp, good.RefID), good.RefID, good.model())
			checkDataChunks(t, chunksOf(records, good.RefID), good, defaultChunkRows)
			for _, iq := range invalidQueries() {
				refID := iq.query.RefId
				dr := response(t, resp, refID)
				checkQueryError(t, dr, iq)
				if n := len(chunksOf(records, refID)); n != 1 {
					t.Errorf("refId %s: %d chunks, want exactly 1 error chunk", refID, n)
				}
				switch format {
				case pluginv2.DataFrameFormat_ARROW:
					if len(dr.Frames) != 1 || len(dr.Frames[0].Fields) != 0 {
						t.Errorf("refId %s: ARROW error chunk should carry one empty no-field frame, got %d frames", refID, len(dr.Frames))
					}
				case pluginv2.DataFrameFormat_JSON:
					if len(dr.Frames) != 0 {
						t.Errorf("refId %s: JSON error chunk should carry no frame, got %d", refID, len(dr.Frames))
					}
				}
			}
		})
	}
}

func checkQueryError(t *testing.T, dr backend.DataResponse, iq invalidQuery) {
	t.Helper()
	refID := iq.query.RefId
	if dr.Status != backend.StatusBadRequest {
		t.Errorf("refId %s: status %d, want 400", refID, dr.Status)
	}
	if dr.Error == nil || !strings.Contains(dr.Error.Error(), iq.message) {
		t.Errorf("refId %s: error %v, want it to contain %q", refID, dr.Error, iq.message)
	}
	if dr.ErrorSource != backend.ErrorSourcePlugin {
		t.Errorf("refId %s: errorSource %q, want %q", refID, dr.ErrorSource, backend.ErrorSourcePlugin)
	}
}
