/**
 * The typed PromQL syntax tree, shaped like Prometheus' promql/parser AST so that type checks, error
 * messages and the printer can follow Prometheus exactly. Times and durations are milliseconds.
 */
import type { LabelMatcher } from '../../storage';

export type ValueType = 'scalar' | 'vector' | 'matrix' | 'string';

/** Byte offsets into the query text, for error positions. */
export interface PositionRange {
  start: number;
  end: number;
}

export type AggregateOp =
  | 'sum'
  | 'avg'
  | 'count'
  | 'min'
  | 'max'
  | 'stddev'
  | 'stdvar'
  | 'group'
  | 'count_values'
  | 'quantile'
  | 'topk'
  | 'bottomk'
  | 'limitk'
  | 'limit_ratio';

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | '^' | 'atan2';
export type ComparisonOp = '==' | '!=' | '>' | '<' | '>=' | '<=';
export type SetOp = 'and' | 'or' | 'unless';
export type BinaryOp = ArithmeticOp | ComparisonOp | SetOp;

export type VectorMatchCardinality = 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';

export interface VectorMatching {
  card: VectorMatchCardinality;
  /** Labels of `on(...)` or `ignoring(...)`. */
  matchingLabels: string[];
  /** true for on(...), false for ignoring(...) (or no clause). */
  on: boolean;
  /** Labels of group_left(...)/group_right(...) copied from the "one" side. */
  include: string[];
}

/** `@` modifier: a fixed time, or start()/end() of the query. */
export type AtModifier = { kind: 'time'; ms: number } | { kind: 'start' } | { kind: 'end' };

export interface NumberLiteral {
  type: 'NumberLiteral';
  value: number;
  /** Written as a duration (`5m` is the scalar 300); the printer writes it back as one. */
  duration?: boolean;
  pos: PositionRange;
}

export interface StringLiteral {
  type: 'StringLiteral';
  value: string;
  pos: PositionRange;
}

export interface VectorSelector {
  type: 'VectorSelector';
  /** The metric name as written before the braces ('' when only matchers were given). */
  name: string;
  /** All matchers, including the `__name__` matcher implied by `name`. */
  matchers: LabelMatcher[];
  /** `offset` in ms (negative allowed). */
  offset: number;
  at: AtModifier | null;
  pos: PositionRange;
}

export interface MatrixSelector {
  type: 'MatrixSelector';
  vectorSelector: VectorSelector;
  /** The range in ms. */
  range: number;
  pos: PositionRange;
}

export interface SubqueryExpr {
  type: 'SubqueryExpr';
  expr: Expr;
  range: number;
  /** 0 when written without a step (`x[5m:]`). */
  step: number;
  offset: number;
  at: AtModifier | null;
  pos: PositionRange;
}

export interface Call {
  type: 'Call';
  func: FunctionSignature;
  args: Expr[];
  pos: PositionRange;
}

export interface AggregateExpr {
  type: 'AggregateExpr';
  op: AggregateOp;
  expr: Expr;
  /** The parameter of topk/bottomk/quantile/count_values/limitk/limit_ratio. */
  param: Expr | null;
  grouping: string[];
  without: boolean;
  pos: PositionRange;
}

export interface BinaryExpr {
  type: 'BinaryExpr';
  op: BinaryOp;
  lhs: Expr;
  rhs: Expr;
  /** Set when both sides are vectors (Prometheus leaves it nil otherwise). */
  matching: VectorMatching | null;
  returnBool: boolean;
  pos: PositionRange;
}

export interface UnaryExpr {
  type: 'UnaryExpr';
  op: '+' | '-';
  expr: Expr;
  pos: PositionRange;
}

export interface ParenExpr {
  type: 'ParenExpr';
  expr: Expr;
  pos: PositionRange;
}

/** Marks a subtree whose value is the same at every step (Prometheus' preprocessing adds these). */
export interface StepInvariantExpr {
  type: 'StepInvariantExpr';
  expr: Expr;
  pos: PositionRange;
}

export type Expr =
  | NumberLiteral
  | StringLiteral
  | VectorSelector
  | MatrixSelector
  | SubqueryExpr
  | Call
  | AggregateExpr
  | BinaryExpr
  | UnaryExpr
  | ParenExpr
  | StepInvariantExpr;

export interface FunctionSignature {
  name: string;
  argTypes: ValueType[];
  /** 0: exactly argTypes; n > 0: up to n extra args of the last type; -1: any number. */
  variadic: number;
  returnType: ValueType;
  /** Behind Prometheus' --enable-feature=promql-experimental-functions. */
  experimental: boolean;
}
