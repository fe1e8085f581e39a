/**
 * Go's sort.Sort (pattern-defeating quicksort) and container/heap, step for step. topk/bottomk order
 * their results with these over a NaN-aware comparator that is not a strict weak order, so ties and
 * NaNs only come out in Prometheus' order when the algorithms are the same, not just any sort.
 */

export interface GoSortable {
  less(i: number, j: number): boolean;
  swap(i: number, j: number): void;
}

/** Go's bits.Len for non-negative ints below 2^32. */
function bitLength(n: number): number {
  return 32 - Math.clz32(n);
}

export function goSort(data: GoSortable, n: number): void {
  if (n > 1) {
    pdqsort(data, 0, n, bitLength(n));
  }
}

/**
 * sort.Sort over plain values in the order of Prometheus' vectorByValueHeap (NaN first, then
 * ascending), so that equal values (0 and -0) end up where Go puts them.
 */
export function goSortNaNFirst(values: number[]): void {
  goSort(
    {
      less: (i, j) => Number.isNaN(values[i]) || values[i] < values[j],
      swap: (i, j) => {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
      },
    },
    values.length
  );
}

/** sort.Sort(sort.Reverse(data)). */
export function goSortReverse(data: GoSortable, n: number): void {
  goSort({ less: (i, j) => data.less(j, i), swap: (i, j) => data.swap(i, j) }, n);
}

function insertionSort(data: GoSortable, a: number, b: number): void {
  for (let i = a + 1; i < b; i++) {
    for (let j = i; j > a && data.less(j, j - 1); j--) {
      data.swap(j, j - 1);
    }
  }
}

function siftDown(data: GoSortable, lo: number, hi: number, first: number): void {
  let root = lo;
  for (;;) {
    let child = 2 * root + 1;
    if (child >= hi) {
      return;
    }
    if (child + 1 < hi && data.less(first + child, first + child + 1)) {
      child++;
    }
    if (!data.less(first + root, first + child)) {
      return;
    }
    data.swap(first + root, first + child);
    root = child;
  }
}

function heapSort(data: GoSortable, a: number, b: number): void {
  const first = a;
  const hi = b - a;
  for (let i = Math.trunc((hi - 1) / 2); i >= 0; i--) {
    siftDown(data, i, hi, first);
  }
  for (let i = hi - 1; i >= 0; i--) {
    data.swap(first, first + i);
    siftDown(data, 0, i, first);
  }
}

/** Go's sortedHint values from choosePivot. */
type Hint = 0 | 1 | 2;
const UNKNOWN: Hint = 0;
const INCREASING: Hint = 1;
const DECREASING: Hint = 2;

const MAX_INSERTION = 12;

function pdqsort(data: GoSortable, a: number, b: number, limit: number): void {
  let wasBalanced = true;
  let wasPartitioned = true;
  for (;;) {
    const length = b - a;
    if (length <= MAX_INSERTION) {
      insertionSort(data, a, b);
      return;
    }
    if (limit === 0) {
      heapSort(data, a, b);
      return;
    }
    if (!wasBalanced) {
      breakPatterns(data, a, b);
      limit--;
    }
    let [pivot, hint] = choosePivot(data, a, b);
    if (hint === DECREASING) {
      reverseRange(data, a, b);
      pivot = b - 1 - (pivot - a);
      hint = INCREASING;
    }
    if (wasBalanced && wasPartitioned && hint === INCREASING) {
      if (partialInsertionSort(data, a, b)) {
        return;
      }
    }
    if (a > 0 && !data.less(a - 1, pivot)) {
      a = partitionEqual(data, a, b, pivot);
      continue;
    }
    const [mid, alreadyPartitioned] = partition(data, a, b, pivot);
    wasPartitioned = alreadyPartitioned;
    const leftLen = mid - a;
    const rightLen = b - mid;
    const balanceThreshold = Math.trunc(length / 8);
    if (leftLen < rightLen) {
      wasBalanced = leftLen >= balanceThreshold;
      pdqsort(data, a, mid, limit);
      a = mid + 1;
    } else {
      wasBalanced = rightLen >= balanceThreshold;
      pdqsort(data, mid + 1, b, limit);
      b = mid;
    }
  }
}

function partition(data: GoSortable, a: number, b: number, pivot: number): [number, boolean] {
  data.swap(a, pivot);
  let i = a + 1;
  let j = b - 1;
  while (i <= j && data.less(i, a)) {
    i++;
  }
  while (i <= j && !data.less(j, a)) {
    j--;
  }
  if (i > j) {
    data.swap(j, a);
    return [j, true];
  }
  data.swap(i, j);
  i++;
  j--;
  for (;;) {
    while (i <= j && data.less(i, a)) {
      i++;
    }
    while (i <= j && !data.less(j, a)) {
      j--;
    }
    if (i > j) {
      break;
    }
    data.swap(i, j);
    i++;
    j--;
  }
  data.swap(j, a);
  return [j, false];
}

