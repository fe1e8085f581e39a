import type { QueryContext } from '../model/context';
import type { AtModifier } from '../parser/ast';

/**
 * The time a selector reads at for query step `t`: the `@` time if there is one (start()/end() were
 * resolved by the planner), minus the offset.
 */
export function referenceTime(t: number, at: AtModifier | null, offset: number): number {
  return (at !== null && at.kind === 'time' ? at.ms : t) - offset;
}

/** The earliest and latest reference times over all steps of the context. */
export function referenceSpan(
  ctx: Pick<QueryContext, 'start' | 'end'>,
  at: AtModifier | null,
  offset: number
): { min: number; max: number } {
  return { min: referenceTime(ctx.start, at, offset), max: referenceTime(ctx.end, at, offset) };
}

/** Yields the step times of the next batch, or null when all steps are done. */
export class StepCursor {
  private next: number;
  constructor(private readonly ctx: Pick<QueryContext, 'start' | 'end' | 'step' | 'stepsBatch'>) {
    this.next = ctx.start;
  }

  batch(): number[] | null {
    if (this.next > this.ctx.end) {
      return null;
    }
    const out: number[] = [];
    for (let i = 0; i < this.ctx.stepsBatch && this.next <= this.ctx.end; i++) {
      out.push(this.next);
      this.next += this.ctx.step;
    }
    return out;
  }
}
