/**
 * Arithmetic and comparison operators between two instant vectors, with one-to-one or
 * group_left/group_right matching (Prometheus' VectorBinop).
 */
import { type Labels, labelsKey } from '../../storage';
import { QueryError } from '../api';
import type { QueryContext } from '../model/context';
import { dropMetadataLabels, labelValue, selectLabels, withLabel } from '../model/labels';
import type { VectorOperator } from '../model/operator';
import { OutputSeriesTable } from '../model/output-series';
import { emptyStepVector, type StepVector, StepVectorBuilder } from '../model/step-vector';
import type { ArithmeticOp, ComparisonOp, PositionRange, VectorMatching } from '../parser/ast';
import { compareUtf8 } from '../parser/go-format';
import { binaryValue, dropsMetricName } from './arithmetic';
import { type BinaryPlan, BinaryStepOperator } from './binary-step-operator';
import { describeMatching } from './describe-matching';
import { matchingLabelsOf, matchOperands } from './match-signature';
import { prometheusLabelsString } from './prometheus-labels-string';

interface Plan extends BinaryPlan {
  /** Series of the "many" side (the rhs for group_right) and of the "one" side. */
  manyLabels: readonly Labels[];
  oneLabels: readonly Labels[];
  manySig: Int32Array;
  oneSig: Int32Array;
  /** Which distinct projection onto the group_x include labels a "one" series has within its signature. */
  oneInclude: Int32Array;
  /** Per "many" series, the output id for each include projection of its signature's "one" series. */
  outIds: (Int32Array | null)[];
  signatures: number;
}

/**
 * Output series are known up front: every pair of a "many" series and a "one" series with the same
 * signature yields one (pairs that yield the same labels share it). A step then applies Prometheus'
 * checks in its order: duplicates on the "one" side, duplicate matches, duplicate output label sets.
 */
export class VectorBinaryOperator extends BinaryStepOperator<Plan> {
  private readonly swapped: boolean;
  /** Per-step scratch indexed by signature: which step last saw it, and the "one" sample found there. */
  private oneStamp = new Int32Array(0);
  private oneAt = new Int32Array(0);
  private oneValue = new Float64Array(0);
  private matchedStamp = new Int32Array(0);
  private stamp = 0;

  constructor(
    ctx: QueryContext,
    readonly op: ArithmeticOp | ComparisonOp,
    lhs: VectorOperator,
    rhs: VectorOperator,
    readonly matching: VectorMatching,
    readonly returnBool: boolean,
    readonly pos: PositionRange
  ) {
    super(ctx, lhs, rhs);
    if (matching.card === 'many-to-many') {
      throw new QueryError('internal', `many-to-many matching is only allowed for set operators, not ${op}`);
    }
    this.swapped = matching.card === 'one-to-many';
  }

  protected async buildPlan(): Promise<Plan> {
    const { lhsLabels, rhsLabels, lhsSig, rhsSig, signatures } = await matchOperands(this.lhs, this.rhs, this.matching);
    const manyLabels = this.swapped ? rhsLabels : lhsLabels;
    const oneLabels = this.swapped ? lhsLabels : rhsLabels;
    const manySig = this.swapped ? rhsSig : lhsSig;
    const oneSig = this.swapped ? lhsSig : rhsSig;

    // Within a signature, "one" series that agree on the include labels give the same outputs.
    const includeKeys: (Map<string, number> | undefined)[] = new Array(signatures);
    const includeSample: Labels[][] = Array.from({ length: signatures }, () => []);
    const oneInclude = new Int32Array(oneLabels.length);
    oneLabels.forEach((labels, o) => {
      const sig = oneSig[o];
      const keys = (includeKeys[sig] ??= new Map());
      const key = labelsKey(selectLabels(labels, this.matching.include, true));
      let idx = keys.get(key);
      if (idx === undefined) {
        idx = keys.size;
        keys.set(key, idx);
        includeSample[sig].push(labels);
      }
      oneInclude[o] = idx;
    });

    const table = new OutputSeriesTable();
    const outIds = manyLabels.map((labels, m) => {
      const ones = includeSample[manySig[m]];
      if (ones.length === 0) {
        return null;
      }
      return Int32Array.from(ones, (one) => table.idOf(this.resultLabels(labels, one)));
    });

    this.oneStamp = new Int32Array(signatures);
    this.oneAt = new Int32Array(signatures);
    this.oneValue = new Float64Array(signatures);
    this.matchedStamp = new Int32Array(signatures);
    return {
      labels: table.labels,
      manyLabels,
      oneLabels,
      manySig,
      oneSig,
      oneInclude,
      outIds,
      signatures,
      unique: table.uniquenessCheck(),
    };
  }

