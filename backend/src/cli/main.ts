/**
 * `sluice`: run queries against a Sluice backend the way Grafana does (like `profilecli query`).
 *
 *   sluice query --type synthetic --model '{"rows":1000000}' [--output table|csv|jsonl] [--head N]
 *   sluice demo
 *   sluice health
 *   sluice frames convert --in FILE.arrow [--out-arrow FILE] [--out-json FILE]
 *   sluice serve-prometheus-api --data-dir DIR --listen HOST:PORT [--ingest-listen HOST:PORT] [--test-mode]
 */
import { parseArgs } from 'node:util';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as pb from '../generated/pluginv2/backend';
import { decodeArrowFile, encodeArrowFile, encodeFrameJSON } from '../runtime/frames';
import { errorMessage } from '../runtime/errors';
import { OutputFormat } from './output';
import { PluginClient } from './plugin-client';
import { formatBytes } from './progress';
import { QueryOptions, runQuery } from './query';
import { parseTime } from './time';
import { SERVE_USAGE, servePrometheusApi } from './serve-prometheus-api';

const USAGE = `usage: sluice <command> [options]

commands:
  query    run a query through QueryChunkedData (QueryData when chunking is unimplemented)
  demo     the embedded default: start the backend and stream a 1,000,000-row query
  health   CheckHealth of the datasource settings
  frames   frames convert --in FILE.arrow [--out-arrow FILE] [--out-json FILE]
  serve-prometheus-api  the store, remote write and PromQL behind Prometheus' HTTP query API

connection (query, demo, health):
  --plugin PATH       plugin executable to start as Grafana does (default: dist/gpx_sluice_<os>_<arch>)
  --connect HOST:PORT use a running sidecar instead
  --settings JSON     the datasource's jsonData, e.g. '{"chunkRows":500}'
  --data-dir DIR      the embedded store of a started backend (default ./sluice-data)
  --no-demo-data      do not seed demo series into an empty store
  --verbose           show the backend's log lines

query:
  --type TYPE         queryType (default: the model's queryType, else synthetic)
  --model JSON        query model, e.g. '{"rows":1000000,"seed":7}'
  --from TIME --to TIME   now, now-6h, ISO date or epoch ms (default now-1h .. now)
  --format arrow|json wire format of frames (default json, as current Grafana asks)
  --output table|csv|jsonl  (default table)
  --head N            print N rows, then cancel the query
  --unary             use QueryData only
  --quiet             no progress on stderr

${SERVE_USAGE}`;

const OPTIONS = {
  plugin: { type: 'string' },
  connect: { type: 'string' },
  settings: { type: 'string' },
  verbose: { type: 'boolean' },
  type: { type: 'string' },
  model: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  format: { type: 'string' },
  output: { type: 'string' },
  head: { type: 'string' },
  unary: { type: 'boolean' },
  quiet: { type: 'boolean' },
  in: { type: 'string' },
  'out-arrow': { type: 'string' },
  'out-json': { type: 'string' },
  'data-dir': { type: 'string' },
  'no-demo-data': { type: 'boolean' },
  listen: { type: 'string' },
  'ingest-listen': { type: 'string' },
  'test-mode': { type: 'boolean' },
  'exit-with-stdin': { type: 'boolean' },
  'lookback-delta': { type: 'string' },
  'query-timeout': { type: 'string' },
  'max-samples': { type: 'string' },
  retention: { type: 'string' },
  fsync: { type: 'string' },
  'out-of-order-window': { type: 'string' },
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  const [command, sub] = positionals;
  if (values.help || !command) {
    process.stdout.write(USAGE + '\n');
    return command || values.help ? 0 : 2;
  }
  switch (command) {
    case 'query':
      return withClient(values, (client) => queryCommand(client, values));
    case 'demo':
      return withClient(values, (client) => demoCommand(client, values));
    case 'health':
      return withClient(values, (client) => healthCommand(client, values));
    case 'frames':
      if (sub !== 'convert') {
        throw new UsageError('frames: the only subcommand is convert');
      }
      return convertCommand(values);
    case 'serve-prometheus-api':
      return servePrometheusApi({
        dataDir: values['data-dir'],
        listen: values.listen,
        ingestListen: values['ingest-listen'],
        noDemoData: values['no-demo-data'],
        testMode: values['test-mode'],
        exitWithStdin: values['exit-with-stdin'],
        lookbackDelta: values['lookback-delta'],
        queryTimeout: values['query-timeout'],
        maxSamples: values['max-samples'],
        retention: values.retention,
        fsync: values.fsync,
        outOfOrderWindow: values['out-of-order-window'],
        logLevel: values['log-level'],
      });
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }
}

