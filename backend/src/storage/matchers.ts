import { MatcherError } from './matcher-error';
import { compileRegex } from './regex';

export type MatchType = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  type: MatchType;
  name: string;
  value: string;
}

interface CompiledMatcher extends LabelMatcher {
  matches(v: string): boolean;
}

const compiled = new WeakMap<LabelMatcher, CompiledMatcher>();
const regexCache = new Map<string, RegExp>();

function regexFor(source: string): RegExp {
  let re = regexCache.get(source);
  if (re === undefined) {
    re = compileRegex(source);
    if (regexCache.size > 1000) {
      regexCache.clear();
    }
    regexCache.set(source, re);
  }
  return re;
}

/** Validates a matcher (regexes must be in the RE2 subset JS matches identically) and returns it. */
export function parseMatcher(type: MatchType, name: string, value: string): LabelMatcher {
  const m: LabelMatcher = Object.freeze({ type, name, value });
  compile(m);
  return m;
}

/** Returns a matcher with a `matches` function; throws MatcherError for invalid input. */
export function compile(m: LabelMatcher): CompiledMatcher {
  const hit = compiled.get(m);
  if (hit !== undefined) {
    return hit;
  }
  if (typeof m.name !== 'string' || typeof m.value !== 'string') {
    throw new MatcherError('matcher name and value must be strings');
  }
  let matches: (v: string) => boolean;
  switch (m.type) {
    case '=':
      matches = (v) => v === m.value;
      break;
    case '!=':
      matches = (v) => v !== m.value;
      break;
    case '=~': {
      const re = regexFor(m.value);
      matches = (v) => re.test(v);
      break;
    }
    case '!~': {
      const re = regexFor(m.value);
      matches = (v) => !re.test(v);
      break;
    }
    default:
      throw new MatcherError(`unknown match type ${JSON.stringify(m.type)}`);
  }
  const c: CompiledMatcher = { type: m.type, name: m.name, value: m.value, matches };
  if (Object.isFrozen(m)) {
    compiled.set(m, c);
  }
  return c;
}

/** Whether a matcher accepts a label value, with the store's (RE2-compatible) semantics. */
export function matchesValue(m: LabelMatcher, value: string): boolean {
  return compile(m).matches(value);
}
