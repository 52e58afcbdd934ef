import { describe, expect, it } from 'vitest';
import { lcg } from '../../../test/detector-harness.js';
import { EventStage } from './stage.js';

describe('EventStage', () => {
  it('promotes exactly when depth + 1 events fall within the window, and hands them over oldest first', () => {
    const depth = 3;
    const windowS = 10;
    const stage = new EventStage(depth, 2, 1, windowS);
    // Per id, everything added, to check against: (value, time) pairs.
    const seen = new Map<number, [number, number][]>();
    const rnd = lcg(7);
    let t = 0;
    let promotions = 0;
    for (let i = 0; i < 5000; i++) {
      t += rnd(2); // whole seconds: events land on the window's edge too
      const id = rnd(i < 2500 ? 6 : 300); // later ids force the columns to grow
      const list = seen.get(id) ?? [];
      seen.set(id, list);
      list.push([i, t]);
      stage.next[0] = i;
      stage.next[1] = t;
      const last = list.slice(-(depth + 1));
      const want = last.length === depth + 1 && t - last[0]![1] <= windowS;
      expect(stage.add(id), `event ${i} of id ${id}`).toBe(want);
      if (!want) continue;
      promotions++;
      const out = new Float64Array(2 + (depth + 1) * 2).fill(NaN);
      stage.copy(id, out, 2);
      expect([...out.subarray(2)]).toEqual(last.flat());
      // A promoted id starts over, as the detectors take it out of staging.
      seen.set(id, []);
      stage.next[1] = -Infinity;
      for (let k = 0; k < depth; k++) stage.add(id);
    }
    expect(promotions).toBeGreaterThan(50);
  });
});
