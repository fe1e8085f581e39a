import { QueryError } from '../api';
import type { Expr } from '../parser/ast';

/** The expression inside any parentheses. */
export function unwrap(e: Expr): Expr {
  return e.type === 'ParenExpr' || e.type === 'StepInvariantExpr' ? unwrap(e.expr) : e;
}

/** The value of a string-literal argument (the parser has checked the type already). */
export function stringValue(e: Expr): string {
  const u = unwrap(e);
  if (u.type !== 'StringLiteral') {
    throw new QueryError('bad_data', `expected a string literal, got ${u.type}`);
  }
  return u.value;
}
