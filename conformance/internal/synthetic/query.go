package synthetic

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
)

// QueryType is the DataQuery.queryType Sluice answers with generated data.
const QueryType = "synthetic"

// MaxRows is the largest row count a synthetic query may ask for.
const MaxRows = 100_000_000

// Error texts shared by Sluice and the reference plugin. Tests look for these
// substrings, so they are part of the contract.
const (
	ErrInvalidJSON  = "invalid query JSON"
	ErrRowsRange    = "rows must be an integer between 0 and 100000000"
	errUnknownQuery = "unknown queryType %q"
)

// UnknownQueryTypeMessage is the error text for a queryType Sluice does not serve.
func UnknownQueryTypeMessage(queryType string) string {
	return fmt.Sprintf(errUnknownQuery, queryType)
}

// Query is the parsed DataQuery.json of a synthetic query.
type Query struct {
	Rows      int64
	Seed      uint32
	ChunkRows int // 0 = use the datasource default
}

// rawQuery keeps the members raw so that 2.5, 1e9 or "10" can be told apart
// from a valid integer instead of being silently truncated or coerced.
type rawQuery struct {
	Rows      json.RawMessage `json:"rows"`
	Seed      json.RawMessage `json:"seed"`
	ChunkRows json.RawMessage `json:"chunkRows"`
}

// ParseQuery validates DataQuery.json. Its errors carry the contract's messages.
func ParseQuery(raw []byte) (Query, error) {
	var rq rawQuery
	if err := json.Unmarshal(raw, &rq); err != nil {
		return Query{}, fmt.Errorf("%s: %w", ErrInvalidJSON, err)
	}
	q := Query{Seed: 1}
	rows, ok := integer(rq.Rows)
	if !ok || rows < 0 || rows > MaxRows {
		return Query{}, errors.New(ErrRowsRange)
	}
	q.Rows = rows
	if rq.Seed != nil && string(rq.Seed) != "null" {
		seed, ok := integer(rq.Seed)
		if !ok {
			return Query{}, fmt.Errorf("%s: seed must be an integer", ErrInvalidJSON)
		}
		q.Seed = uint32(seed) //nolint:gosec // wraparound is the documented seed semantics
	}
	if rq.ChunkRows != nil && string(rq.ChunkRows) != "null" {
		c, ok := integer(rq.ChunkRows)
		if !ok || c < 1 || c > MaxRows {
			return Query{}, fmt.Errorf("%s: chunkRows must be a positive integer", ErrInvalidJSON)
		}
		q.ChunkRows = int(c)
	}
	return q, nil
}

// integer accepts a JSON number whose value is a whole number within int64
// range, so 1000 and 1e3 are fine and 2.5 is not. Like Sluice, it also takes
// a string holding such a number ("10"), because Grafana's forms often store
// numbers as text; "ten", null and booleans are rejected.
func integer(raw json.RawMessage) (int64, bool) {
	s := string(bytes.TrimSpace(raw))
	if len(s) >= 2 && s[0] == '"' {
		var text string
		if json.Unmarshal(raw, &text) != nil {
			return 0, false
		}
		s = strings.TrimSpace(text)
	}
	if s == "" || (s[0] != '-' && (s[0] < '0' || s[0] > '9')) {
		return 0, false
	}
	n := json.Number(s)
	if i, err := n.Int64(); err == nil {
		return i, true
	}
	f, err := n.Float64()
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<62 {
		return 0, false
	}
	return int64(f), true
}
