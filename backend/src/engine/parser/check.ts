/**
 * Type checks after a successful parse, in the order of Prometheus' parser.checkAST so that the first
 * error reported (Prometheus reports only the first) is the same one, with the same text and position.
 */
import { matchesValue } from '../../storage';
import type { BinaryExpr, BinaryOp, Call, Expr, ValueType, VectorSelector } from './ast';
import { parseError } from './errors';
import { goQuote } from './go-format';
import { documentedType, exprType } from './types';

const COMPARISON_OPS = new Set<BinaryOp>(['==', '!=', '>', '<', '>=', '<=']);
const SET_OPS = new Set<BinaryOp>(['and', 'or', 'unless']);
const SCALAR_PARAM_AGGREGATIONS = new Set(['topk', 'bottomk', 'quantile', 'limitk', 'limit_ratio']);

export function isComparisonOp(op: BinaryOp): boolean {
  return COMPARISON_OPS.has(op);
}

export function isSetOp(op: BinaryOp): boolean {
  return SET_OPS.has(op);
}

/**
 * Checks `root` and normalises vector matching like Prometheus: set operators become many-to-many,
 * and `matching` is dropped when a side is not an instant vector. `operatorPositions` gives the byte
 * offset of each binary operator, where Prometheus points its operator errors.
 */
export function checkExpr(query: string, root: Expr, operatorPositions: WeakMap<BinaryExpr, number>): void {
  new Checker(query, operatorPositions).check(root);
}

class Checker {
  /** info()'s label-selector argument may match everything (Prometheus' BypassEmptyMatcherCheck). */
  private readonly bypassEmptyMatcherCheck = new WeakSet<VectorSelector>();

  constructor(
    private readonly query: string,
    private readonly operatorPositions: WeakMap<BinaryExpr, number>
  ) {}

  private fail(bytePos: number, message: string): never {
    throw parseError(this.query, bytePos, message);
  }

  private expectType(e: Expr, want: ValueType, context: string): void {
    const t = this.check(e);
    if (t !== want) {
      this.fail(e.pos.start, `expected type ${documentedType(want)} in ${context}, got ${documentedType(t)}`);
    }
  }

  check(node: Expr): ValueType {
    switch (node.type) {
      case 'AggregateExpr':
        this.expectType(node.expr, 'vector', 'aggregation expression');
        if (node.param && SCALAR_PARAM_AGGREGATIONS.has(node.op)) {
          this.expectType(node.param, 'scalar', 'aggregation parameter');
        }
        if (node.param && node.op === 'count_values') {
          this.expectType(node.param, 'string', 'aggregation parameter');
        }
        break;
      case 'BinaryExpr':
        this.checkBinary(node);
        break;
      case 'Call':
        this.checkCall(node);
        break;
      case 'ParenExpr':
      case 'StepInvariantExpr':
        this.check(node.expr);
        break;
      case 'UnaryExpr': {
        const t = this.check(node.expr);
        if (t !== 'scalar' && t !== 'vector') {
          this.fail(
            node.pos.start,
            `unary expression only allowed on expressions of type scalar or instant vector, got ${goQuote(documentedType(t))}`
          );
        }
        break;
      }
      case 'SubqueryExpr': {
        const t = this.check(node.expr);
        if (t !== 'vector') {
          this.fail(node.pos.start, `subquery is only allowed on instant vector, got ${t} instead`);
        }
        break;
      }
      case 'MatrixSelector':
        this.check(node.vectorSelector);
        break;
      case 'VectorSelector':
        this.checkVectorSelector(node);
        break;
      case 'NumberLiteral':
      case 'StringLiteral':
        break;
    }
    return exprType(node);
  }

