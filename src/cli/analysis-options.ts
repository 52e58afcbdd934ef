/**
 * The options analyze and watch share: what the operator knows about the
 * segment and the thresholds, turned into an AnalyzeConfig. One parser, so
 * both commands accept and reject the same values with the same words.
 */
import { defaultConfig, parseCidr, parseMac, type AnalyzeConfig } from '../analyze/config.js';
import { UsageError } from '../errors.js';

export interface AnalysisCliOptions {
  subnet: string[];
  virtualMac: string[];
  trustedRouter: string[];
  slowMs?: string;
  /** Default 100 (DEFAULT_MAX_PER_KIND); 0 keeps everything. */
  maxPerKind?: string;
}

/** The config for `command` ('analyze', 'watch'), named in the usage errors. */
export function analysisConfig(command: string, o: AnalysisCliOptions): AnalyzeConfig {
  const config = defaultConfig();
  for (const s of o.subnet) {
    const c = parseCidr(s);
    if (!c) throw new UsageError(`${command}: invalid --subnet '${s}' (want A.B.C.D/LEN)`);
    config.subnets.push(c);
  }
  for (const m of o.virtualMac) {
    const mac = parseMac(m);
    if (mac < 0) throw new UsageError(`${command}: invalid --virtual-mac '${m}'`);
    config.virtualMacs.add(mac);
  }
  for (const r of o.trustedRouter) config.trustedRouters.add(r.toLowerCase());
  if (o.slowMs !== undefined) {
    const n = Number(o.slowMs);
    if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${command}: invalid value '${o.slowMs}' for --slow-ms`);
    config.slowMs = n;
  }
  if (o.maxPerKind !== undefined) {
    const n = Number(o.maxPerKind);
    if (!Number.isInteger(n) || n < 0) throw new UsageError(`${command}: invalid --max-per-kind '${o.maxPerKind}'`);
    config.maxPerKind = n;
  }
  return config;
}
