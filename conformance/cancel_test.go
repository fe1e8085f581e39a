package conformance

import (
	"context"
	"testing"
	"time"
)

// cancelDeadline is how soon after the client cancels the backend must have
// stopped working on the call.
const cancelDeadline = time.Second

// TestCancelChunkedQuery: a 10M-row chunked call is cancelled by the client
// after its first chunk; sluice_queries_in_flight{method="QueryChunkedData"}
// must be back at 0 within 1 s. The gauge is first seen at ≥ 1 while the call
// runs, which shows it actually tracks the call.
func TestCancelChunkedQuery(t *testing.T) {
	p := startPlugin(t)
	for _, format := range formats {
		t.Run(format.String(), func(t *testing.T) {
			spec := syntheticSpec{RefID: "big", Rows: 10_000_000, Seed: 1}
			ctx, cancel := context.WithTimeout(context.Background(), rpcTimeout)
			defer cancel()
			stream, err := p.Data.QueryChunkedData(ctx, chunkedRequest(format, spec.dataQuery()))
			if err != nil {
				t.Fatalf("QueryChunkedData: %v", err)
			}
			first, err := stream.Recv()
			if err != nil {
				t.Fatalf("first chunk: %v", err)
			}
			if first.Status != 200 || first.RefId != "big" {
				t.Fatalf("first chunk: refId %q status %d error %q", first.RefId, first.Status, first.Error)
			}
			if v, ok := inFlight(collectMetrics(t, p), "QueryChunkedData"); !ok || v < 1 {
				t.Fatalf(`while streaming: sluice_queries_in_flight{method="QueryChunkedData"} = %v (present %v), want ≥ 1`, v, ok)
			}

			cancel()
			cancelled := time.Now()
			var last float64
			for time.Since(cancelled) < cancelDeadline {
				v, _ := inFlight(collectMetrics(t, p), "QueryChunkedData")
				if last = v; v == 0 {
					t.Logf("in-flight gauge reached 0 %v after cancel", time.Since(cancelled).Round(time.Millisecond))
					return
				}
				time.Sleep(20 * time.Millisecond)
			}
			t.Errorf(`sluice_queries_in_flight{method="QueryChunkedData"} still %v %v after cancel, want 0 within %v`,
				last, time.Since(cancelled).Round(time.Millisecond), cancelDeadline)
		})
	}
}
