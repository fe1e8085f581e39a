import { createBinaryOperator, UnaryNegationOperator } from '../binary';
import type { QueryContext } from '../model/context';
import type { VectorOperator } from '../model/operator';
import type { BinaryExpr, UnaryExpr } from '../parser/ast';
import { exprType } from '../parser/types';
import type { Planner } from './physical';

export function planBinary(planner: Planner, expr: BinaryExpr, ctx: QueryContext): VectorOperator {
  return createBinaryOperator(
    ctx,
    {
      op: expr.op,
      matching: expr.matching,
      returnBool: expr.returnBool,
      pos: expr.pos,
      lhsIsScalar: exprType(expr.lhs) === 'scalar',
      rhsIsScalar: exprType(expr.rhs) === 'scalar',
    },
    planner.plan(expr.lhs, ctx),
    planner.plan(expr.rhs, ctx)
  );
}

export function planUnary(planner: Planner, expr: UnaryExpr, ctx: QueryContext): VectorOperator {
  const child = planner.plan(expr.expr, ctx);
  return expr.op === '+' ? child : new UnaryNegationOperator(ctx, child, expr.pos);
}
