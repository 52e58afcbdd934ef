/** Every detector analyze and watch run, one problem per file. */
import type { DetectorFactory } from '../detector.js';
import { conflictDetector } from './conflict.js';
import { failoverDetector } from './failover.js';
import { flipFlopDetector } from './flip-flop.js';
import { fluxDetector } from './flux.js';
import { gratuitousStormDetector } from './gratuitous-storm.js';
import { ndSpoofDetector } from './nd-spoof.js';
import { slowReplyDetector } from './slow-reply.js';
import { unansweredDetector } from './unanswered.js';
import { vantageGapDetector } from './vantage-gap.js';

export const allDetectors: readonly DetectorFactory[] = [
  unansweredDetector,
  conflictDetector,
  fluxDetector,
  flipFlopDetector,
  failoverDetector,
  gratuitousStormDetector,
  slowReplyDetector,
  ndSpoofDetector,
  vantageGapDetector,
];
