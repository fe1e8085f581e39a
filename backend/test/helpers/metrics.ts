/** Reads one sample from Prometheus text exposition; `labels` must all match (others are ignored). */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !line.startsWith(name)) {
      continue;
    }
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match || match[1] !== name) {
      continue;
    }
    const found: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      found[pair[1]] = pair[2];
    }
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) {
      return Number(match[3]);
    }
  }
  return undefined;
}

/** Like `sample`, with a missing series read as 0 (prom-client shows labelled series only once used). */
export function counter(text: string, name: string, labels: Record<string, string> = {}): number {
  return sample(text, name, labels) ?? 0;
}
