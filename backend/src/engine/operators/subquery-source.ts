import type { QueryContext } from '../model/context';
import type { VectorOperator } from '../model/operator';
import type { SubqueryExpr } from '../parser/ast';
import { materialize } from './materialize';
import type { PointSource } from './point-source';
import type { SeriesPoints } from './series-source';
import { referenceSpan } from './step-times';

/** Builds the physical plan of a subquery's inner expression for the given evaluation window. */
export type InnerPlanner = (ctx: QueryContext) => VectorOperator;

/**
 * The points of a subquery: its inner expression evaluated at every multiple of the subquery step
 * (counted from the Unix epoch, as Prometheus aligns them) inside the span all outer windows cover.
 */
export class SubquerySource implements PointSource {
  constructor(
    private readonly ctx: QueryContext,
    private readonly node: SubqueryExpr,
    private readonly inner: InnerPlanner
  ) {}

  async load(): Promise<SeriesPoints[]> {
    const innerCtx = subqueryContext(this.ctx, this.node);
    if (innerCtx.start > innerCtx.end) {
      return [];
    }
    return materialize(this.inner(innerCtx), innerCtx);
  }

  describe(): string {
    return `[subquery] [${this.node.range}ms:${this.node.step}ms]`;
  }
}

export function subqueryContext(ctx: QueryContext, node: SubqueryExpr): QueryContext {
  const step = node.step > 0 ? node.step : ctx.noStepSubqueryInterval;
  const span = referenceSpan(ctx, node.at, node.offset);
  // the first multiple of the step strictly after the earliest window start
  const start = Math.floor((span.min - node.range) / step) * step + step;
  return { ...ctx, start, end: span.max, step };
}
