package main

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/backend/instancemgmt"
	"github.com/grafana/grafana-plugin-sdk-go/data"

	"github.com/sluice/conformance/internal/synthetic"
)

// referenceDatasource is one datasource instance (one set of settings).
type referenceDatasource struct {
	settings settings
}

var (
	_ backend.QueryDataHandler        = (*referenceDatasource)(nil)
	_ backend.QueryChunkedDataHandler = (*referenceDatasource)(nil)
	_ backend.CheckHealthHandler      = (*referenceDatasource)(nil)
)

// newDatasource fails on invalid settings; the SDK's instance manager turns
// that into a CheckHealth ERROR carrying the message.
func newDatasource(_ context.Context, s backend.DataSourceInstanceSettings) (instancemgmt.Instance, error) {
	parsed, err := parseSettings(s.JSONData)
	if err != nil {
		return nil, err
	}
	return &referenceDatasource{settings: parsed}, nil
}

func (d *referenceDatasource) CheckHealth(context.Context, *backend.CheckHealthRequest) (*backend.CheckHealthResult, error) {
	return &backend.CheckHealthResult{Status: backend.HealthStatusOk, Message: "reference plugin is working"}, nil
}

// parse validates one query and returns its model or a contract error text.
func parse(q backend.DataQuery) (synthetic.Query, error) {
	if q.QueryType != synthetic.QueryType {
		return synthetic.Query{}, errors.New(synthetic.UnknownQueryTypeMessage(q.QueryType))
	}
	return synthetic.ParseQuery(q.JSON)
}

func errorResponse(err error) backend.DataResponse {
	queryErrors.Inc()
	return backend.DataResponse{Status: http.StatusBadRequest, Error: err, ErrorSource: backend.ErrorSourcePlugin}
}

// QueryData answers every refId with its complete frame in one message.
func (d *referenceDatasource) QueryData(ctx context.Context, req *backend.QueryDataRequest) (*backend.QueryDataResponse, error) {
	defer track("QueryData")()
	resp := backend.NewQueryDataResponse()
	for _, q := range req.Queries {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		sq, err := parse(q)
		if err != nil {
			resp.Responses[q.RefID] = errorResponse(err)
			continue
		}
		frame := synthetic.ExpectedFrame(q.RefID, q.TimeRange.From.UnixMilli(), sq)
		rowsSent.Add(float64(sq.Rows))
		resp.Responses[q.RefID] = backend.DataResponse{Status: backend.StatusOK, Frames: data.Frames{frame}}
	}
	return resp, nil
}

// QueryChunkedData streams each refId as frames of at most chunkRows rows
// through the SDK's ChunkedDataWriter; a 0-row result still sends one
// schema-only chunk so the receiver learns the frame.
func (d *referenceDatasource) QueryChunkedData(ctx context.Context, req *backend.QueryChunkedDataRequest, w backend.ChunkedDataWriter) error {
	defer track("QueryChunkedData")()
	for _, q := range req.Queries {
		sq, err := parse(q)
		if err != nil {
			queryErrors.Inc()
			if werr := w.WriteError(ctx, q.RefID, http.StatusBadRequest, backend.PluginError(err)); werr != nil {
				return werr
			}
			continue
		}
		chunkRows := d.settings.ChunkRows
		if sq.ChunkRows > 0 {
			chunkRows = sq.ChunkRows
		}
		gen := synthetic.NewGenerator(q.RefID, q.TimeRange.From.UnixMilli(), sq)
		for first := true; first || gen.Remaining() > 0; first = false {
			if err := ctx.Err(); err != nil {
				return err
			}
			frame := gen.NextFrame(chunkRows)
			if err := w.WriteFrame(ctx, q.RefID, synthetic.FrameID, frame); err != nil {
				return err
			}
			chunksSent.Inc()
			rowsSent.Add(float64(frame.Fields[0].Len()))
		}
	}
	return nil
}

// track maintains the in-flight gauge and duration histogram for one call.
func track(method string) func() {
	start := time.Now()
	queriesInFlight.WithLabelValues(method).Inc()
	return func() {
		queriesInFlight.WithLabelValues(method).Dec()
		queryDuration.WithLabelValues(method).Observe(time.Since(start).Seconds())
	}
}
