/** Function calls → operators. Which function needs which operator is decided here only. */
import { QueryError } from '../api';
import { INSTANT_FUNCTIONS } from '../functions/instant-functions';
import { RANGE_FUNCTIONS } from '../functions/range-functions';
import { annotationsAt, type QueryContext } from '../model/context';
import { METRIC_NAME } from '../model/labels';
import type { VectorOperator } from '../model/operator';
import type { Call, Expr, VectorSelector } from '../parser/ast';
import { AbsentOperator } from '../operators/absent';
import { HistogramFractionOperator } from '../operators/histogram-fraction';
import { HistogramQuantileOperator } from '../operators/histogram-quantile';
import { HistogramQuantilesOperator } from '../operators/histogram-quantiles';
import { InstantFunctionOperator } from '../operators/instant-function';
import { LabelJoinOperator } from '../operators/label-join';
import { LabelReplaceOperator } from '../operators/label-replace';
import { MatrixSelectorSource } from '../operators/matrix-selector-source';
import type { PointSource } from '../operators/point-source';
import { RangeFunctionOperator } from '../operators/range-function';
import { ScalarGeneratorOperator } from '../operators/scalar-generator';
import { ScalarOfVectorOperator } from '../operators/scalar-of-vector';
import { ScalarFunctionOperator } from '../operators/scalar-function';
import { SortOperator } from '../operators/sort';
import { StepTimeValueOperator } from '../operators/step-time-value';
import { SubquerySource } from '../operators/subquery-source';
import { VectorSelectorOperator } from '../operators/vector-selector';
import type { Label } from '../../storage';
import type { Planner } from './physical';
import { stringValue, unwrap } from './unwrap';

export function planCall(planner: Planner, call: Call, ctx: QueryContext): VectorOperator {
  const name = call.func.name;
  const args = call.args;
  const plan = (e: Expr) => planner.plan(e, ctx);
  switch (name) {
    case 'time':
      return new ScalarGeneratorOperator(ctx, (t) => t / 1000, 'time');
    case 'pi':
      return new ScalarGeneratorOperator(ctx, () => Math.PI, 'pi');
    case 'vector':
      return plan(args[0]); // a scalar operator already is a one-series vector without labels
    case 'scalar':
      return new ScalarOfVectorOperator(plan(args[0]));
    case 'timestamp': {
      const arg = unwrap(args[0]);
      if (arg.type === 'VectorSelector') {
        return new VectorSelectorOperator(ctx, planner.queryable, arg, true);
      }
      return new StepTimeValueOperator(plan(arg));
    }
    case 'absent':
      return new AbsentOperator(plan(args[0]), absentLabels(unwrap(args[0])), name);
    case 'absent_over_time': {
      const arg = unwrap(args[0]);
      const present = RANGE_FUNCTIONS.present_over_time;
      const op = new RangeFunctionOperator(ctx, pointSource(planner, arg, ctx), {
        fn: present,
        name: 'present_over_time',
        ...windowOf(arg),
        args: [],
        pos: args[0].pos,
      });
      const labels = arg.type === 'MatrixSelector' ? absentLabels(arg.vectorSelector) : [];
      return new AbsentOperator(op, labels, name);
    }
    case 'min_of':
    case 'max_of':
      return new ScalarFunctionOperator(ctx, args.map(plan), name === 'min_of' ? Math.min : Math.max, name);
    case 'sort':
    case 'sort_desc':
    case 'sort_by_label':
    case 'sort_by_label_desc':
      if (ctx.start !== ctx.end) {
        annotationsAt(ctx, call.pos).warn(
          'sort is ineffective for range queries since results are always ordered by labels'
        );
      }
      return planSort(plan(args[0]), name, args);
  }
  return planOther(planner, call, ctx);
}

function planSort(child: VectorOperator, name: string, args: Expr[]): VectorOperator {
  const descending = name.endsWith('_desc');
  if (name === 'sort' || name === 'sort_desc') {
    return new SortOperator(child, { by: 'value', descending }, name);
  }
  return new SortOperator(child, { by: 'labels', names: args.slice(1).map(stringValue), descending }, name);
}

