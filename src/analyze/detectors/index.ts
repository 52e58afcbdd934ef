/** Every detector analyze and watch run, one problem per file. */
import type { DetectorFactory } from '../detector.js';
import { conflictDetector } from './conflict.js';
import { failoverDetector } from './failover.js';
import { flipFlopDetector } from './flip-flop.js';
import { fluxDetector } from './flux.js';
import { gratuitousStormDetector } from './gratuitous-storm.js';
import { macChangeResetDetector } from './mac-change-reset.js';
import { ndDadConflictDetector } from './nd-dad-conflict.js';
import { ndRogueRaDetector } from './nd-rogue-ra.js';
import { ndSpoofDetector } from './nd-spoof.js';
import { ndUnansweredDetector } from './nd-unanswered.js';
import { probeConflictDetector } from './probe-conflict.js';
import { proxyDetector } from './proxy.js';
import { scanDetector } from './scan.js';
import { senderMismatchDetector } from './sender-mismatch.js';
import { slowReplyDetector } from './slow-reply.js';
import { spoofDetector } from './spoof.js';
import { unansweredDetector } from './unanswered.js';
import { vantageGapDetector } from './vantage-gap.js';
import { virtualResponderDetector } from './virtual-responder.js';
import { timelineDetector } from './timeline.js';

export const allDetectors: readonly DetectorFactory[] = [
  unansweredDetector,
  conflictDetector,
  fluxDetector,
  flipFlopDetector,
  failoverDetector,
  gratuitousStormDetector,
  slowReplyDetector,
  proxyDetector,
  senderMismatchDetector,
  spoofDetector,
  macChangeResetDetector,
  virtualResponderDetector,
  probeConflictDetector,
  scanDetector,
  ndUnansweredDetector,
  ndDadConflictDetector,
  ndRogueRaDetector,
  ndSpoofDetector,
  vantageGapDetector,
  timelineDetector,
];

/**
 * The detectors a second thread may run on an engine of its own (see
 * second-pass.ts): none reads the binding table, the timeline or another
 * input's state, and those sharing a tracker (answers: conflict, flux,
 * flip-flop; owners: flip-flop, failover, mac-change-reset) go together.
 */
export const offloadable: ReadonlySet<DetectorFactory> = new Set([
  unansweredDetector,
  conflictDetector,
  fluxDetector,
  flipFlopDetector,
  failoverDetector,
  macChangeResetDetector,
  ndUnansweredDetector,
  ndDadConflictDetector,
  ndRogueRaDetector,
  ndSpoofDetector,
  // Independent, and moved here to even out the two threads' work.
  proxyDetector,
  probeConflictDetector,
  gratuitousStormDetector,
]);