  private checkBinary(node: BinaryExpr): void {
    const lt = this.check(node.lhs);
    const rt = this.check(node.rhs);
    const opPos = this.operatorPositions.get(node) ?? node.pos.start;
    if (node.returnBool && !isComparisonOp(node.op)) {
      this.fail(opPos, 'bool modifier can only be used on comparison operators');
    }
    if (isComparisonOp(node.op) && !node.returnBool && lt === 'scalar' && rt === 'scalar') {
      this.fail(opPos, 'comparisons between scalars must use BOOL modifier');
    }
    const vm = node.matching;
    if (vm && isSetOp(node.op) && vm.card === 'one-to-one') {
      vm.card = 'many-to-many';
    }
    if (vm?.on) {
      for (const l of vm.matchingLabels) {
        if (vm.include.includes(l)) {
          this.fail(opPos, `label ${goQuote(l)} must not occur in ON and GROUP clause at once`);
        }
      }
    }
    if (lt !== 'scalar' && lt !== 'vector') {
      this.fail(node.lhs.pos.start, 'binary expression must contain only scalar and instant vector types');
    }
    if (rt !== 'scalar' && rt !== 'vector') {
      this.fail(node.rhs.pos.start, 'binary expression must contain only scalar and instant vector types');
    }
    if ((lt !== 'vector' || rt !== 'vector') && vm) {
      if (vm.matchingLabels.length > 0) {
        this.fail(node.pos.start, 'vector matching only allowed between instant vectors');
      }
      node.matching = null;
    } else if (vm && isSetOp(node.op)) {
      if (vm.card === 'one-to-many' || vm.card === 'many-to-one') {
        this.fail(node.pos.start, `no grouping allowed for ${goQuote(node.op)} operation`);
      }
      if (vm.card !== 'many-to-many') {
        this.fail(node.pos.start, 'set operations must always be many-to-many');
      }
    }
    if ((lt === 'scalar' || rt === 'scalar') && isSetOp(node.op)) {
      this.fail(node.pos.start, `set operator ${goQuote(node.op)} not allowed in binary scalar expression`);
    }
  }

  private checkCall(node: Call): void {
    const f = node.func;
    const args = node.args;
    const nargs = f.argTypes.length;
    const name = goQuote(f.name);
    if (f.variadic === 0) {
      if (nargs !== args.length) {
        this.fail(node.pos.start, `expected ${nargs} argument(s) in call to ${name}, got ${args.length}`);
      }
    } else {
      const min = nargs - 1;
      if (min > args.length) {
        this.fail(node.pos.start, `expected at least ${min} argument(s) in call to ${name}, got ${args.length}`);
      } else if (f.variadic > 0 && min + f.variadic < args.length) {
        this.fail(
          node.pos.start,
          `expected at most ${min + f.variadic} argument(s) in call to ${name}, got ${args.length}`
        );
      }
    }
    if (f.name === 'info' && args.length > 1) {
      const selector = args[1];
      const t = exprType(selector);
      if (t !== 'vector') {
        this.fail(node.pos.start, `expected type instant vector in call to function ${name}, got ${documentedType(t)}`);
      }
      if (selector.type !== 'VectorSelector') {
        this.fail(selector.pos.start, 'expected label selectors only');
      }
      if (selector.name !== '') {
        this.fail(selector.pos.start, 'expected label selectors only, got vector selector instead');
      }
      this.bypassEmptyMatcherCheck.add(selector);
    }
    for (let i = 0; i < args.length; i++) {
      let j = i;
      if (i >= nargs) {
        if (f.variadic === 0) {
          // Prometheus does not look at surplus arguments of a fixed-arity function.
          break;
        }
        j = nargs - 1;
      }
      const t = this.check(args[i]);
      if (t !== f.argTypes[j]) {
        this.fail(
          args[i].pos.start,
          `expected type ${documentedType(f.argTypes[j])} in call to function ${name}, got ${documentedType(t)}`
        );
      }
    }
  }

  private checkVectorSelector(node: VectorSelector): void {
    if (node.name !== '') {
      // The last matcher is the one implied by the name; an earlier __name__ matcher sets it twice.
      for (const m of node.matchers.slice(0, -1)) {
        if (m.name === '__name__') {
          this.fail(node.pos.start, `metric name must not be set twice: ${goQuote(node.name)} or ${goQuote(m.value)}`);
        }
      }
      return;
    }
    if (!this.bypassEmptyMatcherCheck.has(node) && node.matchers.every((m) => matchesValue(m, ''))) {
      // Guards against selecting every series by accident (e.g. a typo'd `{job=~".*"}`).
      this.fail(node.pos.start, 'vector selector must contain at least one non-empty matcher');
    }
  }
}
