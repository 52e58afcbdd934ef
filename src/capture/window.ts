/**
 * A sliding window over an input byte stream. Readers parse records in place
 * from `buf[pos .. end)`; `fill()` compacts and appends more input, growing
 * the buffer only when one record is larger than it (bounded by `maxSize`).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export interface ChunkSource {
  /** Reads up to `len` bytes into `buf` at `off`; resolves 0 at end of input. */
  readInto(buf: Buffer, off: number, len: number): Promise<number>;
  close(): void;
  /** Total size when known, else -1. */
  readonly size: number;
  /** Continues reading at byte `offset`; false when this source cannot (only regular files can). */
  seek?(offset: number): boolean;
  /** How far reads have come through the input as stored (a .gz file's compressed bytes), 0..1; -1 when unknown. */
  progress?(): number;
}

/**
 * 512 KiB: the bytes a read copies in are still in the CPU cache when the
 * records are parsed (4 MiB was 15-20 % slower end to end on 1 GiB of mixed
 * traffic); a larger record grows the window.
 */
const INITIAL_SIZE = 512 << 10;
/** Bytes per read once the window has seeked. */
const SEEK_READ_SIZE = 64 << 10;

export class ByteWindow {
  buf: Buffer;
  /** Parse cursor and end of valid bytes in `buf`. */
  pos = 0;
  end = 0;
  /** Absolute input offset of buf[0]. */
  base = 0;
  eof = false;
  /** Most bytes one read asks for: the whole free buffer, until a seek (see seek()). */
  private readSize = Infinity;

  constructor(
    readonly source: ChunkSource,
    readonly maxSize = 64 << 20,
    initialSize = INITIAL_SIZE,
  ) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  get available(): number {
    return this.end - this.pos;
  }

  /** Absolute input offset of the parse cursor. */
  get offset(): number {
    return this.base + this.pos;
  }

  /**
   * Makes at least `min` bytes available from `pos` if the input has them.
   * Resolves false when the input ended with fewer than `min` bytes left.
   */
  async fill(min: number): Promise<boolean> {
    if (this.end - this.pos >= min) return true;
    if (min > this.buf.length) {
      const size = Math.min(this.maxSize, Math.max(min, this.buf.length * 2));
      if (size < min) return false;
      const next = Buffer.allocUnsafe(size);
      this.buf.copy(next, 0, this.pos, this.end);
      this.base += this.pos;
      this.end -= this.pos;
      this.pos = 0;
      this.buf = next;
    } else if (this.pos > 0) {
      this.buf.copy(this.buf, 0, this.pos, this.end);
      this.base += this.pos;
      this.end -= this.pos;
      this.pos = 0;
    }
    while (!this.eof && this.end - this.pos < min) {
      const n = await this.source.readInto(this.buf, this.end, Math.min(this.buf.length - this.end, this.readSize));
      if (n === 0) this.eof = true;
      else this.end += n;
    }
    return this.end - this.pos >= min;
  }

  /**
   * Moves the parse cursor to input offset `offset`: within the bytes held,
   * or by dropping them and reading on from there. False when the source
   * cannot seek (a stream) and the offset is not held.
   */
  seek(offset: number): boolean {
    if (offset >= this.base && offset <= this.base + this.end) {
      this.pos = offset - this.base;
      return true;
    }
    if (this.source.seek?.(offset) !== true) return false;
    // A reader that seeks wants a few records here and there: reading a whole window each time would read the file again.
    this.readSize = SEEK_READ_SIZE;
    this.base = offset;
    this.pos = this.end = 0;
    this.eof = false;
    return true;
  }
}

/** A regular file read with synchronous reads (fastest for page-cached files). */
export class FileSource implements ChunkSource {
  private fd: number;
  readonly size: number;
  /** A regular file: read at positions (and seekable). A FIFO or a device (`<(tcpdump -w -)`) is read as it comes. */
  private readonly regular: boolean;
  /** Where the next read starts (regular files). */
  private at = 0;
  constructor(path: string) {
    this.fd = openSync(path, 'r');
    const st = fstatSync(this.fd);
    this.regular = st.isFile();
    this.size = this.regular ? st.size : -1;
  }
  readInto(buf: Buffer, off: number, len: number): Promise<number> {
    if (len === 0) return Promise.resolve(0);
    const n = readSync(this.fd, buf, off, len, this.regular ? this.at : null);
    this.at += n;
    return Promise.resolve(n);
  }
  seek(offset: number): boolean {
    if (!this.regular) return false;
    this.at = offset;
    return true;
  }
  progress(): number {
    return this.size > 0 ? Math.min(1, this.at / this.size) : -1;
  }
  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

/** Any async iterable of chunks (stdin, a gunzip stream). */
export class StreamSource implements ChunkSource {
  private it: AsyncIterator<Buffer>;
  private pending: Buffer | null = null;
  private pendingOff = 0;
  constructor(
    iterable: AsyncIterable<Buffer>,
    private readonly onClose: () => void = () => {},
    readonly size = -1,
    /** Progress of what the chunks come from (a gunzip stream: the compressed file). */
    readonly progress: () => number = () => -1,
  ) {
    this.it = iterable[Symbol.asyncIterator]();
  }
  async readInto(buf: Buffer, off: number, len: number): Promise<number> {
    if (len === 0) return 0;
    while (this.pending === null || this.pendingOff >= this.pending.length) {
      const r = await this.it.next();
      if (r.done) return 0;
      this.pending = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
      this.pendingOff = 0;
    }
    const n = Math.min(len, this.pending.length - this.pendingOff);
    this.pending.copy(buf, off, this.pendingOff, this.pendingOff + n);
    this.pendingOff += n;
    return n;
  }
  close(): void {
    this.onClose();
  }
}
