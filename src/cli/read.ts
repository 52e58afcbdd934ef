/** `arpscope read`: tcpdump-exact lines for the selected frames. */
import { compileFilter } from '../filter/index.js';
import { FramePrinter } from '../print/frame.js';
import { openCaptures, scanFrames, selectArpNd } from '../read.js';
import { Output } from './output.js';

export interface ReadOptions {
  inputs: string[];
  filter: string;
  eflag: boolean;
  vflag: number;
  tflag: number;
  numbers: boolean;
  nano: boolean;
  /** Stop after this many printed frames (0: no limit). */
  count: number;
}

/** Text sink: stdout by default, a string in tests. */
export interface Sink {
  write(s: string): void;
  flush(): void;
}

export async function runRead(o: ReadOptions, out: Sink = new Output()): Promise<void> {
  const select = o.filter ? compileFilter(o.filter) : selectArpNd;
  const printer = new FramePrinter({ eflag: o.eflag, vflag: o.vflag, tflag: o.tflag, numbers: o.numbers, nano: o.nano });
  const reader = await openCaptures(o.inputs);
  let printed = 0;
  try {
    await scanFrames(
      reader,
      (_f, r) => {
        printed++;
        out.write(printer.format(r, printed));
        return o.count === 0 || printed < o.count;
      },
      { select },
    );
  } finally {
    // Whatever was read before an error is printed before the error line.
    out.flush();
    reader.close();
  }
}
