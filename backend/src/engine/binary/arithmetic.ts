/** Element-wise arithmetic with Go's float64 semantics, as Prometheus computes it, and comparisons. */
import type { ArithmeticOp, BinaryOp, ComparisonOp } from '../parser/ast';
import { compare } from './comparison';

/**
 * Go's math.Pow. JS `**` agrees with it except where Go follows C99 and JS does not:
 * Pow(1, y) = 1 for every y (NaN too) and Pow(-1, ±Inf) = 1.
 */
export function goPow(x: number, y: number): number {
  if (y === 0 || x === 1) {
    return 1;
  }
  if (x === -1 && (y === Infinity || y === -Infinity)) {
    return 1;
  }
  return x ** y;
}

/**
 * `%` is Go's math.Mod (the result takes the dividend's sign; JS `%` is the same IEEE fmod), `/` by
 * zero gives ±Inf or NaN.
 */
export function arithmetic(op: ArithmeticOp, l: number, r: number): number {
  switch (op) {
    case '+':
      return l + r;
    case '-':
      return l - r;
    case '*':
      return l * r;
    case '/':
      return l / r;
    case '%':
      return l % r;
    case '^':
      return goPow(l, r);
    case 'atan2':
      return Math.atan2(l, r);
  }
}

export function isArithmeticOp(op: BinaryOp): op is ArithmeticOp {
  return op === '+' || op === '-' || op === '*' || op === '/' || op === '%' || op === '^' || op === 'atan2';
}

/**
 * The result of `l op r` for one pair of samples: the arithmetic result; for a comparison 0 or 1 with
 * `bool`, else `kept` where it holds and undefined where it drops the sample.
 */
export function binaryValue(
  op: ArithmeticOp | ComparisonOp,
  l: number,
  r: number,
  returnBool: boolean,
  kept: number
): number | undefined {
  if (isArithmeticOp(op)) {
    return arithmetic(op, l, r);
  }
  const holds = compare(op, l, r);
  if (returnBool) {
    return Number(holds);
  }
  return holds ? kept : undefined;
}

/** Whether the result drops the metric name (and the other metadata labels): all but filtering comparisons. */
export function dropsMetricName(op: ArithmeticOp | ComparisonOp, returnBool: boolean): boolean {
  return returnBool || isArithmeticOp(op);
}