function planOther(planner: Planner, call: Call, ctx: QueryContext): VectorOperator {
  const name = call.func.name;
  const args = call.args;
  const plan = (e: Expr) => planner.plan(e, ctx);
  switch (name) {
    case 'label_replace':
      return new LabelReplaceOperator(
        ctx,
        plan(args[0]),
        stringValue(args[1]),
        stringValue(args[2]),
        stringValue(args[3]),
        stringValue(args[4]),
        call.pos
      );
    case 'label_join':
      return new LabelJoinOperator(
        ctx,
        plan(args[0]),
        stringValue(args[1]),
        stringValue(args[2]),
        args.slice(3).map(stringValue),
        call.pos
      );
    case 'histogram_quantile':
      return new HistogramQuantileOperator(ctx, plan(args[0]), plan(args[1]), args[0].pos, args[1].pos);
    case 'histogram_quantiles':
      return new HistogramQuantilesOperator(
        ctx,
        plan(args[0]),
        stringValue(args[1]),
        args.slice(2).map(plan),
        args.slice(2).map((a) => a.pos),
        args[0].pos
      );
    case 'histogram_fraction':
      return new HistogramFractionOperator(ctx, plan(args[0]), plan(args[1]), plan(args[2]), args[2].pos);
  }
  const range = RANGE_FUNCTIONS[name];
  if (range !== undefined) {
    const arg = unwrap(args[range.rangeArg]);
    return new RangeFunctionOperator(ctx, pointSource(planner, arg, ctx), {
      fn: range,
      name,
      ...windowOf(arg),
      args: args.filter((_, i) => i !== range.rangeArg).map(plan),
      pos: args[0].pos, // Prometheus reports a function's annotations at its first argument
    });
  }
  const instant = INSTANT_FUNCTIONS[name];
  if (instant !== undefined) {
    // the date functions without argument read vector(time())
    const vector =
      args.length > instant.vectorArg
        ? plan(args[instant.vectorArg])
        : new ScalarGeneratorOperator(ctx, (t) => t / 1000, 'time');
    const scalars = args.filter((_, i) => i !== instant.vectorArg).map(plan);
    return new InstantFunctionOperator(ctx.signal, name, instant, vector, scalars);
  }
  throw new QueryError('execution', `unsupported: function ${name}() is not implemented by Sluice's engine`);
}

function pointSource(planner: Planner, arg: Expr, ctx: QueryContext): PointSource {
  if (arg.type === 'MatrixSelector') {
    return new MatrixSelectorSource(ctx, planner.queryable, arg);
  }
  if (arg.type === 'SubqueryExpr') {
    return new SubquerySource(ctx, arg, (inner) => planner.plan(arg.expr, inner));
  }
  throw new QueryError('bad_data', `expected a range vector, got ${arg.type}`);
}

function windowOf(arg: Expr) {
  if (arg.type === 'MatrixSelector') {
    return { range: arg.range, offset: arg.vectorSelector.offset, at: arg.vectorSelector.at };
  }
  if (arg.type === 'SubqueryExpr') {
    return { range: arg.range, offset: arg.offset, at: arg.at };
  }
  throw new QueryError('bad_data', `expected a range vector, got ${arg.type}`);
}

/** The labels absent() gives its sample: the selector's equality matchers, unless a name repeats. */
function absentLabels(arg: Expr): Label[] {
  if (arg.type !== 'VectorSelector') return [];
  const vs: VectorSelector = arg;
  const out = new Map<string, string | null>();
  for (const m of vs.matchers) {
    if (m.name === METRIC_NAME) continue;
    if (m.type === '=' && !out.has(m.name)) out.set(m.name, m.value);
    else if (m.type === '=' || out.has(m.name)) out.set(m.name, null);
  }
  return [...out.entries()]
    .filter((e): e is [string, string] => e[1] !== null && e[1] !== '')
    .map(([name, value]) => ({ name, value }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
