/** The physical plan: one operator per node of the logical plan. */
import { QueryError } from '../api';
import type { QueryContext } from '../model/context';
import type { VectorOperator } from '../model/operator';
import type { Expr } from '../parser/ast';
import { ScalarGeneratorOperator } from '../operators/scalar-generator';
import type { Queryable } from '../operators/series-source';
import { VectorSelectorOperator } from '../operators/vector-selector';
import { planCall } from './calls';
import { planAggregate } from './aggregate';
import { planBinary, planUnary } from './binary';

export interface Planner {
  queryable: Queryable;
  plan(expr: Expr, ctx: QueryContext): VectorOperator;
}

export function newPlanner(queryable: Queryable): Planner {
  const planner: Planner = {
    queryable,
    plan(expr, ctx) {
      switch (expr.type) {
        case 'NumberLiteral': {
          const v = expr.value;
          return new ScalarGeneratorOperator(ctx, () => v, String(v));
        }
        case 'VectorSelector':
          return new VectorSelectorOperator(ctx, queryable, expr);
        case 'Call':
          return planCall(planner, expr, ctx);
        case 'AggregateExpr':
          return planAggregate(planner, expr, ctx);
        case 'BinaryExpr':
          return planBinary(planner, expr, ctx);
        case 'UnaryExpr':
          return planUnary(planner, expr, ctx);
        case 'ParenExpr':
        case 'StepInvariantExpr':
          return planner.plan(expr.expr, ctx);
        case 'StringLiteral':
        case 'MatrixSelector':
        case 'SubqueryExpr':
          throw new QueryError('internal', `a ${expr.type} cannot be evaluated as an instant vector or scalar here`);
      }
    },
  };
  return planner;
}
