import { CountValuesOperator } from '../aggregations/count-values';
import { HashAggregateOperator } from '../aggregations/hash-aggregate';
import { KAggregateOperator } from '../aggregations/k-aggregate';
import { QueryError } from '../api';
import type { QueryContext } from '../model/context';
import type { VectorOperator } from '../model/operator';
import type { AggregateExpr } from '../parser/ast';
import type { Planner } from './physical';
import { stringValue } from './unwrap';

export function planAggregate(planner: Planner, expr: AggregateExpr, ctx: QueryContext): VectorOperator {
  const child = planner.plan(expr.expr, ctx);
  const { grouping, without, param } = expr;
  switch (expr.op) {
    case 'count_values':
      return new CountValuesOperator(ctx, child, stringValue(requireParam(expr)), grouping, without);
    case 'topk':
    case 'bottomk':
    case 'limitk':
    case 'limit_ratio': {
      const p = requireParam(expr);
      return new KAggregateOperator(ctx, expr.op, child, grouping, without, planner.plan(p, ctx), p.pos);
    }
    default:
      return new HashAggregateOperator(
        ctx,
        expr.op,
        child,
        grouping,
        without,
        param ? planner.plan(param, ctx) : null,
        param?.pos ?? null
      );
  }
}

function requireParam(expr: AggregateExpr) {
  if (expr.param === null) {
    throw new QueryError('bad_data', `${expr.op} needs a parameter`);
  }
  return expr.param;
}
