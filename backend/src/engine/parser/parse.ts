/**
 * PromQL text → typed AST. @prometheus-io/lezer-promql (the official grammar) does the syntax; this
 * file turns its concrete syntax tree into the Prometheus-shaped AST with Prometheus' literal rules,
 * modifier restrictions and error texts, and check.ts then type-checks the result.
 *
 * Where the lezer grammar groups differently from Prometheus' yacc grammar, the tree is corrected here:
 * - `-2 ^ 2`: lezer reads a signed number literal, Prometheus `-(2 ^ 2)` (unary binds looser than ^).
 * - `-foo offset 1m`, `a + b[5m:]`, `a * b @ 1 + c`: lezer gives postfix modifiers no precedence and
 *   may apply them to `-foo` or `a + b`, and then groups a following operator around the whole
 *   (`a + b @ 1 * 0` became `(a + b @ 1) * 0`). Prometheus binds postfix modifiers tighter than every
 *   operator, so operator chains are not taken from lezer's grouping at all: the chain is flattened to
 *   its tokens in source order and regrouped with Prometheus' precedences (see Builder.chain).
 *
 * Not supported (rejected with "unsupported: …", never mis-parsed): experimental duration expressions
 * (`[5m+1m]`, `offset (1+2)`, `step()`/`range()`/`min_of()`/`max_of()` inside durations), the
 * `anchored`/`smoothed` range modifiers, binop `fill*()` modifiers and the `</`, `>/` trim operators.
 * The lezer grammar lacks the functions `integral`, `min_of` and `max_of`; normalize.ts renames their calls
 * to same-length grammar functions before parsing and the real name is read back from the input.
 */
import type { SyntaxNode } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';
import { LabelMatcher, MatcherError, MatchType, parseMatcher } from '../../storage';
import type {
  AggregateOp,
  AtModifier,
  BinaryExpr,
  BinaryOp,
  Expr,
  MatrixSelector,
  NumberLiteral,
  PositionRange,
  SubqueryExpr,
  VectorMatching,
  VectorSelector,
} from './ast';
import { checkExpr } from './check';
import { parseError, unsupported } from './errors';
import { FUNCTIONS, getFunction } from './functions';
import { isDurationText, MAX_DURATION_SECONDS, parseDurationMs, parseNumberText } from './literals';
import { formatGoFixed, goQuote } from './go-format';
import { decodeStringLiteral, isValidUtf8, StringLiteralError } from './string-literal';
import { findLexError, stringLiteralError } from './lexer';
import { normalizeForLezer } from './normalize';
import { describeToken, expectationAt } from './syntax';

/**
 * Parses a PromQL expression. Throws QueryError('bad_data') with Prometheus' message
 * (`1:5: parse error: …`) for invalid queries, or `unsupported: …` for syntax Sluice does not implement.
 */
export function parseExpr(input: string): Expr {
  const builder = new Builder(input);
  const expr = builder.build();
  checkExpr(input, expr, builder.operatorPositions);
  return expr;
}

const BINARY_OPS: Record<string, BinaryOp> = {
  Pow: '^',
  Mul: '*',
  Div: '/',
  Mod: '%',
  Atan2: 'atan2',
  Add: '+',
  Sub: '-',
  Eql: '==',
  Neq: '!=',
  Gtr: '>',
  Lss: '<',
  Gte: '>=',
  Lte: '<=',
  And: 'and',
  Or: 'or',
  Unless: 'unless',
};
/** Prometheus' binary operator precedences (generated_parser.y), loosest first. */
const PRECEDENCE: Record<BinaryOp, number> = {
  or: 1,
  and: 2,
  unless: 2,
  '==': 3,
  '!=': 3,
  '>': 3,
  '<': 3,
  '>=': 3,
  '<=': 3,
  '+': 4,
  '-': 4,
  '*': 5,
  '/': 5,
  '%': 5,
  atan2: 5,
  '^': 6,
};

/** A binary operator of a flattened chain; its modifiers are read from the lezer node. */
interface BinaryItem {
  kind: 'binary';
  node: SyntaxNode;
  opNode: SyntaxNode;
  op: BinaryOp;
}

