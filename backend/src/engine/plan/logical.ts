/**
 * The logical plan: the parsed tree normalised for execution. Parentheses go (they only matter to the
 * printer), and `@ start()` / `@ end()` and the functions start(), end(), range() and step() become
 * the query's actual values, which the whole tree (subqueries included) shares.
 */
import type { AtModifier, Expr } from '../parser/ast';

const QUERY_CONSTANTS: Record<string, (start: number, end: number, step: number) => number> = {
  start: (start) => start / 1000,
  end: (_start, end) => end / 1000,
  range: (start, end) => (end - start) / 1000,
  step: (_start, _end, step) => step / 1000,
};

export function logicalPlan(expr: Expr, start: number, end: number, step: number): Expr {
  const at = (m: AtModifier | null): AtModifier | null =>
    m === null || m.kind === 'time' ? m : { kind: 'time', ms: m.kind === 'start' ? start : end };
  const visit = (e: Expr): Expr => {
    switch (e.type) {
      case 'ParenExpr':
      case 'StepInvariantExpr':
        return visit(e.expr);
      case 'VectorSelector':
        return { ...e, at: at(e.at) };
      case 'MatrixSelector':
        return { ...e, vectorSelector: { ...e.vectorSelector, at: at(e.vectorSelector.at) } };
      case 'SubqueryExpr':
        return { ...e, expr: visit(e.expr), at: at(e.at) };
      case 'Call': {
        const constant = QUERY_CONSTANTS[e.func.name];
        if (constant !== undefined && e.args.length === 0) {
          return { type: 'NumberLiteral', value: constant(start, end, step), pos: e.pos };
        }
        return { ...e, args: e.args.map(visit) };
      }
      case 'AggregateExpr':
        return { ...e, expr: visit(e.expr), param: e.param && visit(e.param) };
      case 'BinaryExpr':
        return { ...e, lhs: visit(e.lhs), rhs: visit(e.rhs) };
      case 'UnaryExpr':
        return { ...e, expr: visit(e.expr) };
      case 'NumberLiteral':
      case 'StringLiteral':
        return e;
    }
  };
  return visit(expr);
}
