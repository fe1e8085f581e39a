import { compareLabels, type Labels } from '../storage';
import {
  DEFAULT_ENGINE_OPTIONS,
  type EngineOptions,
  type InstantSample,
  QueryError,
  type QueryOptions,
  type QueryResult,
  type QueryResultBody,
  type RangeSeries,
  type RangeStream,
  type StreamOptions,
} from './api';
import { Annotations, type QueryContext, SampleBudget } from './model/context';
import { emptyStepVector, scalarValue } from './model/step-vector';
import { materialize } from './operators/materialize';
import { MatrixSelectorSource } from './operators/matrix-selector-source';
import type { Queryable } from './operators/series-source';
import { SubquerySource } from './operators/subquery-source';
import { parseExpr } from './parser/parse';
import { exprType } from './parser/types';
import type { Expr } from './parser/ast';
import { logicalPlan } from './plan/logical';
import { shardableSelector, ShardedQueryable } from './plan/sharding';
import { newPlanner, type Planner } from './plan/physical';

const STEPS_BATCH = 10;
/** Prometheus' cap on points per series in a range query. */
const MAX_POINTS_PER_SERIES = 11_000;

/** Parses, plans and runs PromQL queries over a store. */
export class PromQLEngine {
  private readonly options: EngineOptions;
  private readonly planner: Planner;
  /** Input series per shard of a streamed range query. */
  private readonly shardSeries: number;

  constructor(queryable: Queryable, options: Partial<EngineOptions> & { shardSeries?: number } = {}) {
    this.options = { ...DEFAULT_ENGINE_OPTIONS, ...options };
    this.planner = newPlanner(queryable);
    this.shardSeries = options.shardSeries ?? 256;
  }

  async instantQuery(query: string, timeMs: number, opts: QueryOptions = {}): Promise<QueryResult> {
    const expr = parseExpr(query);
    const run = this.open(query, expr, timeMs, timeMs, 0, opts);
    try {
      return withAnnotations(await this.evalInstant(run.expr, run.ctx), run.ctx);
    } finally {
      run.close();
    }
  }

  async rangeQuery(
    query: string,
    startMs: number,
    endMs: number,
    stepMs: number,
    opts: QueryOptions = {}
  ): Promise<QueryResult> {
    const run = this.open(query, parseRangeQuery(query, startMs, endMs, stepMs), startMs, endMs, stepMs, opts);
    try {
      const series = await materialize(this.planner.plan(run.expr, run.ctx), run.ctx);
      return withAnnotations({ resultType: 'matrix', series: sortSeries(series) }, run.ctx);
    } finally {
      run.close();
    }
  }

  /**
   * A range query whose series are handed out one by one, sorted by labels, so a caller can write
   * each as soon as it is available. Queries that compute every output series from one input series
   * (see shardableSelector) run shard by shard, so the first series come before the last is read.
   */
  async streamRangeQuery(
    query: string,
    startMs: number,
    endMs: number,
    stepMs: number,
    opts: StreamOptions = {}
  ): Promise<RangeStream> {
    const run = this.open(query, parseRangeQuery(query, startMs, endMs, stepMs), startMs, endMs, stepMs, opts);
    const { ctx, expr } = run;
    const sharded = shardableSelector(expr) !== null;
    let done = 0;
    let total: number | null = null;
    const progress = () =>
      opts.onProgress?.({ seriesDone: done, seriesTotal: total, samplesScanned: ctx.stats.samplesScanned });
    const shards = async function* (this: PromQLEngine): AsyncGenerator<RangeSeries[]> {
      if (!sharded) {
        const all = sortSeries(await materialize(this.planner.plan(expr, ctx), ctx));
        total = all.length;
        yield all;
        return;
      }
      const source = new ShardedQueryable(this.planner.queryable, this.shardSeries);
      const planner = newPlanner(source);
      while (!source.exhausted) {
        const shard = sortSeries(await materialize(planner.plan(expr, ctx), ctx));
        yield shard;
        ctx.samples.give(shard.reduce((n, s) => n + s.values.length, 0));
      }
      total = done;
    }.bind(this);
    async function* series(): AsyncGenerator<RangeSeries> {
      try {
        for await (const shard of shards()) {
          progress();
          for (const s of shard) {
            yield s;
            done++;
            progress();
          }
        }
        total = done;
        progress();
      } finally {
        run.close();
      }
    }
    return {
      series: series(),
      annotations: () => ({ warnings: [...ctx.annotations.warnings], infos: [...ctx.annotations.infos] }),
    };
  }

