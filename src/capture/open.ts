/**
 * Opening inputs: a path, or "-" for standard input; gzip-compressed input
 * is recognised by its magic and decompressed as a stream; the capture
 * format (pcap or pcapng) by the first four bytes.
 */
import { createGunzip } from 'node:zlib';
import { CaptureError } from '../errors.js';
import { PCAP_MAGIC_MODIFIED, PCAP_MAGIC_NS, PCAP_MAGIC_US, PcapReader } from './pcap.js';
import { PCAPNG_SHB, PcapngReader } from './pcapng.js';
import type { CaptureReader } from './record.js';
import { ByteWindow, FileSource, StreamSource, type ChunkSource } from './window.js';

const SYSTEM_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  EMFILE: 'too many open files',
};

function describeSystemError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code && SYSTEM_ERRORS[code]) return SYSTEM_ERRORS[code]!;
  return err instanceof Error ? err.message : String(err);
}

function rawSource(path: string): ChunkSource {
  if (path === '-') {
    return new StreamSource(process.stdin as AsyncIterable<Buffer>);
  }
  try {
    return new FileSource(path);
  } catch (err) {
    throw new CaptureError(path, -1, `cannot open: ${describeSystemError(err)}`);
  }
}

/** Wraps a source's bytes (already partly read into `head`) in a gunzip stream. */
function gunzipSource(path: string, head: Buffer, rest: ChunkSource): ChunkSource {
  const gunzip = createGunzip();
  (async () => {
    try {
      gunzip.write(head);
      const chunk = Buffer.allocUnsafe(1 << 20);
      for (;;) {
        const n = await rest.readInto(chunk, 0, chunk.length);
        if (n === 0) break;
        if (!gunzip.write(Buffer.from(chunk.subarray(0, n)))) {
          await new Promise<void>((resolve) => gunzip.once('drain', resolve));
        }
      }
      gunzip.end();
    } catch (err) {
      gunzip.destroy(err as Error);
    }
  })();
  const iterable = (async function* () {
    try {
      for await (const c of gunzip) yield c as Buffer;
    } catch (err) {
      const msg = (err as Error).message || String(err);
      throw new CaptureError(path, -1, `gzip: ${msg === 'unexpected end of file' ? 'compressed data ends early (truncated .gz)' : msg}`);
    }
  })();
  return new StreamSource(iterable, () => rest.close(), -1, () => rest.progress?.() ?? -1);
}

/** Reads enough of an input to choose its reader. */
export async function openCapture(path: string, input = 0): Promise<CaptureReader> {
  const name = path === '-' ? '<stdin>' : path;
  let src = rawSource(path);
  let w = new ByteWindow(src);
  try {
    await w.fill(4);
  } catch (err) {
    src.close();
    throw err instanceof CaptureError ? err : new CaptureError(name, -1, `cannot read: ${describeSystemError(err)}`);
  }
  if (w.available >= 2 && w.buf[w.pos] === 0x1f && w.buf[w.pos + 1] === 0x8b) {
    const head = Buffer.from(w.buf.subarray(w.pos, w.end));
    src = gunzipSource(name, head, src);
    w = new ByteWindow(src);
    await w.fill(4);
  }
  if (w.available < 4) {
    src.close();
    throw new CaptureError(name, -1, w.available === 0 ? 'empty input' : `input too short to be a capture (${w.available} bytes)`);
  }
  const be = w.buf.readUInt32BE(w.pos);
  const le = w.buf.readUInt32LE(w.pos);
  if (be === PCAPNG_SHB) return new PcapngReader(name, w, input);
  for (const m of [PCAP_MAGIC_US, PCAP_MAGIC_NS, PCAP_MAGIC_MODIFIED]) {
    if (be === m || le === m) return new PcapReader(name, w, input);
  }
  src.close();
  throw new CaptureError(name, 0, `not a pcap or pcapng capture (magic 0x${be.toString(16).padStart(8, '0')})`);
}
