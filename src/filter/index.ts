// TEMPORARY STUB (lead): replaced by the filter compiler.
import type { FrameView } from '../decode/frame.js';
export type FramePredicate = (f: FrameView) => boolean;
export class FilterError extends Error {}
export function compileFilter(expr: string): FramePredicate {
  throw new FilterError(`filter: not supported yet: ${expr}`);
}