async function withClient(values: Values, run: (client: PluginClient) => Promise<number>): Promise<number> {
  const client = values.connect
    ? PluginClient.connect(values.connect)
    : await PluginClient.start(values.plugin ?? defaultPlugin(), storeEnv(values), values.verbose === true);
  try {
    return await run(client);
  } finally {
    await client.close();
  }
}

/** The embedded default: a store in ./sluice-data, seeded with demo series on first use. */
function storeEnv(values: Values): Record<string, string> {
  return {
    GF_PLUGIN_DATA_DIR: resolve(values['data-dir'] ?? 'sluice-data'),
    GF_PLUGIN_DEMO_DATA: values['no-demo-data'] ? 'false' : 'true',
  };
}

function defaultPlugin(): string {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  return join(__dirname, '..', `gpx_sluice_${process.platform}_${arch}`);
}

function pluginContext(values: Values): pb.PluginContext {
  return {
    orgId: 1n,
    pluginId: 'sluice-datasource',
    user: undefined,
    appInstanceSettings: undefined,
    dataSourceInstanceSettings: {
      id: 1n,
      name: 'Sluice',
      url: '',
      user: '',
      database: '',
      basicAuthEnabled: false,
      basicAuthUser: '',
      jsonData: Buffer.from(values.settings ?? '{}'),
      decryptedSecureJsonData: {},
      lastUpdatedMS: 0n,
      uid: 'sluice-cli',
      apiVersion: '',
    },
    grafanaConfig: {},
    pluginVersion: '',
    userAgent: 'sluice-cli',
    apiVersion: '',
    namespace: 'default',
  };
}

function queryRequest(values: Values, model: string, queryType: string): pb.QueryDataRequest {
  const format = values.format ?? 'json';
  if (format !== 'arrow' && format !== 'json') {
    throw new UsageError('--format must be arrow or json');
  }
  const now = Date.now();
  return {
    pluginContext: pluginContext(values),
    headers: {},
    queries: [
      {
        refId: 'A',
        maxDataPoints: 0n,
        intervalMS: 0n,
        timeRange: {
          fromEpochMS: BigInt(parseTime(values.from ?? 'now-1h', now)),
          toEpochMS: BigInt(parseTime(values.to ?? 'now', now)),
        },
        json: Buffer.from(model),
        queryType,
      },
    ],
    format: format === 'json' ? pb.DataFrameFormat.JSON : pb.DataFrameFormat.ARROW,
  };
}

function queryOptions(values: Values): QueryOptions {
  const output = values.output ?? 'table';
  if (!['table', 'csv', 'jsonl'].includes(output)) {
    throw new UsageError('--output must be table, csv or jsonl');
  }
  const head = values.head === undefined ? undefined : Number(values.head);
  if (head !== undefined && (!Number.isInteger(head) || head < 0)) {
    throw new UsageError('--head must be a whole number of rows');
  }
  return {
    format: values.format === 'arrow' ? 'arrow' : 'json',
    output: output as OutputFormat,
    head,
    unary: values.unary === true,
    progress: values.quiet !== true,
  };
}

async function queryCommand(client: PluginClient, values: Values): Promise<number> {
  const model = values.model ?? '{}';
  let queryType = values.type;
  if (!queryType) {
    try {
      queryType = String(JSON.parse(model).queryType ?? 'synthetic');
    } catch {
      queryType = 'synthetic';
    }
  }
  const outcome = await runQuery(client, queryRequest(values, model, queryType), queryOptions(values), writeStdout);
  for (const error of outcome.errors) {
    process.stderr.write(`query ${error.refId} failed with status ${error.status}: ${error.message}\n`);
  }
  return outcome.errors.length > 0 ? 1 : 0;
}

