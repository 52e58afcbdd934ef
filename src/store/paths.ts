/** Where the store lives by default, and the durations of --retain and --since. */
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { UsageError } from '../errors.js';

/**
 * $ARPSCOPE_DB; else, as root, /var/lib/arpscope/arpscope.db; else
 * $XDG_STATE_HOME (when absolute, as the XDG spec requires) or ~/.local/state,
 * then arpscope/arpscope.db.
 */
export function defaultDbPath(env: NodeJS.ProcessEnv = process.env, uid: number | undefined = process.getuid?.()): string {
  const explicit = env['ARPSCOPE_DB'];
  if (explicit) return explicit;
  if (uid === 0) return '/var/lib/arpscope/arpscope.db';
  const xdg = env['XDG_STATE_HOME'];
  const state = xdg && isAbsolute(xdg) ? xdg : join(env['HOME'] || homedir(), '.local', 'state');
  return join(state, 'arpscope', 'arpscope.db');
}

const UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
/** 100 years: anything longer is a typo. */
const MAX_SECONDS = 100 * 365 * 86400;

/**
 * '7d' '24h' '90m' '3600s' '3600' (seconds), also combined ('1d12h') and
 * fractional ('1.5h'). Throws UsageError on anything else.
 */
export function parseDuration(text: string): number {
  const t = text.trim().toLowerCase();
  let seconds: number;
  if (/^\d+(\.\d+)?$/.test(t)) seconds = Number(t);
  else if (/^(\d+(\.\d+)?[smhdw])+$/.test(t)) {
    seconds = 0;
    for (const m of t.matchAll(/(\d+(?:\.\d+)?)([smhdw])/g)) seconds += Number(m[1]) * UNIT[m[2]!]!;
  } else throw new UsageError(`invalid duration '${text}' (want e.g. 7d, 24h, 90m, 3600s)`);
  if (!(seconds <= MAX_SECONDS)) throw new UsageError(`duration '${text}' is too long (at most 100 years)`);
  return seconds;
}
