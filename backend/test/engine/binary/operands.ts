/** Builds operator trees for tests the way the planner would, from PromQL-like pieces. */
import { createBinaryOperator, UnaryNegationOperator } from '../../../src/engine/binary';
import type { QueryContext } from '../../../src/engine/model/context';
import type { VectorOperator } from '../../../src/engine/model/operator';
import type { BinaryOp, VectorMatching } from '../../../src/engine/parser/ast';
import { expandPoints, expectMatrix, parseLabels } from '../helpers/promqltest';
import { replayValues, runRange, scalar } from '../helpers/replay';

export interface Operand {
  op: VectorOperator;
  isScalar: boolean;
}

export interface Modifiers {
  on?: string[];
  ignoring?: string[];
  groupLeft?: string[];
  groupRight?: string[];
  bool?: boolean;
}

const POS = { start: 0, end: 1 };

export function S(ctx: QueryContext, value: number): Operand {
  return { op: scalar(ctx, value), isScalar: true };
}

/** An instant vector operand: `{ 'name{a="b"}': '1 2 _ 4' }`, points per step in promqltest notation. */
export function V(ctx: QueryContext, series: Record<string, string>): Operand {
  const entries = Object.entries(series);
  const op = replayValues(
    ctx,
    entries.map(([labels]) => parseLabels(labels)),
    entries.map(([, points]) => expandPoints(points))
  );
  return { op, isScalar: false };
}

function isSetOp(op: BinaryOp): boolean {
  return op === 'and' || op === 'or' || op === 'unless';
}

export function bin(ctx: QueryContext, lhs: Operand, op: BinaryOp, rhs: Operand, mods: Modifiers = {}): Operand {
  let matching: VectorMatching | null = null;
  if (!lhs.isScalar && !rhs.isScalar) {
    matching = {
      card: isSetOp(op)
        ? 'many-to-many'
        : mods.groupLeft
          ? 'many-to-one'
          : mods.groupRight
            ? 'one-to-many'
            : 'one-to-one',
      matchingLabels: mods.on ?? mods.ignoring ?? [],
      on: mods.on !== undefined,
      include: mods.groupLeft ?? mods.groupRight ?? [],
    };
  }
  const spec = {
    op,
    matching,
    returnBool: mods.bool ?? false,
    pos: POS,
    lhsIsScalar: lhs.isScalar,
    rhsIsScalar: rhs.isScalar,
  };
  return { op: createBinaryOperator(ctx, spec, lhs.op, rhs.op), isScalar: lhs.isScalar && rhs.isScalar };
}

export function neg(ctx: QueryContext, x: Operand): Operand {
  return { op: new UnaryNegationOperator(ctx, x.op, POS), isScalar: x.isScalar };
}

/** Runs an operator over the context's range and compares with `{ '{a="b"}': '1 2 _ 4' }` (promqltest's tolerance). */
export async function expectResult(
  op: VectorOperator,
  ctx: QueryContext,
  expected: Record<string, string>
): Promise<void> {
  expectMatrix(await runRange(op, ctx), expected);
}
