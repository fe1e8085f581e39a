#!/bin/sh
# Sluice backend launcher. Grafana executes dist/gpx_sluice_<os>_<arch> directly, without a shell
# and, when host environment variables are skipped, without PATH: so only sh builtins are used
# until PATH is set, and node is looked up by absolute path.
PATH="${PATH:-/usr/local/bin:/usr/bin:/bin}"
export PATH
case "$0" in
  */*) dir="${0%/*}" ;;
  *) dir=. ;;
esac

if [ "$grafana_plugin_type" != "datasource" ]; then
  echo "This binary is a plugin. These are not meant to be executed directly. Please execute the program that consumes these plugins, which will load any plugins automatically (Grafana sets grafana_plugin_type=datasource); to run Sluice on its own use: node $dir/backend/main.js --listen HOST:PORT (sidecar mode)." >&2
  exit 1
fi

# Sidecar mode ([plugin.sluice-datasource] sidecar_address): point Grafana at the running sidecar
# and stay alive as long as Grafana does; go-plugin treats our exit as the plugin's.
if [ -n "$GF_PLUGIN_SIDECAR_ADDRESS" ]; then
  case "$GF_PLUGIN_SIDECAR_ADDRESS" in
    unix:*) printf '1|2|unix|%s|grpc\n' "${GF_PLUGIN_SIDECAR_ADDRESS#unix:}" ;;
    *) printf '1|2|tcp|%s|grpc\n' "$GF_PLUGIN_SIDECAR_ADDRESS" ;;
  esac
  printf '{"@level":"info","@message":"using the Sluice sidecar","address":"%s"}\n' "$GF_PLUGIN_SIDECAR_ADDRESS" >&2
  parent=$PPID
  while kill -0 "$parent" 2>/dev/null; do sleep 1; done
  exit 0
fi

# V8 flags that keep a long stream's memory flat: a small young generation and slow old-space growth
# (measured: peak RSS at 10M rows within 1.2x of 100k rows). [plugin.sluice-datasource] node_flags overrides.
node_flags="${GF_PLUGIN_NODE_FLAGS:---max-semi-space-size=1 --heap-growing-percent=20}"

# [plugin.sluice-datasource] node_path, a node bundled next to us, the node that built us, the usual places.
for node in "$GF_PLUGIN_NODE_PATH" "$dir/node/bin/node" "@BUILD_NODE@" /usr/local/bin/node /usr/bin/node /opt/homebrew/bin/node; do
  if [ -n "$node" ] && [ -x "$node" ]; then
    # Grafana's pid, so the backend notices if Grafana dies before node has even started.
    # shellcheck disable=SC2086 # node_flags is a list of flags
    SLUICE_PARENT_PID=$PPID exec "$node" $node_flags "$dir/backend/main.js" "$@"
  fi
done
echo '{"@level":"error","@message":"Sluice needs Node.js 20 or newer: install it, or set [plugin.sluice-datasource] node_path, or run the backend as a sidecar (sidecar_address)"}' >&2
exit 1
