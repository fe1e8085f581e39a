package synthetic

import (
	"strings"
	"testing"
)

// The parser is the oracle for the conformance error tests, so its own
// classification of edge cases is pinned here.
func TestParseQuery(t *testing.T) {
	for _, tc := range []struct {
		json    string
		want    Query
		errText string
	}{
		{`{"rows": 10}`, Query{Rows: 10, Seed: 1}, ""},
		{`{"rows": 1e3, "seed": 7, "chunkRows": 250}`, Query{Rows: 1000, Seed: 7, ChunkRows: 250}, ""},
		{`{"rows": 0}`, Query{Rows: 0, Seed: 1}, ""},
		{`{"rows": 100000000}`, Query{Rows: MaxRows, Seed: 1}, ""},
		{`{"rows": 10`, Query{}, ErrInvalidJSON},
		{`{"rows": -1}`, Query{}, ErrRowsRange},
		{`{"rows": 1e9}`, Query{}, ErrRowsRange},
		{`{"rows": 2.5}`, Query{}, ErrRowsRange},
		{`{"rows": "10"}`, Query{Rows: 10, Seed: 1}, ""},
		{`{"rows": "ten"}`, Query{}, ErrRowsRange},
		{`{"rows": null}`, Query{}, ErrRowsRange},
		{`{}`, Query{}, ErrRowsRange},
	} {
		got, err := ParseQuery([]byte(tc.json))
		switch {
		case tc.errText == "" && err != nil:
			t.Errorf("%s: unexpected error %v", tc.json, err)
		case tc.errText != "" && (err == nil || !strings.Contains(err.Error(), tc.errText)):
			t.Errorf("%s: error %v, want one containing %q", tc.json, err, tc.errText)
		case tc.errText == "" && got != tc.want:
			t.Errorf("%s: %+v, want %+v", tc.json, got, tc.want)
		}
	}
}

// Values of rows 0, 1, 2 and 999 for seeds 1 and 7, computed with the
// canonical JavaScript mulberry32 (Math.imul, >>> 0) and printed with
// Number.prototype.toString, which round-trips float64 exactly.
func TestWalkMatchesJavaScript(t *testing.T) {
	want := map[uint32][4]float64{
		1: {50.12707394058816, 49.62980966176838, 49.65725670172833, 41.78010125993751},
		7: {49.511704753153026, 49.073663010727614, 49.550570643506944, 69.61412818264216},
	}
	for seed, w := range want {
		walk := NewWalk(seed)
		var got [4]float64
		for i := range 1000 {
			v := walk.Next()
			switch i {
			case 0, 1, 2:
				got[i] = v
			case 999:
				got[3] = v
			}
		}
		if got != w {
			t.Errorf("seed %d: rows 0,1,2,999 = %v, want %v", seed, got, w)
		}
	}
}
