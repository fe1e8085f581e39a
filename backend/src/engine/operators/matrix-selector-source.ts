import type { QueryContext } from '../model/context';
import type { MatrixSelector } from '../parser/ast';
import { type PointSource, withoutStaleMarkers } from './point-source';
import { type Queryable, selectSeries, type SeriesPoints } from './series-source';
import { referenceSpan } from './step-times';

/** The stored points a matrix selector's windows cover over all steps of the query. */
export class MatrixSelectorSource implements PointSource {
  constructor(
    private readonly ctx: QueryContext,
    private readonly queryable: Queryable,
    private readonly node: MatrixSelector
  ) {}

  load(): Promise<SeriesPoints[]> {
    const vs = this.node.vectorSelector;
    const span = referenceSpan(this.ctx, vs.at, vs.offset);
    const data = selectSeries(this.queryable, vs.matchers, span.min - this.node.range + 1, span.max);
    let n = 0;
    for (const s of data) n += s.timestamps.length;
    this.ctx.samples.take(n);
    this.ctx.stats.samplesScanned += n;
    return Promise.resolve(data.map(withoutStaleMarkers));
  }

  describe(): string {
    return `[matrixSelector] ${this.node.vectorSelector.name}[${this.node.range}ms]`;
  }
}
