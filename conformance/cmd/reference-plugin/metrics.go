package main

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// The same metric names Sluice exposes, registered in the default registry
// that the SDK's CollectMetrics gathers, so the conformance tests that read
// metrics (including the cancellation test) also run against this plugin.
var (
	queriesInFlight = promauto.NewGaugeVec(prometheus.GaugeOpts{
		Name: "sluice_queries_in_flight",
		Help: "Queries currently being answered, by gRPC method.",
	}, []string{"method"})
	chunksSent = promauto.NewCounter(prometheus.CounterOpts{
		Name: "sluice_chunks_sent_total",
		Help: "QueryChunkedData chunks handed to the SDK writer.",
	})
	rowsSent = promauto.NewCounter(prometheus.CounterOpts{
		Name: "sluice_rows_sent_total",
		Help: "Rows sent in QueryData responses and chunks.",
	})
	// The SDK writer does not expose the encoded chunk size and measuring it
	// would mean encoding twice, so this counter exists but stays at 0.
	bytesSent = promauto.NewCounter(prometheus.CounterOpts{
		Name: "sluice_bytes_sent_total",
		Help: "Encoded frame bytes sent (not measured by the reference plugin).",
	})
	queryErrors = promauto.NewCounter(prometheus.CounterOpts{
		Name: "sluice_query_errors_total",
		Help: "Queries answered with an error.",
	})
	queryDuration = promauto.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "sluice_query_duration_seconds",
		Help:    "Wall time of QueryData and QueryChunkedData calls.",
		Buckets: prometheus.ExponentialBuckets(0.001, 4, 10),
	}, []string{"method"})
)

func init() {
	// Make the gauge's series exist before the first query, as Sluice does.
	for _, m := range []string{"QueryData", "QueryChunkedData", "CallResource"} {
		queriesInFlight.WithLabelValues(m)
	}
}
