import {
  CoreApp,
  DataQueryRequest,
  DataQueryResponse,
  DataSourceInstanceSettings,
  LegacyMetricFindQueryOptions,
  LoadingState,
  MetricFindValue,
  ScopedVars,
  TestDataSourceResponse,
} from '@grafana/data';
import { config, DataSourceWithBackend, getTemplateSrv } from '@grafana/runtime';
import { Observable, of } from 'rxjs';
import { catchError } from 'rxjs/operators';

import { DEFAULT_QUERY_TYPE, isIncompleteQuery, QUERY_TYPES } from './queryTypes';
import { BrowserLimits, browserLimits } from './settings';
import { ByteSource, defaultByteSource } from './streaming/byteSource';
import { streamingQuery, TransportUnavailableError } from './streaming/streamQuery';
import {
  jsonlTransport,
  resourceTransport,
  StreamTransport,
  TransportName,
  TransportSelector,
  transportOrder,
} from './streaming/transports';
import { isPromQLQuery, rangeScopedVars } from './promql/interpolate';
import { interpolateQuery } from './templateVariables';
import type { SluiceOptions, SluiceQuery, SluiceVariableQuery } from './types';
import { SluiceVariableSupport } from './variables';

export class DataSource extends DataSourceWithBackend<SluiceQuery, SluiceOptions> {
  /** Remembers, for this instance's life, which transports turned out to be missing. */
  readonly transports: TransportSelector;
  readonly limits: BrowserLimits;
  /** The scrape interval of the stored series (jsonData.timeInterval), for `$__rate_interval`. */
  readonly scrapeInterval?: string;
  /** Streamed snapshots go out at most this often (ms), plus the final one. */
  snapshotIntervalMs = 100;
  /** Where streamed bytes come from; unset means chunked() if Grafana has it, else fetch. */
  byteSource?: ByteSource;

  constructor(instanceSettings: DataSourceInstanceSettings<SluiceOptions>) {
    super(instanceSettings);
    const options = instanceSettings.jsonData ?? {};
    this.transports = new TransportSelector(transportOrder(options.transport));
    this.limits = browserLimits(options);
    this.scrapeInterval = options.timeInterval;
    this.variables = new SluiceVariableSupport(this);
  }

  override getDefaultQuery(_app: CoreApp): Partial<SluiceQuery> {
    return QUERY_TYPES[DEFAULT_QUERY_TYPE].defaults;
  }

  /** Hidden queries, and queries without a type or a required field, have nothing to run. */
  override filterQuery(query: SluiceQuery): boolean {
    return !query.hide && Boolean(query.queryType) && !isIncompleteQuery(query);
  }

  override applyTemplateVariables(query: SluiceQuery, scopedVars: ScopedVars): SluiceQuery {
    return interpolateQuery(query, scopedVars, { scrapeInterval: this.scrapeInterval });
  }

  /**
   * Progressive results: cumulative frames per query as chunks arrive, over the best transport
   * this Grafana offers; plain QueryData when none streams.
   */
  override query(request: DataQueryRequest<SluiceQuery>): Observable<DataQueryResponse> {
    // PromQL steps are aligned in the user's time zone, as Grafana's Prometheus datasource does.
    const utcOffsetSec = request.range.to.utcOffset() * 60 || 0;
    const targets = request.targets
      .filter((query) => this.filterQuery(query))
      .map((query) => (isPromQLQuery(query) ? { ...query, utcOffsetSec } : query));
    if (targets.length === 0) {
      return of({ data: [], state: LoadingState.Done });
    }
    // $__range and friends, which PromQL expressions use and Grafana does not add by itself.
    const scopedVars = {
      ...rangeScopedVars(request.range.from.valueOf(), request.range.to.valueOf()),
      ...request.scopedVars,
    };
    const filtered = { ...request, targets, scopedVars };
    return this.canStream(filtered) ? this.queryVia(this.transports.current(), filtered) : super.query(filtered);
  }

  private queryVia(name: TransportName, request: DataQueryRequest<SluiceQuery>): Observable<DataQueryResponse> {
    if (name === 'unary') {
      return super.query(request);
    }
    return streamingQuery({
      transport: this.streamTransport(name),
      source: this.byteSource ?? defaultByteSource(),
      body: this.requestBody(request),
      headers: this.requestHeaders(request),
      requestId: request.requestId,
      refIds: request.targets.map((query) => query.refId),
      limits: this.limits,
      snapshotIntervalMs: this.snapshotIntervalMs,
    }).pipe(
      catchError((error: unknown) => {
        if (error instanceof TransportUnavailableError) {
          this.transports.markUnavailable(error.transport);
          return this.queryVia(this.transports.current(), request);
        }
        const message = error instanceof Error ? error.message : String(error);
        return of({ data: [], state: LoadingState.Error, errors: [{ message }] });
      })
    );
  }

