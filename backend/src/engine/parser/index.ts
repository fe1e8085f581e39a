/** The PromQL front end: text → typed AST (parse.ts), its types, and the Prometheus-compatible printer. */
export * from './ast';
export { parseExpr } from './parse';
export { printExpr, formatDuration } from './printer';
export { exprType, documentedType } from './types';
export { isComparisonOp, isSetOp } from './check';
export { FUNCTIONS, getFunction, AT_MODIFIER_UNSAFE_FUNCTIONS } from './functions';
export { formatPosition } from './errors';
export { formatFloat, goQuote } from './go-format';
