/**
 * Filter expressions (a pcap-filter(7) subset, see parser.ts) compiled to a
 * per-frame predicate over FrameView.
 */
import { compileNode, type FramePredicate } from './compile.js';
import { parseFilter } from './parser.js';

export { FilterError } from './lexer.js';
export { formatFilter, parseFilter, type FilterNode } from './parser.js';
export type { FramePredicate } from './compile.js';

/**
 * Compiles `expr` (argv words joined by spaces, as tcpdump does; empty
 * matches every frame). Throws FilterError with the 0-based position.
 */
export function compileFilter(expr: string): FramePredicate {
  return compileNode(parseFilter(expr));
}
