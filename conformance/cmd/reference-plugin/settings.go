package main

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// settings mirrors Sluice's DataSourceInstanceSettings.jsonData. Only
// chunkRows changes the reference plugin's behaviour; the other two are
// validated so that CheckHealth behaves like Sluice's.
type settings struct {
	ChunkRows       int
	FlushIntervalMS int
	MaxChunkBytes   int
}

var defaultSettings = settings{ChunkRows: 1000, FlushIntervalMS: 250, MaxChunkBytes: 1 << 20}

// parseSettings rejects a setting that is present but not a positive integer;
// the error names the setting, as the contract requires.
func parseSettings(jsonData []byte) (settings, error) {
	s := defaultSettings
	if len(bytes.TrimSpace(jsonData)) == 0 {
		return s, nil
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(jsonData, &raw); err != nil {
		return s, fmt.Errorf("datasource jsonData is not a JSON object: %w", err)
	}
	for name, dst := range map[string]*int{
		"chunkRows":       &s.ChunkRows,
		"flushIntervalMs": &s.FlushIntervalMS,
		"maxChunkBytes":   &s.MaxChunkBytes,
	} {
		v, ok := raw[name]
		if !ok {
			continue
		}
		var n int
		if err := json.Unmarshal(v, &n); err != nil || n < 1 {
			return s, fmt.Errorf("invalid setting %s: must be a positive integer, got %s", name, v)
		}
		*dst = n
	}
	return s, nil
}
