/**
 * Batched writes to stdout: many small lines become a few large writes.
 * A closed pipe (`| head`) ends the program quietly, as it does tcpdump.
 */
import { writeSync } from 'node:fs';

const FLUSH_AT = 1 << 16;

export class Output {
  private pending = '';
  private closed = false;

  constructor(private readonly fd = 1) {}

  write(s: string): void {
    this.pending += s;
    if (this.pending.length >= FLUSH_AT) this.flush();
  }

  flush(): void {
    if (this.pending.length === 0 || this.closed) return;
    const data = Buffer.from(this.pending, 'utf8');
    this.pending = '';
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

const waitCell = new Int32Array(new SharedArrayBuffer(4));
function sleepBriefly(): void {
  Atomics.wait(waitCell, 0, 0, 2);
}
