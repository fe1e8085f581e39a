// Command reference-plugin is a Go backend plugin built the ordinary way with
// grafana-plugin-sdk-go (datasource.Manage, QueryDataHandler and the SDK's
// QueryChunkedDataHandler/ChunkedDataWriter). It serves the same `synthetic`
// query as Sluice so the benchmark has an SDK baseline, and so the conformance
// tests can be exercised before the Node backend exists:
//
//	go build -o .bin/reference-plugin ./cmd/reference-plugin
//	SLUICE_PLUGIN=.bin/reference-plugin go test ./...
package main

import (
	"os"

	"github.com/grafana/grafana-plugin-sdk-go/backend/datasource"
	"github.com/grafana/grafana-plugin-sdk-go/backend/log"
)

// pluginID differs from Sluice's so both can never be confused in logs.
const pluginID = "sluice-reference-datasource"

func main() {
	if err := datasource.Manage(pluginID, newDatasource, datasource.ManageOpts{}); err != nil {
		log.DefaultLogger.Error("reference plugin stopped", "error", err.Error())
		os.Exit(1)
	}
}
