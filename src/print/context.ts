/**
 * The printing state for one frame, modelled on tcpdump's netdissect_options.
 *
 * Printers append text to `out` and read bytes from `buf` strictly below
 * `snapend` (the end of the *captured* bytes). The wire length is passed to
 * each printer separately and is used only for "length N" texts.
 *
 * Truncation: a printer that needs bytes past `snapend` calls `p.need()`,
 * which throws the shared TRUNCATED sentinel; the frame printer catches it
 * and appends ` [|<protocol>]`, exactly as tcpdump's longjmp does. Nothing
 * else is ever thrown by printers.
 */
export interface PrintOptions {
  /** -e: print the link-level header. */
  eflag: boolean;
  /** -v count (0..3). */
  vflag: number;
}

/** Thrown (as this one shared object) when a printer runs past the captured bytes. */
export const TRUNCATED: { readonly truncated: true } = Object.freeze({ truncated: true as const });

export function isTruncated(e: unknown): boolean {
  return e === TRUNCATED;
}

export class Printer implements PrintOptions {
  eflag = false;
  vflag = 0;
  /** Text of the current frame (without the timestamp and the final newline). */
  out = '';
  buf: Buffer = Buffer.alloc(0);
  /** Start of the frame's bytes in `buf`. */
  packetStart = 0;
  /** End (exclusive) of the captured bytes in `buf`. */
  snapend = 0;
  /** Name printed in ` [|name]` when a printer runs out of bytes. */
  protocol = '';
  /** Link-layer header length (for hex dumps that skip it). */
  llHdrLen = 0;

  constructor(opts?: Partial<PrintOptions>) {
    if (opts) {
      if (opts.eflag !== undefined) this.eflag = opts.eflag;
      if (opts.vflag !== undefined) this.vflag = opts.vflag;
    }
  }

  /** Starts a new frame. */
  begin(buf: Buffer, off: number, caplen: number): void {
    this.buf = buf;
    this.packetStart = off;
    this.snapend = off + caplen;
    this.out = '';
    this.protocol = '';
    this.llHdrLen = 0;
  }

  /** True when `len` bytes starting at `off` were captured. */
  has(off: number, len: number): boolean {
    return off >= 0 && len >= 0 && off + len <= this.snapend;
  }

  /** Ensures `len` bytes starting at `off` were captured, or throws TRUNCATED. */
  need(off: number, len: number): void {
    if (!(off >= 0 && len >= 0 && off + len <= this.snapend)) throw TRUNCATED;
  }

  /** Bytes captured from `off` to the end of the captured data (0 if past it). */
  avail(off: number): number {
    return off < this.snapend ? this.snapend - off : 0;
  }

  u8(off: number): number {
    if (off < 0 || off + 1 > this.snapend) throw TRUNCATED;
    return this.buf[off]!;
  }
  u16(off: number): number {
    if (off < 0 || off + 2 > this.snapend) throw TRUNCATED;
    return (this.buf[off]! << 8) | this.buf[off + 1]!;
  }
  u16le(off: number): number {
    if (off < 0 || off + 2 > this.snapend) throw TRUNCATED;
    return this.buf[off]! | (this.buf[off + 1]! << 8);
  }
  u24(off: number): number {
    if (off < 0 || off + 3 > this.snapend) throw TRUNCATED;
    return (this.buf[off]! << 16) | (this.buf[off + 1]! << 8) | this.buf[off + 2]!;
  }
  u32(off: number): number {
    if (off < 0 || off + 4 > this.snapend) throw TRUNCATED;
    return this.buf.readUInt32BE(off);
  }
  u32le(off: number): number {
    if (off < 0 || off + 4 > this.snapend) throw TRUNCATED;
    return this.buf.readUInt32LE(off);
  }

  /** Like tcpdump's nd_print_trunc: appends ` [|proto]`. */
  printTrunc(): void {
    this.out += ` [|${this.protocol}]`;
  }
  /** Like tcpdump's nd_print_invalid. */
  printInvalid(): void {
    this.out += ' (invalid)';
  }
}
