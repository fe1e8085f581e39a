// Package conformance checks the Sluice backend plugin against the contract
// Grafana relies on: the go-plugin handshake and lifecycle, the pluginv2
// Data/Diagnostics services, frame encoding (Arrow IPC and frame JSON) and
// QueryChunkedData as read by the Go SDK's own decoders and accumulators.
//
// The tests start the plugin exactly as Grafana does (internal/pluginhost).
// By default the target is ../dist/gpx_sluice_<os>_<arch> (built by
// `npm run build:backend`); SLUICE_PLUGIN=<path> points the suite at another
// executable, e.g. the Go reference plugin in cmd/reference-plugin. Checks
// that only make sense for Sluice (frames CLI, sidecar mode) skip then.
package conformance
