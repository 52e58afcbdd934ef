/**
 * Not a problem detector: feeds the TimelineCollector the HTML report draws
 * (rates, binding lanes, latency samples). It emits no finding; analyze reads
 * the collector back with engine.shared('timeline', ...) after finish().
 */
import type { DetectorFactory } from '../detector.js';
import type { ArpEvent, NdEvent } from '../events.js';
import { TimelineCollector } from '../timeline.js';

export const timelineDetector: DetectorFactory = (ctx) => {
  const c = ctx.shared('timeline', () => new TimelineCollector(ctx.config.slowMs));
  return {
    kind: 'timeline',
    onArp(e: ArpEvent) {
      c.onArp(e);
    },
    onNd(e: NdEvent) {
      c.onNd(e);
    },
    finish() {
      c.finish();
      ctx.shared('timeline', () => c);
    },
  };
};
