import { parser } from '@prometheus-io/lezer-promql';
import type { SyntaxNode } from '@lezer/common';
import { LabelMatcher, matchesValue, MatchType, parseMatcher } from '../../storage';
import { decodeStringLiteral } from './string-literal';

/** A selector that cannot be used, with the offset of the problem in the text. */
export class SelectorError extends Error {
  constructor(
    message: string,
    readonly position: number
  ) {
    super(message);
    this.name = 'SelectorError';
  }
}

const MATCH_OPS: Record<string, MatchType> = { EqlSingle: '=', Neq: '!=', EqlRegex: '=~', NeqRegex: '!~' };

/**
 * Parses a series selector such as `http_requests_total{job="api", code=~"5.."}` with Prometheus'
 * own grammar into storage matchers. Like Prometheus, at least one matcher must not match the empty
 * string, so a selector never selects every series.
 */
export function parseSeriesSelector(text: string): LabelMatcher[] {
  const tree = parser.parse(text);
  const top = tree.topNode.firstChild;
  const error = findError(tree.topNode);
  if (error) {
    throw new SelectorError(`parse error at char ${error.from + 1}: unexpected ${describe(text, error)}`, error.from);
  }
  if (!top || top.name !== 'VectorSelector' || top.nextSibling) {
    throw new SelectorError('a series selector such as metric{label="value"} is expected', top?.from ?? 0);
  }
  const matchers: LabelMatcher[] = [];
  const name = top.getChild('Identifier');
  if (name) {
    matchers.push(parseMatcher('=', '__name__', text.slice(name.from, name.to)));
  }
  const list = top.getChild('LabelMatchers');
  for (let node = list?.firstChild ?? null; node; node = node.nextSibling) {
    if (node.name !== 'UnquotedLabelMatcher' && node.name !== 'QuotedLabelMatcher') {
      continue;
    }
    matchers.push(labelMatcher(text, node));
  }
  if (matchers.length === 0 || matchers.every((m) => matchesValue(m, ''))) {
    throw new SelectorError('vector selector must contain at least one non-empty matcher', top.from);
  }
  if (name && matchers.filter((m) => m.name === '__name__').length > 1) {
    throw new SelectorError(
      `metric name must not be set twice: ${JSON.stringify(text.slice(name.from, name.to))}`,
      top.from
    );
  }
  return matchers;
}

function labelMatcher(text: string, node: SyntaxNode): LabelMatcher {
  const nameNode = node.getChild('LabelName') ?? node.getChild('QuotedLabelName');
  const op = node.getChild('MatchOp')?.firstChild;
  const values = node.getChildren('StringLiteral');
  const valueNode = values[values.length - 1];
  if (!nameNode || !op || !valueNode) {
    // A bare quoted name is a metric name: {"my.metric"}.
    const quoted = node.getChild('StringLiteral');
    if (node.name === 'QuotedLabelMatcher' && quoted && !op) {
      return parseMatcher('=', '__name__', decodeStringLiteral(text.slice(quoted.from, quoted.to)));
    }
    throw new SelectorError(`incomplete label matcher ${text.slice(node.from, node.to)}`, node.from);
  }
  const rawName = text.slice(nameNode.from, nameNode.to);
  const name = nameNode.name === 'QuotedLabelName' ? decodeStringLiteral(rawName) : rawName;
  const type = MATCH_OPS[op.name];
  if (!type) {
    throw new SelectorError(`unknown match operator ${text.slice(op.from, op.to)}`, op.from);
  }
  return parseMatcher(type, name, decodeStringLiteral(text.slice(valueNode.from, valueNode.to)));
}

function findError(node: SyntaxNode): SyntaxNode | null {
  if (node.type.isError) {
    return node;
  }
  for (let child = node.firstChild; child; child = child.nextSibling) {
    const found = findError(child);
    if (found) {
      return found;
    }
  }
  return null;
}

function describe(text: string, node: SyntaxNode): string {
  return node.from >= text.length
    ? 'end of input'
    : JSON.stringify(text.slice(node.from, Math.max(node.to, node.from + 1)));
}
