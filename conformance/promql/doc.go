// Package promqlconf runs Prometheus' own PromQL conformance files (promql/promqltest/testdata) with
// Prometheus' own runner against Sluice's engine, which lives in another process and speaks
// Prometheus' HTTP query API.
//
// The runner loads each test's series into its local test storage; ForwardingStorage forwards every
// committed sample to Sluice through remote write 1.0. The runner evaluates queries through a
// promql.QueryEngine; Engine turns each query into an HTTP call to Sluice's /api/v1/query or
// /api/v1/query_range and the JSON answer back into promql values, annotations and errors. Split
// turns each test file into one small script per eval (the loads since the last clear, then the
// eval), so every eval passes or fails on its own against a freshly reset Sluice.
package promqlconf
