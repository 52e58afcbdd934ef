/**
 * tcpdump's timestamp column for -t variants, local time honouring TZ.
 * The "HH:MM:SS" / date text is cached per second: consecutive frames in the
 * same second cost one string concatenation.
 */

export enum TimeFormat {
  /** default: HH:MM:SS.frac local time */
  Local = 0,
  /** -t: none */
  None = 1,
  /** -tt: seconds since the epoch */
  Unix = 2,
  /** -ttt: delta since the previous frame */
  DeltaPrev = 3,
  /** -tttt: date and local time */
  LocalDate = 4,
  /** -ttttt: delta since the first frame */
  DeltaFirst = 5,
}

const pad2 = (n: number): string => (n < 10 ? '0' + n : String(n));
const ZEROS = '000000000';
/** "000".."999" */
const D3: readonly string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

export class TimestampFormatter {
  private cacheSec = -1;
  private cacheText = '';
  private refSec = -1;
  private refNsec = 0;

  constructor(
    readonly format: TimeFormat,
    /** Print nanoseconds (--nano) instead of microseconds. */
    readonly nano = false,
  ) {}

  private frac(nsec: number): string {
    if (this.nano) {
      const s = String(nsec);
      return '.' + (s.length >= 9 ? s : ZEROS.slice(0, 9 - s.length) + s);
    }
    const us = Math.floor(nsec / 1000);
    const hi = Math.floor(us / 1000);
    return '.' + D3[hi]! + D3[us - hi * 1000]!;
  }

  private clock(sec: number, utc: boolean, withDate: boolean): string {
    if (!utc && sec === this.cacheSec) return this.cacheText;
    const d = new Date(sec * 1000);
    let text: string;
    if (utc) {
      // Deltas are printed with gmtime: hours wrap at a day, like tcpdump's %H.
      return pad2(d.getUTCHours()) + ':' + pad2(d.getUTCMinutes()) + ':' + pad2(d.getUTCSeconds());
    }
    text = pad2(d.getHours()) + ':' + pad2(d.getMinutes()) + ':' + pad2(d.getSeconds());
    if (withDate) {
      text = d.getFullYear() + '-' + pad2(d.getMonth() + 1) + '-' + pad2(d.getDate()) + ' ' + text;
    }
    this.cacheSec = sec;
    this.cacheText = text;
    return text;
  }

  /** The timestamp column including its trailing space ('' for -t). */
  text(sec: number, nsec: number): string {
    // libpcap hands tcpdump microseconds unless it asked for nanoseconds.
    if (!this.nano) nsec = Math.floor(nsec / 1000) * 1000;
    switch (this.format) {
      case TimeFormat.None:
        return '';
      case TimeFormat.Local:
      case TimeFormat.LocalDate:
        if (sec < 0 || sec > 0x7fffffff) return '[Error converting time] ';
        return this.clock(sec, false, this.format === TimeFormat.LocalDate) + this.frac(nsec) + ' ';
      case TimeFormat.Unix:
        if (sec < 0 || sec > 0x7fffffff) return '[Error converting time] ';
        return String(sec) + this.frac(nsec) + ' ';
      case TimeFormat.DeltaPrev:
      case TimeFormat.DeltaFirst: {
        if (this.refSec < 0) {
          this.refSec = sec;
          this.refNsec = nsec;
        }
        let ds = sec - this.refSec;
        let dn = nsec - this.refNsec;
        let sign = ' ';
        if (ds < 0 || (ds === 0 && dn < 0)) {
          sign = '-';
          ds = -ds;
          dn = -dn;
        }
        if (dn < 0) {
          ds -= 1;
          dn += 1e9;
        }
        if (this.format === TimeFormat.DeltaPrev) {
          this.refSec = sec;
          this.refNsec = nsec;
        }
        return sign + this.clock(ds, true, false) + this.frac(dn) + ' ';
      }
    }
  }
}
