/** Picks the physical operator for a binary expression from its operator and operand types. */
import { QueryError } from '../api';
import type { QueryContext } from '../model/context';
import type { VectorOperator } from '../model/operator';
import type { BinaryOp, PositionRange, VectorMatching } from '../parser/ast';
import { AndUnlessOperator } from './and-unless-operator';
import { OrOperator } from './or-operator';
import { ScalarBinaryOperator } from './scalar-binary-operator';
import { VectorBinaryOperator } from './vector-binary-operator';

export { AndUnlessOperator } from './and-unless-operator';
export { OrOperator } from './or-operator';
export { ScalarBinaryOperator } from './scalar-binary-operator';
export { UnaryNegationOperator } from './unary-negation';
export { VectorBinaryOperator } from './vector-binary-operator';

/** The parts of a BinaryExpr the operators need, plus whether each operand is a scalar. */
export interface BinaryOperation {
  op: BinaryOp;
  /** As in the AST: set when both operands are vectors. */
  matching: VectorMatching | null;
  returnBool: boolean;
  pos: PositionRange;
  lhsIsScalar: boolean;
  rhsIsScalar: boolean;
}

function isSetOp(op: BinaryOp): op is 'and' | 'or' | 'unless' {
  return op === 'and' || op === 'or' || op === 'unless';
}

export function createBinaryOperator(
  ctx: QueryContext,
  spec: BinaryOperation,
  lhs: VectorOperator,
  rhs: VectorOperator
): VectorOperator {
  const { op, returnBool, pos } = spec;
  if (spec.lhsIsScalar || spec.rhsIsScalar) {
    if (isSetOp(op)) {
      throw new QueryError('bad_data', `set operator "${op}" not allowed in binary scalar expression`);
    }
    return new ScalarBinaryOperator(ctx, op, lhs, rhs, spec.lhsIsScalar, spec.rhsIsScalar, returnBool, pos);
  }
  const matching: VectorMatching = spec.matching ?? {
    card: isSetOp(op) ? 'many-to-many' : 'one-to-one',
    matchingLabels: [],
    on: false,
    include: [],
  };
  switch (op) {
    case 'and':
    case 'unless':
      return new AndUnlessOperator(ctx, op, lhs, rhs, matching, pos);
    case 'or':
      return new OrOperator(ctx, lhs, rhs, matching, pos);
    default:
      return new VectorBinaryOperator(ctx, op, lhs, rhs, matching, returnBool, pos);
  }
}
