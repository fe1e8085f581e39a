/**
 * Every range-vector function the engine evaluates per step and series, by name (absent_over_time
 * is planned separately). Their annotations carry the position of the call's first argument, as in
 * Prometheus.
 */
import { OVER_TIME_FUNCTIONS } from './over-time';
import { RATE_FUNCTIONS } from './rate';
import { REGRESSION_FUNCTIONS } from './regression';
import { SMOOTHING_FUNCTIONS } from './smoothing';
import type { RangeFunction } from './types';

export const RANGE_FUNCTIONS: Record<string, RangeFunction> = {
  ...RATE_FUNCTIONS,
  ...OVER_TIME_FUNCTIONS,
  ...REGRESSION_FUNCTIONS,
  ...SMOOTHING_FUNCTIONS,
};
