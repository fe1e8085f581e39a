package conformance

import (
	"testing"

	"github.com/grafana/grafana-plugin-sdk-go/backend"

	"github.com/sluice/conformance/internal/synthetic"
)

// TestQueryDataSynthetic: unary QueryData in each format decodes with the
// SDK, has status 200, and each refId holds exactly the generator's frame
// (names, types, non-nullability, every value). Seed 7 is explicit; refId B
// omits the seed to check its default of 1.
func TestQueryDataSynthetic(t *testing.T) {
	p := startPlugin(t)
	for _, format := range formats {
		t.Run(format.String(), func(t *testing.T) {
			explicit := syntheticSpec{RefID: "A", Rows: 2500, Seed: 7}
			defaulted := rawQuery("B", synthetic.QueryType, `{"rows": 1234}`)
			resp := queryData(t, p, queryDataRequest(format, explicit.dataQuery(), defaulted))
			if len(resp.Responses) != 2 {
				t.Errorf("%d responses, want 2", len(resp.Responses))
			}
			checkSyntheticResponse(t, response(t, resp, "A"), "A", explicit.model())
			checkSyntheticResponse(t, response(t, resp, "B"), "B", synthetic.Query{Rows: 1234, Seed: 1})
		})
	}
}

// checkSyntheticResponse asserts a successful single-frame synthetic answer.
func checkSyntheticResponse(t *testing.T, dr backend.DataResponse, refID string, q synthetic.Query) {
	t.Helper()
	if dr.Error != nil || dr.Status != backend.StatusOK {
		t.Errorf("refId %s: status %d, error %v; want 200 and no error", refID, dr.Status, dr.Error)
		return
	}
	if len(dr.Frames) != 1 {
		t.Errorf("refId %s: %d frames, want 1", refID, len(dr.Frames))
		return
	}
	if err := synthetic.Verify(dr.Frames[0], refID, fromMS, q); err != nil {
		t.Errorf("refId %s: %v", refID, err)
	}
}
