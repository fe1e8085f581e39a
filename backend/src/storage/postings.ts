/**
 * Inverted index: label name → label value → ascending series ids, plus the list of all ids.
 * Matcher semantics follow Prometheus' PostingsForMatchers: a matcher that matches the empty string also
 * selects series that lack the label (`a=""`, `a!="x"`, `a=~".*"`, `a!~"x"` …); such matchers are applied
 * by subtracting the series whose value for the label does not match.
 */
import { Label, Labels } from './labels';
import { compile, LabelMatcher } from './matchers';

/** Index of the first element of the sorted `arr` that is not below `id`. */
function lowerBound(arr: number[], id: number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid] < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertSorted(arr: number[], id: number): void {
  if (arr.length === 0 || arr[arr.length - 1] < id) {
    arr.push(id);
    return;
  }
  const at = lowerBound(arr, id);
  if (arr[at] !== id) arr.splice(at, 0, id);
}

function removeSorted(arr: number[], id: number): void {
  const at = lowerBound(arr, id);
  if (arr[at] === id) arr.splice(at, 1);
}

function intersect(a: number[], b: number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push(a[i]);
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return out;
}

function subtract(a: number[], b: number[]): number[] {
  const out: number[] = [];
  let j = 0;
  for (const x of a) {
    while (j < b.length && b[j] < x) j++;
    if (j >= b.length || b[j] !== x) out.push(x);
  }
  return out;
}

function union(lists: number[][]): number[] {
  if (lists.length === 0) return [];
  if (lists.length === 1) return lists[0].slice();
  const all = new Set<number>();
  for (const l of lists) for (const x of l) all.add(x);
  return Array.from(all).sort((x, y) => x - y);
}

/** One label (name and value) with the ascending ids of the series that carry it. */
interface Posting {
  /** The one shared, frozen Label object every series with this label points to. */
  readonly label: Label;
  readonly ids: number[];
}

export class PostingsIndex {
  private readonly index = new Map<string, Map<string, Posting>>();
  private readonly all: number[] = [];

  /**
   * Indexes a series and returns its labels interned: a frozen array of the Label objects shared by all
   * series (a label set costs one array per series instead of an object and two strings per label).
   */
  add(id: number, labels: Labels): Labels {
    insertSorted(this.all, id);
    const interned: Label[] = new Array<Label>(labels.length);
    for (let i = 0; i < labels.length; i++) {
      const l = labels[i];
      let values = this.index.get(l.name);
      if (values === undefined) {
        values = new Map();
        this.index.set(l.name, values);
      }
      let p = values.get(l.value);
      if (p === undefined) {
        // Reuse the name string of a sibling posting so each name is held once.
        const sibling = values.values().next();
        const name = sibling.done ? l.name : sibling.value.label.name;
        p = { label: Object.freeze({ name, value: l.value }), ids: [] };
        values.set(l.value, p);
      }
      insertSorted(p.ids, id);
      interned[i] = p.label;
    }
    return Object.freeze(interned);
  }

  remove(id: number, labels: Labels): void {
    removeSorted(this.all, id);
    for (const l of labels) {
      const values = this.index.get(l.name);
      const p = values?.get(l.value);
      if (values === undefined || p === undefined) continue;
      removeSorted(p.ids, id);
      if (p.ids.length === 0) {
        values.delete(l.value);
        if (values.size === 0) this.index.delete(l.name);
      }
    }
  }

  labelNames(): string[] {
    return Array.from(this.index.keys()).sort();
  }

  labelValues(name: string): string[] {
    const values = this.index.get(name);
    return values === undefined ? [] : Array.from(values.keys()).sort();
  }

  /** Ascending ids of the series selected by all matchers (no matchers: every series). */
  select(matchers: readonly LabelMatcher[]): number[] {
    let result: number[] | undefined;
    const subtractions: number[][] = [];
    for (const raw of matchers) {
      const m = compile(raw);
      const values = this.index.get(m.name);
      if (m.matches('')) {
        // series lacking the label match; remove those whose value doesn't match
        const bad: number[][] = [];
        if (values !== undefined) {
          for (const [v, p] of values) if (!m.matches(v)) bad.push(p.ids);
        }
        if (bad.length > 0) subtractions.push(union(bad));
      } else {
        const good: number[][] = [];
        if (values !== undefined) {
          if (m.type === '=') {
            const p = values.get(m.value);
            if (p !== undefined) good.push(p.ids);
          } else {
            for (const [v, p] of values) if (m.matches(v)) good.push(p.ids);
          }
        }
        const u = union(good);
        result = result === undefined ? u : intersect(result, u);
        if (result.length === 0) return [];
      }
    }
    let out = result ?? this.all.slice();
    for (const s of subtractions) out = subtract(out, s);
    return out;
  }
}
