const UNITS_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Epoch ms from `now`, `now-6h`, an ISO date or epoch milliseconds, as Grafana's time pickers allow. */
export function parseTime(text: string, now = Date.now()): number {
  const trimmed = text.trim();
  const relative = /^now(?:([+-])(\d+)([smhdw]))?$/.exec(trimmed);
  if (relative) {
    const [, sign, amount, unit] = relative;
    return sign ? now + (sign === '-' ? -1 : 1) * Number(amount) * UNITS_MS[unit] : now;
  }
  if (/^-?\d+$/.test(trimmed)) {
    return Number(trimmed);
  }
  const parsed = Date.parse(trimmed);
  if (Number.isNaN(parsed)) {
    throw new Error(`cannot read time ${JSON.stringify(text)}: use now, now-1h, an ISO date or epoch milliseconds`);
  }
  return parsed;
}
