import type { Labels } from '../../storage';
import { compileRegex } from '../../storage/regex';
import { QueryError } from '../api';
import type { QueryContext } from '../model/context';
import { labelValue, withLabel } from '../model/labels';
import type { VectorOperator } from '../model/operator';
import type { PositionRange } from '../parser/ast';
import { isValidLabelName, RelabelOperator } from './relabel';

/**
 * label_replace(v, dst, replacement, src, regex): where the fully anchored regex matches the src
 * value ('' if missing), dst becomes the replacement with $1 / ${name} expanded as Go's
 * regexp.Expand does; an empty result removes dst. Non-matching series pass unchanged.
 */
export class LabelReplaceOperator extends RelabelOperator {
  private regex: RegExp | null = null;

  constructor(
    ctx: QueryContext,
    child: VectorOperator,
    private readonly dst: string,
    private readonly replacement: string,
    private readonly src: string,
    private readonly regexSource: string,
    readonly pos: PositionRange
  ) {
    super(ctx, child);
  }

  protected validate(): void {
    try {
      // The store's RE2-compatible compilation, anchored like Prometheus' "^(?s:…)$".
      this.regex = compileRegex(this.regexSource);
    } catch {
      throw new QueryError('execution', `invalid regular expression in label_replace(): ${this.regexSource}`);
    }
    if (!isValidLabelName(this.dst)) {
      throw new QueryError('execution', `invalid destination label name in label_replace(): ${this.dst}`);
    }
  }

  protected relabel(labels: Labels): Labels {
    const match = this.regex?.exec(labelValue(labels, this.src));
    if (!match) {
      return labels;
    }
    return withLabel(labels, this.dst, expandTemplate(this.replacement, match));
  }

  describe(): string {
    return `[labelReplace] ${this.dst}`;
  }
}

const NAME_CHAR = /[\p{L}\p{Nd}_]/u;

/**
 * Go's regexp.Expand: `$$` is a literal `$`; `$name` takes the longest run of letters, digits and
 * underscores (so `$1x` means group "1x"), `${name}` is delimited; a number without leading zeros
 * is a group index; a missing or unmatched group expands to ''; a malformed `$` stays literal.
 */
export function expandTemplate(template: string, match: RegExpExecArray): string {
  let out = '';
  let rest = template;
  for (;;) {
    const dollar = rest.indexOf('$');
    if (dollar < 0) {
      break;
    }
    out += rest.slice(0, dollar);
    rest = rest.slice(dollar + 1);
    if (rest.startsWith('$')) {
      out += '$';
      rest = rest.slice(1);
      continue;
    }
    const ref = extractReference(rest);
    if (ref === undefined) {
      out += '$';
      continue;
    }
    rest = ref.rest;
    out += groupValue(match, ref.name) ?? '';
  }
  return out + rest;
}

function extractReference(s: string): { name: string; rest: string } | undefined {
  const braced = s.startsWith('{');
  const body = braced ? s.slice(1) : s;
  let end = 0;
  for (const ch of body) {
    if (!NAME_CHAR.test(ch)) {
      break;
    }
    end += ch.length;
  }
  if (end === 0) {
    return undefined;
  }
  const name = body.slice(0, end);
  if (braced) {
    if (body[end] !== '}') {
      return undefined;
    }
    end++;
  }
  return { name, rest: body.slice(end) };
}

/** Go's group number of a reference name: -1 unless all digits, no leading zero, below ~1e9. */
function groupIndex(name: string): number {
  let num = 0;
  for (const ch of name) {
    if (ch < '0' || ch > '9' || num >= 1e8) {
      return -1;
    }
    num = num * 10 + Number(ch);
  }
  return name[0] === '0' && name.length > 1 ? -1 : num;
}

function groupValue(match: RegExpExecArray, name: string): string | undefined {
  const index = groupIndex(name);
  if (index >= 0) {
    return index < match.length ? match[index] : undefined;
  }
  const groups = match.groups;
  return groups !== undefined && Object.prototype.hasOwnProperty.call(groups, name) ? groups[name] : undefined;
}
