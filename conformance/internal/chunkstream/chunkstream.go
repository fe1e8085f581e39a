// Package chunkstream is the client side of QueryChunkedData shared by the
// tests and the benchmark: it adapts the gRPC stream to the iterator the SDK's
// reference accumulators (experimental/datasourcetest) consume, and lets a
// caller look at every raw chunk on the way.
package chunkstream

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/grafana/grafana-plugin-sdk-go/experimental/datasourcetest"
	"github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2"
	"google.golang.org/grpc"
)

// Stream is what DataClient.QueryChunkedData returns.
type Stream = grpc.ServerStreamingClient[pluginv2.QueryChunkedDataResponse]

// Observer sees each chunk before the accumulator does. Returning an error
// stops the iteration and becomes the accumulator's error.
type Observer func(*pluginv2.QueryChunkedDataResponse) error

// Seq yields every chunk of stream until io.EOF (a clean end) or an error.
func Seq(stream Stream, observe Observer) iter.Seq2[*pluginv2.QueryChunkedDataResponse, error] {
	return func(yield func(*pluginv2.QueryChunkedDataResponse, error) bool) {
		for {
			chunk, err := stream.Recv()
			if errors.Is(err, io.EOF) {
				return
			}
			if err == nil && observe != nil {
				err = observe(chunk)
			}
			if !yield(chunk, err) || err != nil {
				return
			}
		}
	}
}

// Accumulate rebuilds a QueryDataResponse with the SDK accumulator that
// matches the requested format: AccumulateArrow or AccumulateJSON.
func Accumulate(format pluginv2.DataFrameFormat, chunks iter.Seq2[*pluginv2.QueryChunkedDataResponse, error]) (*backend.QueryDataResponse, error) {
	switch format {
	case pluginv2.DataFrameFormat_ARROW:
		return datasourcetest.AccumulateArrow(chunks)
	case pluginv2.DataFrameFormat_JSON:
		return datasourcetest.AccumulateJSON(chunks)
	default:
		return nil, fmt.Errorf("chunkstream: unknown format %v", format)
	}
}

// RowCount decodes a chunk's frame far enough to count its rows. Chunks
// without a frame have 0 rows. Arrow chunks are full IPC files; JSON chunks
// carry rows in data.values whether or not they include the schema.
func RowCount(chunk *pluginv2.QueryChunkedDataResponse) (int, error) {
	if len(chunk.Frame) == 0 {
		return 0, nil
	}
	switch chunk.Format {
	case pluginv2.DataFrameFormat_ARROW:
		f, err := data.UnmarshalArrowFrame(chunk.Frame)
		if err != nil {
			return 0, err
		}
		if len(f.Fields) == 0 {
			return 0, nil
		}
		return f.Fields[0].Len(), nil
	case pluginv2.DataFrameFormat_JSON:
		var v struct {
			Data *struct {
				Values []json.RawMessage `json:"values"`
			} `json:"data"`
		}
		if err := json.Unmarshal(chunk.Frame, &v); err != nil {
			return 0, err
		}
		if v.Data == nil || len(v.Data.Values) == 0 {
			return 0, nil
		}
		var col []json.RawMessage
		if err := json.Unmarshal(v.Data.Values[0], &col); err != nil {
			return 0, err
		}
		return len(col), nil
	default:
		return 0, fmt.Errorf("chunkstream: unknown format %v", chunk.Format)
	}
}