  /** Prometheus' resultMetric (without delayed name removal). */
  private resultLabels(many: Labels, one: Labels): Labels {
    let out = dropsMetricName(this.op, this.returnBool) ? dropMetadataLabels(many) : many;
    if (this.matching.card === 'one-to-one') {
      out = selectLabels(out, this.matching.matchingLabels, this.matching.on);
    }
    for (const name of this.matching.include) {
      // An include label the "one" side lacks is removed from the result.
      out = withLabel(out, name, labelValue(one, name));
    }
    return out;
  }

  protected step(plan: Plan, l: StepVector, r: StepVector): StepVector {
    const many = this.swapped ? r : l;
    const one = this.swapped ? l : r;
    if (many.ids.length === 0 || one.ids.length === 0) {
      return emptyStepVector(many.t);
    }
    const stamp = ++this.stamp;
    for (let j = 0; j < one.ids.length; j++) {
      const o = one.ids[j];
      const sig = plan.oneSig[o];
      if (this.oneStamp[sig] === stamp) {
        this.failDuplicateOne(plan, o, this.oneAt[sig]);
      }
      this.oneStamp[sig] = stamp;
      this.oneAt[sig] = o;
      this.oneValue[sig] = one.values[j];
    }

    const oneToOne = this.matching.card === 'one-to-one';
    const out = new StepVectorBuilder(many.ids.length);
    // group_x: the output ids seen per signature at this step (signature * outputs + id).
    const grouped = oneToOne ? null : new Set<number>();
    for (let j = 0; j < many.ids.length; j++) {
      const m = many.ids[j];
      const sig = plan.manySig[m];
      if (this.oneStamp[sig] !== stamp) {
        continue;
      }
      const o = this.oneAt[sig];
      const outId = (plan.outIds[m] as Int32Array)[plan.oneInclude[o]];
      const manyValue = many.values[j];
      const oneValue = this.oneValue[sig];
      const lhsValue = this.swapped ? oneValue : manyValue;
      const rhsValue = this.swapped ? manyValue : oneValue;
      // undefined: a filtering comparison drops the sample.
      const value = binaryValue(this.op, lhsValue, rhsValue, this.returnBool, lhsValue);

      // Checked before filtering, like Prometheus: a match that a comparison drops still counts.
      if (grouped === null) {
        if (this.matchedStamp[sig] === stamp) {
          throw new QueryError(
            'execution',
            'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)'
          );
        }
        this.matchedStamp[sig] = stamp;
      } else {
        const key = sig * plan.labels.length + outId;
        if (grouped.has(key)) {
          throw new QueryError('execution', 'multiple matches for labels: grouping labels must ensure unique matches');
        }
        grouped.add(key);
      }

      if (value !== undefined) out.push(outId, value);
    }
    return out.finish(many.t);
  }

  private failDuplicateOne(plan: Plan, o: number, previous: number): never {
    const side = this.swapped ? 'left' : 'right';
    const group = prometheusLabelsString(matchingLabelsOf(plan.oneLabels[o], this.matching));
    let a = prometheusLabelsString(plan.oneLabels[o]);
    let b = prometheusLabelsString(plan.oneLabels[previous]);
    if (compareUtf8(a, b) > 0) {
      [a, b] = [b, a];
    }
    throw new QueryError(
      'execution',
      `found duplicate series for the match group ${group} on the ${side} hand-side of the operation: [${a}, ${b}]` +
        ';many-to-many matching not allowed: matching labels must be unique on one side'
    );
  }

  describe(): string {
    return `[binary] ${this.op}${this.returnBool ? ' bool' : ''}${describeMatching(this.matching)}`;
  }
}