/** One token of an operator chain (Builder.chain), in source order. */
type ChainItem =
  | { kind: 'operand'; node: SyntaxNode }
  /** The number of a signed literal; its sign is the prefix item before it. */
  | { kind: 'number'; node: SyntaxNode; tokenStart: number }
  | { kind: 'prefix'; op: string; from: number }
  | BinaryItem
  /** `[…]`, `[…:…]`, `offset …` or `@ …`; innerTo is where the modified expression ended in lezer's tree. */
  | { kind: 'postfix'; node: SyntaxNode; innerTo: number };

interface ChainCursor {
  items: ChainItem[];
  i: number;
}

const MATCH_OPS: Record<string, MatchType> = { EqlSingle: '=', Neq: '!=', EqlRegex: '=~', NeqRegex: '!~' };
const PARAM_AGGREGATIONS = new Set<AggregateOp>([
  'topk',
  'bottomk',
  'count_values',
  'quantile',
  'limitk',
  'limit_ratio',
]);
const DURATION_EXPRESSIONS = 'duration expressions (arithmetic, parentheses, step(), range(), min_of(), max_of())';

function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) {
    out.push(c);
  }
  return out;
}

function isExpr(node: SyntaxNode): boolean {
  return node.type.is('Expr');
}

/** Go's math.Round: halves away from zero. */
function goRound(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

/** Seconds → ms the way Prometheus stores a duration: rounded to ns, then truncated to ms. */
function secondsToMs(seconds: number): number {
  return Math.trunc(goRound(seconds * 1e9) / 1e6) + 0;
}

class Builder {
  /** Where each binary operator starts (bytes); check.ts points operator errors there. */
  readonly operatorPositions = new WeakMap<BinaryExpr, number>();
  /** The input after same-length rewrites for lezer; token texts are read from it. */
  private readonly text: string;
  private readonly bytes: Uint32Array | null;

  constructor(private readonly input: string) {
    this.text = normalizeForLezer(input);
    this.bytes = /^[ -~\t\n\r]*$/.test(input) ? null : utf8Offsets(input);
  }

  build(): Expr {
    if (this.text.replace(/#[^\n]*/g, '').trim() === '') {
      throw parseError(this.input, 0, 'no expression found in input');
    }
    const top = parser.parse(this.text).topNode;
    this.rejectSyntaxErrors(top);
    const exprs = children(top).filter(isExpr);
    if (exprs.length !== 1) {
      throw this.fail(exprs[1]?.from ?? 0, `unexpected ${describeToken(this.input, exprs[1]?.from ?? 0)}`);
    }
    return this.expr(exprs[0]);
  }

  /** UTF-16 index → byte offset. */
  private byteAt(i: number): number {
    return this.bytes ? this.bytes[i] : i;
  }

  private range(node: SyntaxNode): PositionRange {
    return { start: this.byteAt(node.from), end: this.byteAt(node.to) };
  }

  private slice(node: SyntaxNode): string {
    return this.text.slice(node.from, node.to);
  }

  /** Fails at a UTF-16 index of the text. */
  private fail(at: number, message: string): never {
    throw parseError(this.input, this.byteAt(at), message);
  }

  /** Fails at a byte offset (an AST position). */
  private failAtByte(bytePos: number, message: string): never {
    throw parseError(this.input, bytePos, message);
  }

  private rejectSyntaxErrors(top: SyntaxNode): void {
    let error: SyntaxNode | null = null;
    top.cursor().iterate((n) => {
      if (error) {
        return false;
      }
      if (n.type.isError) {
        error = n.node;
        return false;
      }
      return undefined;
    });
    if (error) {
      this.syntaxError(error);
    }
  }

  /** Rebuilds Prometheus' message for the first place lezer could not parse. */
  private syntaxError(error: SyntaxNode): never {
    const before = this.input.slice(0, error.from).replace(/\s+$/, '');
    const after = this.input.slice(error.from).replace(/^\s+/, '');
    const call = /([A-Za-z_:][A-Za-z0-9_:]*)$/.exec(before);
    const word = /^([A-Za-z_]+)\s*\(/.exec(after)?.[1].toLowerCase();
    if (word === 'step' || word === 'range' || word === 'min_of' || word === 'max_of') {
      // Prometheus accepts these keywords in any case; lezer only in lower case.
      throw unsupported(`${DURATION_EXPRESSIONS} are not supported`);
    }
    if (call && after.startsWith('(')) {
      const name = call[1];
      if (FUNCTIONS.has(name)) {
        throw unsupported(`the function ${goQuote(name)} is not in the lezer-promql grammar`);
      }
      this.fail(before.length - name.length, `unknown function with name ${goQuote(name)}`);
    }
    if (before.endsWith(',') && after.startsWith(')') && insideCall(error)) {
      this.fail(before.length - 1, 'trailing commas not allowed in function call args');
    }
    const at = this.text.length - after.length;
    const lexError = findLexError(this.input);
    if (lexError && lexError.tokenStart <= at) {
      this.fail(lexError.at, lexError.message);
    }
    this.fail(at, `unexpected ${describeToken(this.input, at)}${expectationAt(this.input, at)}`);
  }

  private expr(node: SyntaxNode): Expr {
    switch (node.name) {
      case 'NumberDurationLiteral':
        // A signed literal is a unary operator for precedence: `-2 ^ 2` is -(2 ^ 2).
        return /^[+-]/.test(this.slice(node)) ? this.chain(node) : this.numberLiteral(node);
      case 'StringLiteral':
        return { type: 'StringLiteral', value: this.stringValue(node), pos: this.range(node) };
      case 'VectorSelector':
        return this.vectorSelector(node);
      case 'ParenExpr':
        return { type: 'ParenExpr', expr: this.onlyExpr(node), pos: this.range(node) };
      case 'UnaryExpr':
      case 'BinaryExpr':
      case 'MatrixSelector':
      case 'SubqueryExpr':
      case 'OffsetExpr':
      case 'StepInvariantExpr':
        return this.chain(node);
      case 'FunctionCall':
        return this.call(node);
      case 'AggregateExpr':
        return this.aggregate(node);
      case 'AnchoredExpr':
      case 'SmoothedExpr':
        throw unsupported('the anchored and smoothed range modifiers are not supported');
      default:
        return this.fail(node.from, `unexpected ${describeToken(this.input, node.from)}`);
    }
  }

  private onlyExpr(node: SyntaxNode): Expr {
    const inner = children(node).find(isExpr);
    if (!inner) {
      return this.fail(node.to, `unexpected ${describeToken(this.input, node.to)}`);
    }
    return this.expr(inner);
  }

  /** A literal such as `1`, `-0x1F`, `Inf`, `1h30m`; a sign is folded in as Prometheus does. */
  private numberLiteral(node: SyntaxNode): NumberLiteral {
    const raw = this.slice(node);
    const token = unsignedToken(raw);
    const tokenStart = node.to - token.length;
    const lit = this.literalValue(token, tokenStart);
    const sign = raw[0] === '-' || raw[0] === '+' ? raw[0] : '';
    const value = sign === '-' ? -lit.value : lit.value;
    return {
      type: 'NumberLiteral',
      value,
      ...(lit.duration ? { duration: true } : {}),
      pos: { start: this.byteAt(node.from), end: this.byteAt(node.to) },
    };
  }

  private literalValue(token: string, at: number): { value: number; duration: boolean } {
    if (isDurationText(token)) {
      let ms: number;
      try {
        ms = parseDurationMs(token);
      } catch (e) {
        return this.fail(at, (e as Error).message);
      }
      // time.Duration.Seconds(): whole seconds plus the remainder, like Go.
      const whole = Math.trunc(ms / 1000);
      return { value: whole + ((ms - whole * 1000) * 1e6) / 1e9, duration: true };
    }
    const value = parseNumberText(token);
    if (value === null) {
      return this.fail(at, `error parsing number: strconv.ParseFloat: parsing ${goQuote(token)}: invalid syntax`);
    }
    if (!Number.isFinite(value) && !Number.isNaN(value) && !/^inf/i.test(token)) {
      return this.fail(at, `error parsing number: strconv.ParseFloat: parsing ${goQuote(token)}: value out of range`);
    }
    return { value, duration: false };
  }

  private stringValue(node: SyntaxNode): string {
    const raw = this.slice(node);
    try {
      return decodeStringLiteral(raw);
    } catch (e) {
      if (!(e instanceof StringLiteralError)) {
        throw e;
      }
      return this.fail(node.from, stringLiteralError(raw) ?? e.message);
    }
  }

  /** Prometheus folds a sign into a number literal; otherwise it is a UnaryExpr. */
  private unary(op: string, inner: Expr, start: number): Expr {
    const pos = { start, end: inner.pos.end };
    if (inner.type === 'NumberLiteral') {
      return { ...inner, value: op === '-' ? -inner.value : inner.value, pos };
    }
    return { type: 'UnaryExpr', op: op === '-' ? '-' : '+', expr: inner, pos };
  }

  private vectorSelector(node: SyntaxNode): VectorSelector {
    const id = node.getChild('Identifier');
    const name = id ? this.slice(id) : '';
    const matchers: LabelMatcher[] = [];
    const list = node.getChild('LabelMatchers');
    for (const m of list ? children(list) : []) {
      if (m.name === 'QuotedLabelName') {
        // A bare quoted string names the metric: {"my.metric"}.
        matchers.push(this.matcher('=', '__name__', this.stringValue(m.firstChild ?? m), m.from));
      } else if (m.name === 'UnquotedLabelMatcher' || m.name === 'QuotedLabelMatcher') {
        const labelNode = m.firstChild;
        const opNode = m.getChild('MatchOp')?.firstChild;
        const valueNode = m.lastChild;
        if (!labelNode || !opNode || !valueNode) {
          return this.fail(m.from, `unexpected ${describeToken(this.input, m.from)}`);
        }
        const label =
          labelNode.name === 'QuotedLabelName'
            ? this.stringValue(labelNode.firstChild ?? labelNode)
            : this.slice(labelNode);
        matchers.push(this.matcher(MATCH_OPS[opNode.name], label, this.stringValue(valueNode), m.from));
      }
    }
    if (name !== '') {
      // Prometheus appends the name matcher after the braces' matchers.
      matchers.push(this.matcher('=', '__name__', name, node.from));
    }
    return { type: 'VectorSelector', name, matchers, offset: 0, at: null, pos: this.range(node) };
  }

  private matcher(type: MatchType, name: string, value: string, at: number): LabelMatcher {
    try {
      return parseMatcher(type, name, value);
    } catch (e) {
      if (e instanceof MatcherError) {
        return this.fail(at, e.message);
      }
      throw e;
    }
  }

  private groupingLabels(node: SyntaxNode | null): string[] {
    const labels: string[] = [];
    for (const c of node ? children(node) : []) {
      if (c.name === 'LabelName') {
        labels.push(this.slice(c));
      } else if (c.name === 'QuotedLabelName') {
        const label = this.stringValue(c.firstChild ?? c);
        // Prometheus' UTF-8 label name rule: non-empty and valid UTF-8.
        if (label === '' || !isValidUtf8(label)) {
          this.fail(c.from, `invalid label name for grouping: ${goQuote(label)}`);
        }
        labels.push(label);
      }
    }
    return labels;
  }

  /**
   * An operator chain: binary and unary operators, signed literals and postfix modifiers (`[…]`,
   * `offset`, `@`). lezer's grouping of these is not Prometheus' (see the file comment), so the chain
   * is flattened to its tokens in source order and regrouped by precedence climbing with the
   * precedences of Prometheus' yacc grammar. Operands (parentheses, selectors, calls, …) are built
   * as they are reached, so errors come in source order as before.
   */
  private chain(node: SyntaxNode): Expr {
    const items: ChainItem[] = [];
    this.flatten(node, items);
    const cursor = { items, i: 0 };
    const e = this.chainBinary(cursor, 0);
    if (cursor.i !== items.length) {
      // Cannot happen for a tree lezer accepted; guards against silently dropping tokens.
      return this.fail(node.from, `unexpected ${describeToken(this.input, node.from)}`);
    }
    return e;
  }

  private flatten(node: SyntaxNode, out: ChainItem[]): void {
    switch (node.name) {
      case 'BinaryExpr': {
        const kids = children(node);
        const exprs = kids.filter(isExpr);
        const opNode = kids.find(
          (k) => !isExpr(k) && (k.name in BINARY_OPS || k.name === 'TrimUpper' || k.name === 'TrimLower')
        );
        if (!opNode || exprs.length !== 2) {
          return this.fail(node.from, `unexpected ${describeToken(this.input, node.from)}`);
        }
        if (opNode.name === 'TrimUpper' || opNode.name === 'TrimLower') {
          throw unsupported('the trim operators </ and >/ are not supported');
        }
        if (node.getChild('FillModifier')) {
          throw unsupported('the fill(), fill_left() and fill_right() binary operator modifiers are not supported');
        }
        this.flatten(exprs[0], out);
        out.push({ kind: 'binary', node, opNode, op: BINARY_OPS[opNode.name] });
        this.flatten(exprs[1], out);
        return;
      }
      case 'UnaryExpr': {
        const op = node.getChild('UnaryOp');
        const inner = children(node).find(isExpr);
        if (!inner) {
          return this.fail(node.to, `unexpected ${describeToken(this.input, node.to)}`);
        }
        out.push({ kind: 'prefix', op: op ? this.slice(op) : '+', from: node.from });
        this.flatten(inner, out);
        return;
      }
      case 'NumberDurationLiteral': {
        const raw = this.slice(node);
        if (/^[+-]/.test(raw)) {
          const token = unsignedToken(raw);
          out.push({ kind: 'prefix', op: raw[0], from: node.from });
          out.push({ kind: 'number', node, tokenStart: node.to - token.length });
        } else {
          out.push({ kind: 'operand', node });
        }
        return;
      }
      case 'MatrixSelector':
      case 'SubqueryExpr':
      case 'OffsetExpr':
      case 'StepInvariantExpr': {
        const inner = children(node).find(isExpr);
        if (!inner) {
          return this.fail(node.from, `unexpected ${describeToken(this.input, node.from)}`);
        }
        this.flatten(inner, out);
        out.push({ kind: 'postfix', node, innerTo: inner.to });
        return;
      }
      default:
        out.push({ kind: 'operand', node });
    }
  }

  /** Binary operators of precedence ≥ minPrec; `^` is right-associative, all others left. */
  private chainBinary(c: ChainCursor, minPrec: number): Expr {
    let lhs = this.chainUnary(c);
    for (;;) {
      const item = c.items[c.i];
      if (item?.kind !== 'binary' || PRECEDENCE[item.op] < minPrec) {
        return lhs;
      }
      c.i++;
      const prec = PRECEDENCE[item.op];
      const rhs = this.chainBinary(c, item.op === '^' ? prec : prec + 1);
      lhs = this.binary(item, lhs, rhs);
    }
  }

  /**
   * A prefix-signed operand. Prometheus' unary rule has the precedence of `*`: its operand takes
   * `^` chains (`-a ^ b` is -(a ^ b)) but not `*` (`-a * b` is (-a) * b). Postfix modifiers bind
   * tighter than the sign (`-a offset 1m` is -(a offset 1m)).
   */
  private chainUnary(c: ChainCursor): Expr {
    const item = c.items[c.i++];
    if (item?.kind === 'prefix') {
      const operand = this.chainBinary(c, PRECEDENCE['^']);
      return this.unary(item.op, operand, this.byteAt(item.from));
    }
    let e: Expr;
    if (item?.kind === 'operand') {
      e = this.expr(item.node);
    } else if (item?.kind === 'number') {
      e = this.unsignedNumber(item.node, item.tokenStart);
    } else {
      const at = item ? item.node.from : this.text.length;
      return this.fail(at, `unexpected ${describeToken(this.input, at)}`);
    }
    for (let next = c.items[c.i]; next?.kind === 'postfix'; next = c.items[c.i]) {
      c.i++;
      e = this.applyPostfix(next.node, next.innerTo, e);
    }
    return e;
  }

  /** The number of a signed literal without its sign (chainUnary folds the sign back in). */
  private unsignedNumber(node: SyntaxNode, tokenStart: number): NumberLiteral {
    const lit = this.literalValue(this.text.slice(tokenStart, node.to), tokenStart);
    return {
      type: 'NumberLiteral',
      value: lit.value,
      ...(lit.duration ? { duration: true } : {}),
      pos: { start: this.byteAt(tokenStart), end: this.byteAt(node.to) },
    };
  }

  private binary(item: BinaryItem, lhs: Expr, rhs: Expr): BinaryExpr {
    const { node, opNode, op } = item;
    const matching: VectorMatching = { card: 'one-to-one', matchingLabels: [], on: false, include: [] };
    const clause = node.getChild('MatchingModifierClause');
    if (clause) {
      const groups = clause.getChildren('GroupingLabels');
      matching.on = clause.getChild('On') !== null;
      matching.matchingLabels = this.groupingLabels(groups[0] ?? null);
      if (clause.getChild('GroupLeft') || clause.getChild('GroupRight')) {
        matching.card = clause.getChild('GroupLeft') ? 'many-to-one' : 'one-to-many';
        matching.include = this.groupingLabels(groups[1] ?? null);
      }
    }
    const bin: BinaryExpr = {
      type: 'BinaryExpr',
      op,
      lhs,
      rhs,
      matching,
      returnBool: node.getChild('BoolModifier') !== null,
      pos: { start: lhs.pos.start, end: rhs.pos.end },
    };
    this.operatorPositions.set(bin, this.byteAt(opNode.from));
    return bin;
  }

  private applyPostfix(node: SyntaxNode, innerTo: number, operand: Expr): Expr {
    switch (node.name) {
      case 'MatrixSelector':
        return this.matrixSelector(node, innerTo, operand);
      case 'SubqueryExpr':
        return this.subquery(node, operand);
      case 'OffsetExpr':
        return this.offset(node, operand);
      default:
        return this.at(node, operand);
    }
  }

  private call(node: SyntaxNode): Expr {
    const ident = node.getChild('FunctionIdentifier');
    // From the original text: normalizeForLezer may have renamed the call (integral → increase).
    const name = ident ? this.input.slice(ident.from, ident.to) : '';
    const func = getFunction(name);
    if (!ident || !func) {
      return this.fail(ident?.from ?? node.from, `unknown function with name ${goQuote(name)}`);
    }
    const body = node.getChild('FunctionCallBody');
    const args = body
      ? children(body)
          .filter(isExpr)
          .map((a) => this.expr(a))
      : [];
    return { type: 'Call', func, args, pos: this.range(node) };
  }

  private aggregate(node: SyntaxNode): Expr {
    const opNode = node.getChild('AggregateOp');
    const op = (opNode ? this.slice(opNode) : '').toLowerCase() as AggregateOp;
    let grouping: string[] = [];
    let without = false;
    let args: Expr[] = [];
    // In source order, so the first error is the one Prometheus would report.
    for (const c of children(node)) {
      if (c.name === 'AggregateModifier') {
        without = c.getChild('Without') !== null;
        grouping = this.groupingLabels(c.getChild('GroupingLabels'));
      } else if (c.name === 'FunctionCallBody') {
        args = children(c)
          .filter(isExpr)
          .map((a) => this.expr(a));
      }
    }
    const start = this.byteAt(node.from);
    if (args.length === 0) {
      return this.fail(node.from, 'no arguments for aggregate expression provided');
    }
    const wanted = PARAM_AGGREGATIONS.has(op) ? 2 : 1;
    if (args.length !== wanted) {
      return this.fail(
        node.from,
        `wrong number of arguments for aggregate expression provided, expected ${wanted}, got ${args.length}`
      );
    }
    return {
      type: 'AggregateExpr',
      op,
      expr: args[wanted - 1],
      param: wanted === 2 ? args[0] : null,
      grouping,
      without,
      pos: { start, end: this.byteAt(node.to) },
    };
  }

  /** Seconds of a duration in `[...]` or after `offset`: a (signed) number or duration literal. */
  private durationSeconds(node: SyntaxNode): { value: number; at: number } {
    const kids = children(node);
    if (kids.length === 1 && kids[0].name === 'NumberDurationLiteralInDurationContext') {
      const { value } = this.literalValue(this.slice(kids[0]), kids[0].from);
      if (Math.abs(value) > MAX_DURATION_SECONDS) {
        this.fail(kids[0].from, 'duration out of range');
      }
      return { value, at: kids[0].from };
    }
    if (kids.length === 2 && kids[0].name === 'UnaryOp') {
      const inner = this.durationSeconds(kids[1]);
      const value = this.slice(kids[0]) === '-' ? -inner.value : inner.value;
      if (Math.abs(value) > MAX_DURATION_SECONDS) {
        this.fail(kids[0].from, 'duration out of range');
      }
      return { value, at: kids[0].from };
    }
    throw unsupported(`${DURATION_EXPRESSIONS} are not supported`);
  }

  /** A range or subquery step in ms; Prometheus requires it to be positive. */
  private positiveDurationMs(node: SyntaxNode): number {
    const { value, at } = this.durationSeconds(node);
    if (value <= 0) {
      this.fail(at, 'duration must be greater than 0');
    }
    return secondsToMs(value);
  }

  private bracketAt(node: SyntaxNode, after: number): number {
    const i = this.text.indexOf('[', after);
    return i < 0 ? node.from : i;
  }

  private matrixSelector(node: SyntaxNode, innerTo: number, e: Expr): MatrixSelector {
    const durationNode = node.getChild('DurationExpr');
    if (!durationNode) {
      return this.fail(node.from, `unexpected ${describeToken(this.input, node.from)}`);
    }
    const bracket = this.bracketAt(node, innerTo);
    const range = this.positiveDurationMs(durationNode);
    if (e.type !== 'VectorSelector') {
      return this.fail(bracket, 'ranges only allowed for vector selectors');
    }
    if (e.offset !== 0) {
      return this.fail(bracket, 'no offset modifiers allowed before range');
    }
    if (e.at) {
      return this.fail(bracket, 'no @ modifiers allowed before range');
    }
    return {
      type: 'MatrixSelector',
      vectorSelector: e,
      range,
      pos: { start: e.pos.start, end: this.byteAt(node.to) },
    };
  }

  private subquery(node: SyntaxNode, e: Expr): SubqueryExpr {
    const durations = node.getChildren('DurationExpr');
    if (durations.length === 0) {
      return this.fail(node.from, `unexpected ${describeToken(this.input, node.from)}`);
    }
    const range = this.positiveDurationMs(durations[0]);
    const step = durations.length > 1 ? this.positiveDurationMs(durations[1]) : 0;
    return {
      type: 'SubqueryExpr',
      expr: e,
      range,
      step,
      offset: 0,
      at: null,
      pos: { start: e.pos.start, end: this.byteAt(node.to) },
    };
  }

  /** The selector or subquery a modifier applies to (Prometheus' addOffset/getAtModifierVars). */
  private modifierTarget(e: Expr, modifier: 'offset' | '@'): VectorSelector | SubqueryExpr {
    if (e.type === 'VectorSelector' || e.type === 'SubqueryExpr') {
      return e;
    }
    if (e.type === 'MatrixSelector') {
      return e.vectorSelector;
    }
    return this.failAtByte(
      e.pos.start,
      `${modifier} modifier must be preceded by an instant vector selector or range vector selector or a subquery`
    );
  }

  private offset(node: SyntaxNode, e: Expr): Expr {
    const durationNode = node.getChild('OffsetDurationExpr');
    if (!durationNode) {
      return this.fail(node.from, `unexpected ${describeToken(this.input, node.from)}`);
    }
    const ms = secondsToMs(this.durationSeconds(durationNode).value);
    const target = this.modifierTarget(e, 'offset');
    if (target.offset !== 0) {
      this.failAtByte(e.pos.start, 'offset may not be set multiple times');
    }
    target.offset = ms;
    e.pos = { start: e.pos.start, end: this.byteAt(node.to) };
    return e;
  }

  private at(node: SyntaxNode, e: Expr): Expr {
    const preprocessor = node.getChild('AtModifierPreprocessors');
    let at: AtModifier;
    if (preprocessor) {
      at = { kind: this.slice(preprocessor).toLowerCase() === 'start' ? 'start' : 'end' };
    } else {
      const literal = node.getChild('NumberDurationLiteral');
      const seconds = literal ? this.numberLiteral(literal).value : NaN;
      if (!Number.isFinite(seconds) || Math.abs(seconds) >= 2 ** 63) {
        this.failAtByte(e.pos.start, `timestamp out of bounds for @ modifier: ${formatGoFixed(seconds)}`);
      }
      at = { kind: 'time', ms: goRound(seconds * 1000) + 0 };
    }
    const target = this.modifierTarget(e, '@');
    if (target.at) {
      this.failAtByte(e.pos.start, '@ <timestamp> may not be set multiple times');
    }
    target.at = at;
    e.pos = { start: e.pos.start, end: this.byteAt(node.to) };
    return e;
  }
}

/** The number token of a literal written with an optional sign (`- 5`, `+Inf`). */
function unsignedToken(raw: string): string {
  const unsigned = raw.replace(/^[+-]/, '');
  return /\S+$/.exec(unsigned)?.[0] ?? unsigned;
}

function insideCall(node: SyntaxNode): boolean {
  for (let n: SyntaxNode | null = node; n; n = n.parent) {
    if (n.name === 'FunctionCallBody') {
      return true;
    }
  }
  return false;
}

/** Byte offset of every UTF-16 index (and of the end). */
function utf8Offsets(s: string): Uint32Array {
  const out = new Uint32Array(s.length + 1);
  let b = 0;
  for (let i = 0; i < s.length; i++) {
    out[i] = b;
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      b += 1;
    } else if (c < 0x800) {
      b += 2;
    } else if (c >= 0xd800 && c <= 0xdbff) {
      b += 4;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      b += 0;
    } else {
      b += 3;
    }
  }
  out[s.length] = b;
  return out;
}
