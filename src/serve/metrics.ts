/** Prometheus metrics for watch (prom-client), named arpscope_*. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class WatchMetrics {
  readonly registry = new Registry();
  readonly frames = new Counter({ name: 'arpscope_frames_total', help: 'ARP/RARP/ND frames seen, by kind and interface', labelNames: ['iface', 'kind'] as const, registers: [this.registry] });
  readonly arpRequests = new Counter({ name: 'arpscope_arp_requests_total', help: 'ARP requests (not gratuitous, not probes)', labelNames: ['iface'] as const, registers: [this.registry] });
  readonly arpReplies = new Counter({ name: 'arpscope_arp_replies_total', help: 'ARP replies', labelNames: ['iface'] as const, registers: [this.registry] });
  readonly gratuitous = new Counter({ name: 'arpscope_arp_gratuitous_total', help: 'Gratuitous ARP announcements', labelNames: ['iface'] as const, registers: [this.registry] });
  readonly unanswered = new Gauge({ name: 'arpscope_arp_unanswered_targets', help: 'Targets whose ARP requests got no reply in the last window', labelNames: ['iface'] as const, registers: [this.registry] });
  readonly latency = new Histogram({
    name: 'arpscope_arp_reply_latency_seconds',
    help: 'Time from an ARP request to its reply',
    labelNames: ['iface'] as const,
    buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly activeFindings = new Gauge({ name: 'arpscope_active_findings', help: 'Findings currently raised, by kind and severity', labelNames: ['kind', 'severity'] as const, registers: [this.registry] });
  readonly alerts = new Counter({ name: 'arpscope_alerts_total', help: 'Alerts emitted, by kind and state', labelNames: ['kind', 'state'] as const, registers: [this.registry] });
  readonly bindings = new Gauge({ name: 'arpscope_bindings', help: 'IP-to-MAC bindings known (store included)', registers: [this.registry] });
  readonly captureDrops = new Gauge({ name: 'arpscope_capture_dropped_frames', help: 'Frames the kernel dropped for the capture (tcpdump statistics), by interface', labelNames: ['iface'] as const, registers: [this.registry] });
  readonly captureRestarts = new Counter({ name: 'arpscope_capture_restarts_total', help: 'Capture child restarts (after a crash, a kill, an interface down or gone)', labelNames: ['iface'] as const, registers: [this.registry] });
  readonly captureUp = new Gauge({ name: 'arpscope_capture_up', help: '1 while the capture of an interface runs', labelNames: ['iface'] as const, registers: [this.registry] });
  readonly storeErrors = new Gauge({ name: 'arpscope_store_errors', help: 'Store write failures so far', registers: [this.registry] });
  readonly storePending = new Gauge({ name: 'arpscope_store_pending', help: 'Rows buffered in memory waiting for the store', registers: [this.registry] });
  readonly storeDropped = new Gauge({ name: 'arpscope_store_dropped', help: 'Rows dropped because the store buffer was full', registers: [this.registry] });
  readonly webhookFailures = new Gauge({ name: 'arpscope_webhook_failures', help: 'Webhook delivery failures so far', registers: [this.registry] });
  readonly evidenceMisses = new Counter({ name: 'arpscope_evidence_unbuffered_total', help: 'Evidence frames no longer in the frame buffer', registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'arpscope_process_' });
  }
}