  /** The evaluation context of one query: its window, limits, annotations and abort signal. */
  private open(query: string, parsed: Expr, start: number, end: number, step: number, opts: QueryOptions) {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const controller = new AbortController();
    const onTimeout = () => controller.abort(new QueryError('timeout', 'query timed out in expression evaluation'));
    const onCancel = () => controller.abort(new QueryError('canceled', 'query was canceled'));
    timeout.addEventListener('abort', onTimeout);
    opts.signal?.addEventListener('abort', onCancel);
    if (opts.signal?.aborted) onCancel();
    const ctx: QueryContext = {
      query,
      start,
      end,
      // an instant query has step 0 (what step() returns); its single step still needs a width
      step: step > 0 ? step : 1,
      lookbackDelta: opts.lookbackDeltaMs ?? this.options.lookbackDeltaMs,
      stepsBatch: STEPS_BATCH,
      noStepSubqueryInterval: this.options.noStepSubqueryIntervalMs,
      samples: new SampleBudget(this.options.maxSamples),
      annotations: new Annotations(),
      signal: controller.signal,
      stats: { samplesScanned: 0 },
    };
    return {
      ctx,
      expr: logicalPlan(parsed, start, end, step),
      close: () => {
        timeout.removeEventListener('abort', onTimeout);
        opts.signal?.removeEventListener('abort', onCancel);
      },
    };
  }

  private async evalInstant(expr: Expr, ctx: QueryContext): Promise<QueryResultBody> {
    switch (expr.type) {
      case 'StringLiteral':
        return { resultType: 'string', t: ctx.start, v: expr.value };
      case 'MatrixSelector': {
        const source = new MatrixSelectorSource(ctx, this.planner.queryable, expr);
        return { resultType: 'matrix', series: sortSeries(toRangeSeries(await source.load())) };
      }
      case 'SubqueryExpr': {
        const source = new SubquerySource(ctx, expr, (inner) => this.planner.plan(expr.expr, inner));
        return { resultType: 'matrix', series: sortSeries(toRangeSeries(await source.load())) };
      }
    }
    const scalar = exprType(expr) === 'scalar';
    const op = this.planner.plan(expr, ctx);
    const labels = await op.series();
    let last = emptyStepVector(ctx.start);
    for (let batch = await op.next(); batch !== null; batch = await op.next()) {
      if (batch.length > 0) last = batch[batch.length - 1];
    }
    if (scalar) {
      return { resultType: 'scalar', t: ctx.start, v: scalarValue(last) };
    }
    const samples: InstantSample[] = Array.from(last.ids, (id, i) => ({
      labels: labels[id],
      t: ctx.start,
      v: last.values[i],
    }));
    return { resultType: 'vector', samples };
  }
}

function toRangeSeries(
  points: { labels: Labels; timestamps: ArrayLike<number>; values: ArrayLike<number> }[]
): RangeSeries[] {
  return points
    .filter((s) => s.timestamps.length > 0)
    .map((s) => ({ labels: s.labels, timestamps: s.timestamps, values: s.values }));
}

/** Parses a range query and checks its parameters the way Prometheus' API does. */
function parseRangeQuery(query: string, start: number, end: number, step: number): Expr {
  const expr = parseExpr(query);
  if (!(step > 0)) {
    throw new QueryError(
      'bad_data',
      'zero or negative query resolution step widths are not accepted. Try a positive integer'
    );
  }
  if (end < start) {
    throw new QueryError('bad_data', 'end timestamp must not be before start time');
  }
  if ((end - start) / step > MAX_POINTS_PER_SERIES) {
    throw new QueryError(
      'bad_data',
      'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)'
    );
  }
  const type = exprType(expr);
  if (type !== 'scalar' && type !== 'vector') {
    throw new QueryError(
      'bad_data',
      `invalid expression type "${typeName(type)}" for range query, must be Scalar or instant Vector`
    );
  }
  return expr;
}

function withAnnotations(body: QueryResultBody, ctx: QueryContext): QueryResult {
  return { ...body, warnings: [...ctx.annotations.warnings], infos: [...ctx.annotations.infos] };
}

function sortSeries<T extends { labels: Labels }>(series: T[]): T[] {
  return series.sort((a, b) => compareLabels(a.labels, b.labels));
}

function typeName(t: string): string {
  return t === 'matrix' ? 'range vector' : t;
}