function partitionEqual(data: GoSortable, a: number, b: number, pivot: number): number {
  data.swap(a, pivot);
  let i = a + 1;
  let j = b - 1;
  for (;;) {
    while (i <= j && !data.less(a, i)) {
      i++;
    }
    while (i <= j && data.less(a, j)) {
      j--;
    }
    if (i > j) {
      break;
    }
    data.swap(i, j);
    i++;
    j--;
  }
  return i;
}

function partialInsertionSort(data: GoSortable, a: number, b: number): boolean {
  const maxSteps = 5;
  const shortestShifting = 50;
  let i = a + 1;
  for (let step = 0; step < maxSteps; step++) {
    while (i < b && !data.less(i, i - 1)) {
      i++;
    }
    if (i === b) {
      return true;
    }
    if (b - a < shortestShifting) {
      return false;
    }
    data.swap(i, i - 1);
    if (i - a >= 2) {
      for (let j = i - 1; j >= 1; j--) {
        if (!data.less(j, j - 1)) {
          break;
        }
        data.swap(j, j - 1);
      }
    }
    if (b - i >= 2) {
      for (let j = i + 1; j < b; j++) {
        if (!data.less(j, j - 1)) {
          break;
        }
        data.swap(j, j - 1);
      }
    }
  }
  return false;
}

const UINT64 = (1n << 64n) - 1n;

function breakPatterns(data: GoSortable, a: number, b: number): void {
  const length = b - a;
  if (length < 8) {
    return;
  }
  // Go's xorshift generator seeded with the length; rare enough that BigInt is fine.
  let random = BigInt(length);
  const mask = BigInt(2 ** bitLength(length) - 1);
  const start = a + Math.trunc(length / 4) * 2 - 1;
  for (let idx = start; idx <= start + 2; idx++) {
    random ^= (random << 13n) & UINT64;
    random ^= random >> 7n;
    random ^= (random << 17n) & UINT64;
    let other = Number(random & mask);
    if (other >= length) {
      other -= length;
    }
    data.swap(idx, a + other);
  }
}

function choosePivot(data: GoSortable, a: number, b: number): [number, Hint] {
  const shortestNinther = 50;
  const maxSwaps = 4 * 3;
  const l = b - a;
  const swaps = { n: 0 };
  const quarter = Math.trunc(l / 4);
  let i = a + quarter;
  let j = a + quarter * 2;
  let k = a + quarter * 3;
  if (l >= 8) {
    if (l >= shortestNinther) {
      i = median(data, i - 1, i, i + 1, swaps);
      j = median(data, j - 1, j, j + 1, swaps);
      k = median(data, k - 1, k, k + 1, swaps);
    }
    j = median(data, i, j, k, swaps);
  }
  if (swaps.n === 0) {
    return [j, INCREASING];
  }
  return [j, swaps.n === maxSwaps ? DECREASING : UNKNOWN];
}

function median(data: GoSortable, a: number, b: number, c: number, swaps: { n: number }): number {
  // order2 three times, exactly as Go does, because the swap count picks the hint.
  if (data.less(b, a)) {
    swaps.n++;
    [a, b] = [b, a];
  }
  if (data.less(c, b)) {
    swaps.n++;
    [b, c] = [c, b];
  }
  if (data.less(b, a)) {
    swaps.n++;
    [a, b] = [b, a];
  }
  return b;
}

function reverseRange(data: GoSortable, a: number, b: number): void {
  for (let i = a, j = b - 1; i < j; i++, j--) {
    data.swap(i, j);
  }
}

/** container/heap.Push after the element was appended at index n - 1. */
export function heapUp(h: GoSortable, j: number): void {
  for (;;) {
    const i = Math.trunc((j - 1) / 2);
    if (i === j || !h.less(j, i)) {
      return;
    }
    h.swap(i, j);
    j = i;
  }
}

function heapDown(h: GoSortable, i0: number, n: number): boolean {
  let i = i0;
  for (;;) {
    const j1 = 2 * i + 1;
    if (j1 >= n) {
      break;
    }
    let j = j1;
    const j2 = j1 + 1;
    if (j2 < n && h.less(j2, j1)) {
      j = j2;
    }
    if (!h.less(j, i)) {
      break;
    }
    h.swap(i, j);
    i = j;
  }
  return i > i0;
}

/** container/heap.Fix. */
export function heapFix(h: GoSortable, i: number, n: number): void {
  if (!heapDown(h, i, n)) {
    heapUp(h, i);
  }
}
