/**
 * Errors that name where the problem is. The CLI maps each to one line and
 * an exit code; nothing else should reach the user as a stack trace.
 */

/** Unreadable, truncated or corrupt capture input (exit 3). */
export class CaptureError extends Error {
  override readonly name = 'CaptureError';
  constructor(
    readonly file: string,
    /** Byte offset in the (decompressed) input where the problem starts; -1 when not about a position. */
    readonly offset: number,
    readonly detail: string,
  ) {
    super(offset >= 0 ? `${file}: ${detail} at byte offset ${offset}` : `${file}: ${detail}`);
  }
}

/** A bad command-line argument (exit 2). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(message: string) {
    super(message);
  }
}
