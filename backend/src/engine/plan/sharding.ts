/**
 * Series sharding for streamed range queries. When every output series is computed from exactly one
 * input series of a single-metric selector, the query can run over a few input series at a time and
 * hand out finished series early: the selector's series come sorted by labels and dropping the one
 * shared metric name keeps that order, so shards come out in the final order and never collide.
 */
import type { LabelMatcher, SeriesData } from '../../storage';
import { INSTANT_FUNCTIONS } from '../functions/instant-functions';
import { RANGE_FUNCTIONS } from '../functions/range-functions';
import { METRIC_NAME } from '../model/labels';
import type { Queryable } from '../operators/series-source';
import type { Expr, VectorSelector } from '../parser/ast';

/** The one selector of a series-local query, or null when the query mixes series. */
export function shardableSelector(e: Expr): VectorSelector | null {
  switch (e.type) {
    case 'VectorSelector':
      return singleMetric(e) ? e : null;
    case 'ParenExpr':
    case 'UnaryExpr':
      return shardableSelector(e.expr);
    case 'BinaryExpr': {
      if (e.op === 'and' || e.op === 'or' || e.op === 'unless') return null;
      if (e.lhs.type === 'NumberLiteral') return shardableSelector(e.rhs);
      if (e.rhs.type === 'NumberLiteral') return shardableSelector(e.lhs);
      return null;
    }
    case 'Call': {
      const name = e.func.name;
      const range = RANGE_FUNCTIONS[name];
      if (range !== undefined && name !== 'absent_over_time') {
        const arg = e.args[range.rangeArg];
        const others = e.args.every((a, i) => i === range.rangeArg || a.type === 'NumberLiteral');
        return others && arg.type === 'MatrixSelector' && singleMetric(arg.vectorSelector) ? arg.vectorSelector : null;
      }
      const instant = INSTANT_FUNCTIONS[name];
      if (instant !== undefined && e.args.length > instant.vectorArg) {
        const others = e.args.every((a, i) => i === instant.vectorArg || a.type === 'NumberLiteral');
        return others ? shardableSelector(e.args[instant.vectorArg]) : null;
      }
      return null;
    }
    default:
      return null;
  }
}

function singleMetric(vs: VectorSelector): boolean {
  return vs.matchers.some((m: LabelMatcher) => m.name === METRIC_NAME && m.type === '=');
}

/**
 * Hands each select() call the next `shardSize` series of one underlying selection, so planning the
 * same query again evaluates the next shard.
 */
export class ShardedQueryable implements Queryable {
  private iterator: Iterator<SeriesData> | null = null;
  exhausted = false;

  constructor(
    private readonly inner: Queryable,
    private readonly shardSize: number
  ) {}

  select(matchers: readonly LabelMatcher[], mint: number, maxt: number): Iterable<SeriesData> {
    this.iterator ??= this.inner.select(matchers, mint, maxt)[Symbol.iterator]();
    const out: SeriesData[] = [];
    while (out.length < this.shardSize) {
      const r = this.iterator.next();
      if (r.done === true) {
        this.exhausted = true;
        break;
      }
      out.push(r.value);
    }
    return out;
  }
}
