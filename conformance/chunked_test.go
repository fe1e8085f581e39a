package conformance

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/sluice/conformance/internal/synthetic"
)

// defaultChunkRows is Sluice's default rows-per-chunk (jsonData.chunkRows).
const defaultChunkRows = 1000

// TestChunkedEqualsQueryData: for row counts around the chunk boundary,
// QueryChunkedData accumulated by the SDK's AccumulateArrow/AccumulateJSON
// equals QueryData for the same request, and both equal the generator.
// Every chunk is status 200 with a frameId and at most 1000 rows.
func TestChunkedEqualsQueryData(t *testing.T) {
	p := startPlugin(t)
	specs := []syntheticSpec{
		{RefID: "zero", Rows: 0, Seed: 1},
		{RefID: "one", Rows: 1, Seed: 2},
		{RefID: "under", Rows: 999, Seed: 3},
		{RefID: "exact", Rows: 1000, Seed: 4},
		{RefID: "over", Rows: 1001, Seed: 5},
		{RefID: "many", Rows: 12345, Seed: 6},
	}
	for _, format := range formats {
		t.Run(format.String(), func(t *testing.T) {
			unary := queryData(t, p, queryDataRequest(format, specQueries(specs)...))
			chunked, records := queryChunked(t, p, chunkedRequest(format, specQueries(specs)...))
			for _, s := range specs {
				checkSyntheticResponse(t, response(t, unary, s.RefID), s.RefID, s.model())
				checkSyntheticResponse(t, response(t, chunked, s.RefID), s.RefID, s.model())
				u, c := response(t, unary, s.RefID), response(t, chunked, s.RefID)
				if diff := cmp.Diff(u.Frames, c.Frames, data.FrameTestCompareOptions()...); diff != "" {
					t.Errorf("refId %s: chunked frames differ from QueryData (-unary +chunked):\n%s", s.RefID, diff)
				}
				checkDataChunks(t, chunksOf(records, s.RefID), s, defaultChunkRows)
			}
		})
	}
}

// TestChunkedMillionRows: a 1,000,000-row query arrives as ≥ 1000 chunks of
// ≤ 1000 rows, and the accumulated frame is identical to the generator and to
// QueryData's frame.
func TestChunkedMillionRows(t *testing.T) {
	if testing.Short() {
		t.Skip("1M rows in -short mode")
	}
	p := startPlugin(t)
	spec := syntheticSpec{RefID: "M", Rows: 1_000_000, Seed: 11}
	for _, format := range formats {
		t.Run(format.String(), func(t *testing.T) {
			chunked, records := queryChunked(t, p, chunkedRequest(format, spec.dataQuery()))
			if len(records) < 1000 {
				t.Errorf("%d chunks, want ≥ 1000", len(records))
			}
			checkDataChunks(t, records, spec, defaultChunkRows)
			checkSyntheticResponse(t, response(t, chunked, "M"), "M", spec.model())

			unary := queryData(t, p, queryDataRequest(format, spec.dataQuery()))
			checkSyntheticResponse(t, response(t, unary, "M"), "M", spec.model())
		})
	}
}

// TestChunkedPerQueryChunkRows: the query's own chunkRows (250) overrides the
// default for that refId only; every chunk but the last has exactly 250 rows.
func TestChunkedPerQueryChunkRows(t *testing.T) {
	p := startPlugin(t)
	small := syntheticSpec{RefID: "small", Rows: 2001, Seed: 8, ChunkRows: 250}
	normal := syntheticSpec{RefID: "normal", Rows: 2500, Seed: 9}
	for _, format := range formats {
		t.Run(format.String(), func(t *testing.T) {
			resp, records := queryChunked(t, p, chunkedRequest(format, small.dataQuery(), normal.dataQuery()))
			checkSyntheticResponse(t, response(t, resp, "small"), "small", small.model())
			checkSyntheticResponse(t, response(t, resp, "normal"), "normal", normal.model())
			checkExactChunking(t, chunksOf(records, "small"), small, 250)
			checkExactChunking(t, chunksOf(records, "normal"), normal, defaultChunkRows)
		})
	}
}

// checkDataChunks: every chunk of a successful refId is status 200, names the
// synthetic frameId, holds ≤ maxRows rows, and together they hold all rows.
func checkDataChunks(t *testing.T, chunks []chunkRecord, s syntheticSpec, maxRows int) {
	t.Helper()
	if len(chunks) == 0 {
		t.Errorf("refId %s: no chunks (even 0 rows needs one schema chunk)", s.RefID)
		return
	}
	total := 0
	for i, c := range chunks {
		total += c.Rows
		if c.Status != 200 || c.Error != "" {
			t.Errorf("refId %s chunk %d: status %d error %q, want 200", s.RefID, i, c.Status, c.Error)
		}
		if c.FrameID != synthetic.FrameID {
			t.Errorf("refId %s chunk %d: frameId %q, want %q", s.RefID, i, c.FrameID, synthetic.FrameID)
		}
		if c.Rows > maxRows {
			t.Errorf("refId %s chunk %d: %d rows, want ≤ %d", s.RefID, i, c.Rows, maxRows)
		}
	}
	if int64(total) != s.Rows {
		t.Errorf("refId %s: chunks hold %d rows, want %d", s.RefID, total, s.Rows)
	}
}

// checkExactChunking: like checkDataChunks, and all but the last non-empty
// chunk are full (exactly size rows), so there are ceil(rows/size) of them.
// Empty chunks (a schema-only first chunk) are legitimate and not counted.
func checkExactChunking(t *testing.T, chunks []chunkRecord, s syntheticSpec, size int) {
	t.Helper()
	checkDataChunks(t, chunks, s, size)
	var filled []chunkRecord
	for _, c := range chunks {
		if c.Rows > 0 {
			filled = append(filled, c)
		}
	}
	for i, c := range filled[:max(len(filled)-1, 0)] {
		if c.Rows != size {
			t.Errorf("refId %s data chunk %d: %d rows, want exactly %d (only the last may be short)", s.RefID, i, c.Rows, size)
		}
	}
	if want := (int(s.Rows) + size - 1) / size; len(filled) != want {
		t.Errorf("refId %s: %d non-empty chunks, want %d", s.RefID, len(filled), want)
	}
}
