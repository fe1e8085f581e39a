/**
 * count_values("label", v) with by/without. Its output series depend on the sample values, so (as
 * Thanos does) series() evaluates the child completely, counting per step, and next() replays the
 * counts in the child's batches. Values become label values the way Prometheus writes them
 * (strconv.FormatFloat(v, 'f', -1, 64)); 0 and -0 are different values.
 */
import type { Labels } from '../../storage';
import { QueryError } from '../api';
import { checkAborted, type QueryContext } from '../model/context';
import { groupLabels, withLabel } from '../model/labels';
import type { VectorOperator } from '../model/operator';
import { OutputSeriesTable } from '../model/output-series';
import type { StepVector } from '../model/step-vector';
import { formatFloat, goQuote } from '../parser/go-format';
import { isValidUtf8 } from '../parser/string-literal';
import { describeGrouping } from './grouping';

/** How one input series contributes: its group's labels without the value label. */
interface InputGroup {
  id: number;
  labels: Labels;
  /** Whether the value label survives the grouping (a `without` list can remove it). */
  keepsValue: boolean;
}

export class CountValuesOperator implements VectorOperator {
  private evaluated: Promise<readonly Labels[]> | null = null;
  private readonly output: Labels[] = [];
  private batches: StepVector[][] = [];
  private replayed = 0;
  private readonly formatted = new Map<number, string>();

  /**
   * @param valueLabel the string parameter: the name of the label that receives the value.
   * @param grouping the labels of `by (...)` or `without (...)`.
   */
  constructor(
    private readonly ctx: QueryContext,
    private readonly child: VectorOperator,
    private readonly valueLabel: string,
    private readonly grouping: string[],
    private readonly without: boolean
  ) {}

  series(): Promise<readonly Labels[]> {
    this.evaluated ??= this.evaluate();
    return this.evaluated;
  }

  async next(): Promise<StepVector[] | null> {
    await this.series();
    checkAborted(this.ctx.signal);
    if (this.replayed >= this.batches.length) {
      this.batches = [];
      return null;
    }
    const batch = this.batches[this.replayed];
    // Dropped now so the memory (and the sample budget) is released while replaying.
    this.batches[this.replayed] = [];
    this.replayed++;
    this.ctx.samples.give(batch.reduce((n, v) => n + v.ids.length, 0));
    return batch;
  }

  describe(): string {
    return `count_values${describeGrouping(this.grouping, this.without)} (${JSON.stringify(this.valueLabel)})`;
  }

  children(): readonly VectorOperator[] {
    return [this.child];
  }

  private async evaluate(): Promise<readonly Labels[]> {
    if (this.valueLabel === '' || !isValidUtf8(this.valueLabel)) {
      throw new QueryError('execution', `invalid label name ${goQuote(this.valueLabel)}`);
    }
    const inputGroups = this.inputGroups(await this.child.series());
    const outputIdByKey = new Map<string, number>();
    const outputId = (group: InputGroup, value: number): number => {
      const text = this.format(value);
      const key = group.keepsValue ? `${group.id}\u0000${text}` : `${group.id}`;
      let id = outputIdByKey.get(key);
      if (id === undefined) {
        id = this.output.length;
        outputIdByKey.set(key, id);
        this.output.push(group.keepsValue ? withLabel(group.labels, this.valueLabel, text) : group.labels);
      }
      return id;
    };
    const counts = new Map<number, number>();
    for (let batch = await this.child.next(); batch !== null; batch = await this.child.next()) {
      checkAborted(this.ctx.signal);
      const counted: StepVector[] = [];
      let samples = 0;
      for (const vector of batch) {
        counts.clear();
        for (let i = 0; i < vector.ids.length; i++) {
          const id = outputId(inputGroups[vector.ids[i]], vector.values[i]);
          counts.set(id, (counts.get(id) ?? 0) + 1);
        }
        const ids = Int32Array.from(counts.keys()).sort();
        counted.push({ t: vector.t, ids, values: Float64Array.from(ids, (id) => counts.get(id) as number) });
        samples += ids.length;
      }
      this.ctx.samples.take(samples);
      this.batches.push(counted);
    }
    return this.output;
  }

  /**
   * Setting the value label before grouping (as Prometheus does) equals grouping the series without
   * it and adding it afterwards if the grouping keeps it, which lets the groups be computed once.
   */
  private inputGroups(series: readonly Labels[]): InputGroup[] {
    const names = this.without ? this.grouping : [...this.grouping, this.valueLabel];
    const keepsValue = groupLabels([{ name: this.valueLabel, value: 'x' }], names, this.without).length > 0;
    const groups = new OutputSeriesTable();
    return series.map((labels) => {
      const grouped = groupLabels(withLabel(labels, this.valueLabel, ''), names, this.without);
      return { id: groups.idOf(grouped), labels: grouped, keepsValue };
    });
  }

  private format(value: number): string {
    if (Object.is(value, -0)) {
      return '-0';
    }
    let text = this.formatted.get(value);
    if (text === undefined) {
      text = formatFloat(value);
      this.formatted.set(value, text);
    }
    return text;
  }
}
