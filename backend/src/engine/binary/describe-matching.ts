/** The `on(…)`/`ignoring(…)` and `group_x(…)` clause as written, for operator descriptions. */
import type { VectorMatching } from '../parser/ast';

export function describeMatching(matching: VectorMatching): string {
  let out = '';
  if (matching.on || matching.matchingLabels.length > 0) {
    out += ` ${matching.on ? 'on' : 'ignoring'}(${matching.matchingLabels.join(', ')})`;
  }
  if (matching.card === 'many-to-one' || matching.card === 'one-to-many') {
    out += ` ${matching.card === 'many-to-one' ? 'group_left' : 'group_right'}(${matching.include.join(', ')})`;
  }
  return out;
}
