/**
 * Batched writes to stdout through one reusable byte buffer: the fast
 * printer writes ASCII into it directly, other lines are encoded into it,
 * and it goes out in large writeSync calls. Memory stays flat whatever
 * the input size. A closed pipe (`| head`) ends the program quietly, as
 * it does tcpdump.
 */
import { writeSync } from 'node:fs';
import type { ByteSink } from '../print/fast.js';

/** Text sink: stdout by default, a string in tests. */
export interface Sink {
  write(s: string): void;
  flush(): void;
}

/** A sink that also takes bytes (what the fast printer writes into). */
export type ByteTextSink = Sink & ByteSink;

/** 256 KiB: few syscalls, and a buffer that stays in the CPU's cache. */
const BUFFER_SIZE = 1 << 18;

export class Output implements ByteTextSink {
  buf: Buffer;
  pos = 0;
  private closed = false;

  constructor(
    private readonly fd = 1,
    size = BUFFER_SIZE,
  ) {
    this.buf = Buffer.allocUnsafe(size);
  }

  write(s: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    const max = 3 * s.length;
    if (max > this.buf.length - this.pos) {
      this.flush();
      if (max > this.buf.length) {
        this.writeAll(Buffer.from(s, 'utf8'));
        return;
      }
    }
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  room(n: number): void {
    if (this.buf.length - this.pos >= n) return;
    this.flush();
    if (this.buf.length < n) this.buf = Buffer.allocUnsafe(n);
  }

  flush(): void {
    const n = this.pos;
    this.pos = 0;
    if (n > 0) this.writeAll(this.buf.subarray(0, n));
  }

  private writeAll(data: Buffer): void {
    if (this.closed) return;
    let off = 0;
    while (off < data.length) {
      try {
        off += writeSync(this.fd, data, off, data.length - off);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') {
          sleepBriefly();
          continue;
        }
        if (code === 'EPIPE') {
          this.closed = true;
          process.exit(0);
        }
        throw err;
      }
    }
  }
}

/**
 * Gives a text-only sink (a test's string collector) the byte interface:
 * bytes are handed on as text, in order with the strings.
 */
export class TextSinkAdapter implements ByteTextSink {
  buf = Buffer.allocUnsafe(1 << 16);
  pos = 0;

  constructor(private readonly inner: Sink) {}

  write(s: string): void {
    this.pass();
    this.inner.write(s);
  }

  room(n: number): void {
    if (this.buf.length - this.pos >= n) return;
    this.pass();
    if (this.buf.length < n) this.buf = Buffer.allocUnsafe(n);
  }

  flush(): void {
    this.pass();
    this.inner.flush();
  }

  /** The fast printer writes ASCII only: latin1 decodes it as is. */
  private pass(): void {
    if (this.pos === 0) return;
    const s = this.buf.toString('latin1', 0, this.pos);
    this.pos = 0;
    this.inner.write(s);
  }
}

export function byteSink(s: Sink): ByteTextSink {
  const b = s as Partial<ByteTextSink>;
  return b.buf instanceof Buffer && typeof b.room === 'function' && typeof b.pos === 'number' ? (s as ByteTextSink) : new TextSinkAdapter(s);
}

const waitCell = new Int32Array(new SharedArrayBuffer(4));
/** stdout can be a non-blocking pipe: wait a little for the reader. */
function sleepBriefly(): void {
  Atomics.wait(waitCell, 0, 0, 2);
}
