export interface Label {
  name: string;
  value: string;
}

/** Sorted by name, unique, non-empty names. */
export type Labels = readonly Label[];

export class LabelsError extends Error {}

/** Throws LabelsError unless the labels are sorted by name, unique, with non-empty names. */
export function validateLabels(labels: Labels): void {
  if (labels.length === 0) {
    throw new LabelsError('a series needs at least one label');
  }
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (typeof l.name !== 'string' || typeof l.value !== 'string' || l.name === '') {
      throw new LabelsError(`invalid label at index ${i}`);
    }
    if (i > 0 && labels[i - 1].name >= l.name) {
      throw new LabelsError(`labels are not sorted by name or not unique at '${l.name}'`);
    }
  }
}

/**
 * The canonical key of a label set (the series-map key). The separator bytes cannot be confused with
 * label text because every string is length-prefixed.
 */
export function labelsKey(labels: Labels): string {
  let key = '';
  for (const l of labels) {
    key += `${l.name.length}:${l.name}${l.value.length}:${l.value}`;
  }
  return key;
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Prometheus' labels.Compare: name, then value, pairwise; a shorter prefix sorts first. */
export function compareLabels(a: Labels, b: Labels): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = cmpStr(a[i].name, b[i].name) || cmpStr(a[i].value, b[i].value);
    if (c !== 0) {
      return c;
    }
  }
  return a.length - b.length;
}

export function copyLabels(labels: Labels): Labels {
  return Object.freeze(labels.map((l) => Object.freeze({ name: l.name, value: l.value })));
}
