package conformance

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"

	"github.com/sluice/conformance/internal/synthetic"
)

// fromMS is the TimeRange start used by every query: row i is at fromMS + i s.
const fromMS int64 = 1_700_000_000_000

// datasourceUID gives every distinct settings blob its own datasource, so the
// plugin's per-datasource instance cache cannot mix settings between tests.
var datasourceUID int

// pluginContext is what Grafana sends for a datasource request.
func pluginContext(jsonData string) *pluginv2.PluginContext {
	datasourceUID++
	return &pluginv2.PluginContext{
		OrgId:         1,
		PluginId:      "sluice-datasource",
		PluginVersion: "0.1.0",
		GrafanaConfig: map[string]string{"GF_APP_URL": "http://localhost:3000/"},
		DataSourceInstanceSettings: &pluginv2.DataSourceInstanceSettings{
			Id:            int64(datasourceUID),
			Uid:           fmt.Sprintf("conformance-%d", datasourceUID),
			Name:          "Sluice conformance",
			JsonData:      []byte(jsonData),
			LastUpdatedMS: time.Now().UnixMilli(),
		},
	}
}

// syntheticSpec is one synthetic query of a request.
type syntheticSpec struct {
	RefID     string
	Rows      int64
	Seed      uint32
	ChunkRows int // 0 = not set
}

func (s syntheticSpec) model() synthetic.Query {
	return synthetic.Query{Rows: s.Rows, Seed: s.Seed, ChunkRows: s.ChunkRows}
}

func (s syntheticSpec) dataQuery() *pluginv2.DataQuery {
	m := map[string]any{"rows": s.Rows, "seed": s.Seed}
	if s.ChunkRows > 0 {
		m["chunkRows"] = s.ChunkRows
	}
	raw, _ := json.Marshal(m)
	return rawQuery(s.RefID, synthetic.QueryType, string(raw))
}

// rawQuery builds a DataQuery with arbitrary queryType and JSON, for the
// invalid-query tests.
func rawQuery(refID, queryType, jsonModel string) *pluginv2.DataQuery {
	return &pluginv2.DataQuery{
		RefId:         refID,
		QueryType:     queryType,
		Json:          []byte(jsonModel),
		MaxDataPoints: 1000,
		IntervalMS:    1000,
		TimeRange:     &pluginv2.TimeRange{FromEpochMS: fromMS, ToEpochMS: fromMS + 3_600_000},
	}
}

func queryDataRequest(format pluginv2.DataFrameFormat, queries ...*pluginv2.DataQuery) *pluginv2.QueryDataRequest {
	return &pluginv2.QueryDataRequest{PluginContext: pluginContext("{}"), Headers: map[string]string{}, Queries: queries, Format: format}
}

func chunkedRequest(format pluginv2.DataFrameFormat, queries ...*pluginv2.DataQuery) *pluginv2.QueryChunkedDataRequest {
	return &pluginv2.QueryChunkedDataRequest{PluginContext: pluginContext("{}"), Headers: map[string]string{}, Queries: queries, Format: format}
}

func specQueries(specs []syntheticSpec) []*pluginv2.DataQuery {
	qs := make([]*pluginv2.DataQuery, len(specs))
	for i, s := range specs {
		qs[i] = s.dataQuery()
	}
	return qs
}