async function demoCommand(client: PluginClient, values: Values): Promise<number> {
  const say = (text: string) => process.stderr.write(text + '\n');
  say(`Sluice demo: the backend was started the way Grafana starts it (${client.target}).`);
  await healthCommand(client, values);
  const rows = 1_000_000;
  say(`\nStreaming a ${rows.toLocaleString('en-US')}-row synthetic query through QueryChunkedData:`);
  const outcome = await runQuery(
    client,
    queryRequest(values, JSON.stringify({ rows, seed: 1 }), 'synthetic'),
    { ...queryOptions(values), printRows: 10 },
    writeStdout
  );
  say(
    `\nReceived ${outcome.rows.toLocaleString('en-US')} rows in ${outcome.chunks.toLocaleString('en-US')} chunks ` +
      `(${formatBytes(outcome.bytes)}); the first chunk arrived after ${outcome.firstChunkMs?.toFixed(1)} ms, ` +
      `the last after ${(outcome.elapsedMs / 1000).toFixed(2)} s. Only the first 10 rows are printed.`
  );
  const selector = 'http_request_duration_seconds_bucket{job="api", handler="/api/users"}';
  say(`\nThe embedded store (demo series, 15 s apart): raw samples of ${selector} over the last 24 h:`);
  const stored = await runQuery(
    client,
    queryRequest({ ...values, from: 'now-24h', to: 'now' }, JSON.stringify({ selector }), 'samples'),
    { ...queryOptions(values), printRows: 5 },
    writeStdout
  );
  say(
    `\nReceived ${stored.rows.toLocaleString('en-US')} samples in ${stored.chunks.toLocaleString('en-US')} chunks. ` +
      `Remote-write more with Prometheus to http://127.0.0.1:9201/api/v1/write.`
  );
  const expr = 'sum by (instance) (rate(node_cpu_seconds_total{mode!="idle"}[5m]))';
  say(`\nPromQL over the embedded store, one frame per series as the engine hands them out: ${expr} (last 6 h):`);
  const promql = await runQuery(
    client,
    queryRequest({ ...values, from: 'now-6h', to: 'now' }, JSON.stringify({ expr }), 'promql'),
    { ...queryOptions(values), printRows: 3 },
    writeStdout
  );
  say(`\nReceived ${promql.rows.toLocaleString('en-US')} points in ${promql.chunks.toLocaleString('en-US')} chunks.`);
  say('Try: node dist/backend/cli.js query --model \'{"rows":5000000}\' --output csv > rows.csv');
  say(
    `     node dist/backend/cli.js query --type samples --model '{"selector":"node_memory_MemAvailable_bytes"}' --from now-6h`
  );
  say(`     node dist/backend/cli.js query --type promql --model '{"expr":"topk(3, rate(http_requests_total[5m]))"}'`);
  const failed =
    [...outcome.errors, ...stored.errors, ...promql.errors].length > 0 ||
    outcome.rows !== rows ||
    stored.rows === 0 ||
    promql.rows === 0;
  return failed ? 1 : 0;
}

async function healthCommand(client: PluginClient, values: Values): Promise<number> {
  const reply = await new Promise<pb.CheckHealthResponse>((resolve, reject) =>
    client.diagnostics.checkHealth({ pluginContext: pluginContext(values), headers: {} }, (error, response) =>
      error ? reject(error) : resolve(response)
    )
  );
  const status = pb.CheckHealthResponse_HealthStatus[reply.status] ?? String(reply.status);
  process.stderr.write(`health: ${status}: ${reply.message}\n`);
  return reply.status === pb.CheckHealthResponse_HealthStatus.OK ? 0 : 1;
}

function convertCommand(values: Values): number {
  if (!values.in || (!values['out-arrow'] && !values['out-json'])) {
    throw new UsageError('frames convert needs --in FILE and --out-arrow FILE and/or --out-json FILE');
  }
  const frame = decodeArrowFile(readFileSync(values.in));
  if (values['out-arrow']) {
    writeFileSync(values['out-arrow'], encodeArrowFile(frame));
  }
  if (values['out-json']) {
    writeFileSync(values['out-json'], encodeFrameJSON(frame, 'all'));
  }
  return 0;
}

function writeStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (process.stdout.write(text)) {
      resolve();
    } else {
      process.stdout.once('drain', resolve);
      process.stdout.once('error', reject);
    }
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`sluice: ${errorMessage(error)}\n`);
    if (error instanceof UsageError) {
      process.stderr.write(`\n${USAGE}\n`);
      process.exit(2);
    }
    process.exit(1);
  }
);
