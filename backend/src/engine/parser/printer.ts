/**
 * AST → PromQL text, byte for byte like Prometheus' Expr.String() (promql/parser/printer.go). The
 * conformance runner re-prints queries with Go's printer and sends them to Sluice, and Sluice's own
 * callers (e.g. the `@`-pinning re-checks) need the same canonical text.
 */
import type { LabelMatcher } from '../../storage';
import type { AtModifier, BinaryExpr, Expr, VectorSelector } from './ast';
import { compareUtf8, formatFloat, goQuote } from './go-format';

export function printExpr(e: Expr): string {
  switch (e.type) {
    case 'NumberLiteral':
      return e.duration ? formatDurationSeconds(e.value) : formatFloat(e.value);
    case 'StringLiteral':
      return goQuote(e.value);
    case 'VectorSelector':
      return printSelector(e) + printAt(e.at) + printOffset(e.offset);
    case 'MatrixSelector': {
      const vs = e.vectorSelector;
      return `${printSelector(vs)}[${formatDuration(e.range)}]${printAt(vs.at)}${printOffset(vs.offset)}`;
    }
    case 'SubqueryExpr': {
      const step = e.step !== 0 ? formatDuration(e.step) : '';
      return `${printExpr(e.expr)}[${formatDuration(e.range)}:${step}]${printAt(e.at)}${printOffset(e.offset)}`;
    }
    case 'Call':
      return `${e.func.name}(${e.args.map(printExpr).join(', ')})`;
    case 'AggregateExpr': {
      let s = e.op;
      if (e.without) {
        s += ` without (${printLabels(e.grouping)}) `;
      } else if (e.grouping.length > 0) {
        s += ` by (${printLabels(e.grouping)}) `;
      }
      return `${s}(${e.param ? printExpr(e.param) + ', ' : ''}${printExpr(e.expr)})`;
    }
    case 'BinaryExpr':
      return `${printExpr(e.lhs)} ${e.op}${e.returnBool ? ' bool' : ''}${printMatching(e)} ${printExpr(e.rhs)}`;
    case 'UnaryExpr':
      return e.op + printExpr(e.expr);
    case 'ParenExpr':
      return `(${printExpr(e.expr)})`;
    case 'StepInvariantExpr':
      return printExpr(e.expr);
  }
}

function printMatching(e: BinaryExpr): string {
  const vm = e.matching;
  if (!vm) {
    return '';
  }
  const grouped = vm.card === 'many-to-one' || vm.card === 'one-to-many';
  let s = '';
  if (vm.matchingLabels.length > 0 || vm.on || grouped) {
    s += ` ${vm.on ? 'on' : 'ignoring'} (${printLabels(vm.matchingLabels)})`;
  }
  if (grouped) {
    s += ` group_${vm.card === 'many-to-one' ? 'left' : 'right'} (${printLabels(vm.include)})`;
  }
  return s;
}

/** Name and braces only; the `__name__` matcher implied by the name is not repeated. */
function printSelector(vs: VectorSelector): string {
  const parts: string[] = [];
  for (const m of vs.matchers) {
    if (m.name === '__name__' && m.type === '=' && m.value === vs.name && m.value !== '') {
      continue;
    }
    parts.push(printMatcher(m));
  }
  // Go sorts the matcher strings byte-wise (UTF-8), which is not JS's UTF-16 order for all texts.
  parts.sort(compareUtf8);
  return parts.length > 0 ? `${vs.name}{${parts.join(',')}}` : vs.name;
}

function printMatcher(m: LabelMatcher): string {
  return `${printLabelName(m.name)}${m.type}${goQuote(m.value)}`;
}

const LEGACY_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A label name as Prometheus prints it: quoted unless it is a legacy (pre-UTF-8) name. */
export function printLabelName(name: string): string {
  return LEGACY_LABEL_NAME.test(name) ? name : goQuote(name);
}

function printLabels(labels: string[]): string {
  return labels.map(printLabelName).join(', ');
}

function printAt(at: AtModifier | null): string {
  if (!at) {
    return '';
  }
  if (at.kind === 'start' || at.kind === 'end') {
    return ` @ ${at.kind}()`;
  }
  return ` @ ${(at.ms / 1000).toFixed(3)}`;
}

function printOffset(ms: number): string {
  if (ms > 0) {
    return ` offset ${formatDuration(ms)}`;
  }
  if (ms < 0) {
    return ` offset -${formatDuration(-ms)}`;
  }
  return '';
}

const UNITS: [string, number, boolean][] = [
  ['y', 365 * 86_400_000, true],
  ['w', 7 * 86_400_000, true],
  ['d', 86_400_000, false],
  ['h', 3_600_000, false],
  ['m', 60_000, false],
  ['s', 1000, false],
  ['ms', 1, false],
];

/**
 * Prometheus' model.Duration.String(): `1h30m`, `90d`, `0s`. Years and weeks are used only when they
 * divide the whole duration (90d reads better than 12w6d).
 */
export function formatDuration(ms: number): string {
  let rest = Math.trunc(ms);
  if (rest === 0) {
    return '0s';
  }
  const sign = rest < 0 ? '-' : '';
  rest = Math.abs(rest);
  let out = '';
  for (const [unit, mult, exact] of UNITS) {
    if (exact && rest % mult !== 0) {
      continue;
    }
    const v = Math.floor(rest / mult);
    if (v > 0) {
      out += `${v}${unit}`;
      rest -= v * mult;
    }
  }
  return sign + out;
}

/** A duration literal's seconds as Go prints it: model.Duration(val * 1e9), i.e. truncated to ms. */
function formatDurationSeconds(seconds: number): string {
  const ms = (s: number): number => Math.trunc(Math.trunc(s * 1e9) / 1e6);
  return seconds < 0 ? `-${formatDuration(ms(-seconds))}` : formatDuration(ms(seconds));
}