  /**
   * Streams go to this datasource's own endpoints. Mixed or expression requests, and public
   * dashboards (which may not call resources), take Grafana's normal query path.
   */
  private canStream(request: DataQueryRequest<SluiceQuery>): boolean {
    if (config.publicDashboardAccessToken) {
      return false;
    }
    return request.targets.every((query) => !query.datasource?.uid || query.datasource.uid === this.uid);
  }

  private streamTransport(name: Exclude<TransportName, 'unary'>): StreamTransport {
    return name === 'jsonl'
      ? jsonlTransport(this.meta?.id || this.type, config.namespace || 'default', this.uid)
      : resourceTransport(this.buildResourcesDatasourceUrl('query'));
  }

  /** The body /api/ds/query would get: {from, to, queries}, variables resolved. */
  private requestBody(request: DataQueryRequest<SluiceQuery>) {
    return {
      from: String(request.range.from.valueOf()),
      to: String(request.range.to.valueOf()),
      queries: request.targets.map((query) => ({
        ...this.applyTemplateVariables(query, request.scopedVars),
        datasource: this.getRef(),
        datasourceId: this.id,
        intervalMs: request.intervalMs,
        maxDataPoints: request.maxDataPoints,
      })),
    };
  }

  private requestHeaders(request: DataQueryRequest<SluiceQuery>): Record<string, string> {
    const headers = this.getRequestHeaders();
    if (request.dashboardUID) {
      headers['X-Dashboard-Uid'] = request.dashboardUID;
    }
    if (request.panelId !== undefined) {
      headers['X-Panel-Id'] = String(request.panelId);
    }
    if (request.queryGroupId) {
      headers['X-Query-Group-Id'] = request.queryGroupId;
    }
    return headers;
  }

  /** Variable values from the backend's `POST resources/variables`: body {query, from?, to?}. */
  override async metricFindQuery(
    query: SluiceVariableQuery | string,
    options?: LegacyMetricFindQueryOptions
  ): Promise<MetricFindValue[]> {
    const text = typeof query === 'string' ? query : (query?.query ?? '');
    const range = options?.range;
    const response = await this.postResource<unknown>(
      'variables',
      {
        query: getTemplateSrv().replace(text, options?.scopedVars),
        ...(range ? { from: String(range.from.valueOf()), to: String(range.to.valueOf()) } : {}),
      },
      { showErrorAlert: false }
    );
    return toMetricFindValues(response);
  }

  /** CheckHealth's message is the answer; make sure there always is one to show. */
  override async testDatasource(): Promise<TestDataSourceResponse> {
    let result: TestDataSourceResponse;
    try {
      result = await super.testDatasource();
    } catch (error) {
      throw healthCheckFailure(error);
    }
    return { ...result, message: result.message || 'The Sluice backend answered the health check.' };
  }
}

/** Accepts `[{text, value?}]` or `["a", "b"]`; anything else is the backend breaking the contract. */
export function toMetricFindValues(response: unknown): MetricFindValue[] {
  if (!Array.isArray(response)) {
    throw new Error('the variables resource did not return a list of values');
  }
  return response.map((item: unknown) => {
    if (typeof item === 'string' || typeof item === 'number') {
      return { text: String(item), value: item };
    }
    if (item && typeof item === 'object' && 'text' in item) {
      const { text, value } = item as { text: unknown; value?: unknown };
      return {
        text: String(text),
        value: typeof value === 'string' || typeof value === 'number' ? value : String(text),
      };
    }
    throw new Error(`the variables resource returned an unusable value: ${JSON.stringify(item)}`);
  });
}

/**
 * The base class rejects with {status, message} when the backend answered; when it did not (no
 * body, network failure) it fails on its own and the page would show a blank or cryptic error.
 */
function healthCheckFailure(error: unknown): unknown {
  const answered = error as { status?: unknown; message?: unknown } | undefined;
  if (answered?.status === 'error' && typeof answered.message === 'string' && answered.message !== '') {
    return error;
  }
  return {
    status: 'error',
    message:
      'Health check failed: the Sluice backend did not answer. Is the plugin running (see the Grafana server log), ' +
      'or, in sidecar mode, is the sidecar reachable?',
  };
}
