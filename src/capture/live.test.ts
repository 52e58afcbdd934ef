/**
 * LiveCapture against real kernel traffic: two network namespaces created
 * here (unique per run), joined by a veth pair created directly inside them
 * (nothing is added to the root namespace), addresses only from
 * 192.0.2.0/24 and 198.51.100.0/24. The capture runs inside namespace A
 * through `ip netns exec`. Every wait is bounded; namespaces, processes and
 * temporary files are removed in afterAll even when a test fails.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrameView, NetKind } from '../decode/frame.js';
import { UsageError } from '../errors.js';
import { classify, DEFAULT_LIVE_BPF, LiveCapture, type LiveOptions, type LiveState } from './live.js';

const run = promisify(execFile);

function have(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const missing = ['ip', 'tcpdump', 'arping'].filter((c) => !have(c));
const skipReason = process.getuid?.() !== 0 ? 'needs root' : missing.length > 0 ? `missing ${missing.join(', ')}` : '';
const haveSetpriv = !skipReason && have('setpriv');
const havePython = !skipReason && have('python3');

/** Frames sent raw on lv1: what the default filter must keep, then what it must drop, then an end marker. */
const INJECT = `
import socket, struct
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(('lv1', 0))
src = bytes.fromhex('020000000002'); bc = b'\\xff' * 6
a4 = socket.inet_aton
def tag(tpid, vid): return struct.pack('!HH', tpid, vid)
def arp(spa, tpa): return b'\\x08\\x06' + struct.pack('!HHBBH', 1, 0x0800, 6, 4, 1) + src + a4(spa) + bytes(6) + a4(tpa)
def ip4(proto, l4): return b'\\x08\\x00' + struct.pack('!BBHHHBBH', 0x45, 0, 20 + len(l4), 1, 0, 64, proto, 0) + a4('198.51.100.2') + a4('198.51.100.1') + l4
def tcp(flags): return struct.pack('!HHIIBBHHH', 40000, 9, 1, 0, 0x50, flags, 0, 0, 0)
def ip6(t): return b'\\x86\\xdd' + struct.pack('!IHBB', 0x60000000, 24, 58, 255) + socket.inet_pton(socket.AF_INET6, 'fe80::2') + socket.inet_pton(socket.AF_INET6, 'ff02::1:ff00:1') + bytes([t, 0]) + bytes(6) + socket.inet_pton(socket.AF_INET6, 'fe80::1')
q5 = tag(0x8100, 5); qq = tag(0x88a8, 7) + tag(0x8100, 9)
frames = [
  q5 + arp('198.51.100.2', '198.51.100.1'),
  qq + arp('198.51.100.130', '198.51.100.129'),
  qq + ip6(135),
  q5 + ip4(6, tcp(0x04)),
  qq + tag(0x8100, 11) + arp('198.51.100.130', '198.51.100.200'),
  q5 + ip4(1, bytes([8, 0, 0, 0, 0, 1, 0, 1])),
  qq + ip4(6, tcp(0x04)),
  q5 + ip6(128),
  arp('192.0.2.2', '198.51.100.99'),
]
for f in frames:
  f = bc + src + f
  s.send(f + bytes(max(0, 60 - len(f))))
`;

const ip4 = (s: string): number => s.split('.').reduce((a, b) => a * 256 + Number(b), 0);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, fn: () => T | undefined | null | false, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(20);
  }
}

interface Seen {
  frame: number;
  ifName: string;
  input: number;
  net: NetKind;
  vlanDepth: number;
  op: number;
  tpa: number;
  /** IPv4 protocol number, TCP flags, ICMPv6 type right after the IPv6 header (or -1). */
  proto: number;
  tcpFlags: number;
  icmp6: number;
}

/** A capture plus everything it reported, frames decoded as they arrive (the record is reused). */
class Probe {
  readonly seen: Seen[] = [];
  readonly states: LiveState[] = [];
  readonly cap: LiveCapture;
  private readonly fv = new FrameView();

  constructor(opts: Partial<LiveOptions> & { iface: string }) {
    this.cap = new LiveCapture({
      minBackoffMs: 100,
      maxBackoffMs: 800,
      statsIntervalMs: 0,
      linkPollMs: 100,
      ...opts,
      onRecord: (r) => {
        const f = this.fv;
        f.decode(r.buf, r.off, r.caplen, r.wireLen, r.linkType);
        let proto = -1;
        let tcpFlags = -1;
        if (f.net === NetKind.IPv4 && f.netOff >= 0 && f.end - f.netOff >= 20) {
          proto = f.buf[f.netOff + 9]!;
          const ihl = (f.buf[f.netOff]! & 0xf) * 4;
          if (proto === 6 && f.end - f.netOff >= ihl + 14) tcpFlags = f.buf[f.netOff + ihl + 13]!;
        }
        const icmp6 = f.net === NetKind.IPv6 && f.end - f.netOff > 40 && f.buf[f.netOff + 6] === 58 ? f.buf[f.netOff + 40]! : -1;
        this.seen.push({
          frame: r.frame, ifName: r.ifName, input: r.input, net: f.net, vlanDepth: f.vlanDepth,
          op: f.arp.op, tpa: f.arp.tpa, proto, tcpFlags, icmp6,
        });
      },
      onState: (s) => this.states.push(s),
    });
    probes.push(this);
  }

  arpTo(target: string, vlanDepth = 0, from = 0): Seen | undefined {
    const t = ip4(target);
    return this.seen.slice(from).find((s) => (s.net === NetKind.Arp) && s.tpa === t && s.vlanDepth === vlanDepth);
  }

  /** Index of the first state at or after `from` matching. */
  stateIndex(pred: (s: LiveState) => boolean, from = 0): number {
    for (let i = from; i < this.states.length; i++) if (pred(this.states[i]!)) return i;
    return -1;
  }

  waitState(what: string, pred: (s: LiveState) => boolean, from = 0, ms = 10_000): Promise<number> {
    return waitFor(what, () => {
      const i = this.stateIndex(pred, from);
      return i >= 0 ? i + 1 : 0;
    }, ms).then((i) => i - 1).catch((err: Error) => {
      throw new Error(`${err.message}; states: ${JSON.stringify(this.states.slice(from))}`);
    });
  }
}

const probes: Probe[] = [];
const NSA = `arpscope-t-live-${process.pid}-a`;
const NSB = `arpscope-t-live-${process.pid}-b`;
let tmp = '';
let habets = true;

async function ipc(...args: string[]): Promise<void> {
  await run('ip', args, { timeout: 10_000 });
}

/** veth lv0 (A, 192.0.2.1) <-> lv1 (B, 192.0.2.2), created directly inside the namespaces. */
async function makeLink(): Promise<void> {
  await ipc('link', 'add', 'lv0', 'netns', NSA, 'type', 'veth', 'peer', 'name', 'lv1', 'netns', NSB);
  await ipc('-n', NSA, 'addr', 'add', '192.0.2.1/24', 'dev', 'lv0');
  await ipc('-n', NSB, 'addr', 'add', '192.0.2.2/24', 'dev', 'lv1');
  await ipc('-n', NSA, 'link', 'set', 'lv0', 'up');
  await ipc('-n', NSB, 'link', 'set', 'lv1', 'up');
}

/** Sends `count` ARP requests for `target` from `dev` in `ns`; unanswered is fine. */
async function arping(ns: string, dev: string, target: string, count = 3): Promise<void> {
  const args = habets ? ['-q', '-c', String(count), '-W', '0.05', '-i', dev, target] : ['-q', '-c', String(count), '-w', '2', '-I', dev, target];
  await run('ip', ['netns', 'exec', ns, 'arping', ...args], { timeout: 10_000 }).catch(() => {});
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function nsPids(ns: string): Promise<number[]> {
  const { stdout } = await run('ip', ['netns', 'pids', ns], { timeout: 5000 }).catch(() => ({ stdout: '' }));
  return stdout.split(/\s+/).filter(Boolean).map(Number);
}

const started = (s: LiveState) => s.type === 'started';

describe('LiveCapture without a capture', () => {
  it('rejects a bad interface name or namespace with a UsageError, spawning nothing', () => {
    const states: LiveState[] = [];
    const base = { tcpdump: '/nonexistent/tcpdump', onRecord: () => {}, onState: (s: LiveState) => states.push(s) };
    for (const iface of ['', 'eth0; reboot', '$(id)', 'a'.repeat(16), 'eth 0', 'eth0\n', 'é0', '`x`']) {
      expect(() => new LiveCapture({ ...base, iface }), JSON.stringify(iface)).toThrow(UsageError);
    }
    expect(() => new LiveCapture({ ...base, iface: 'eth0', netns: '-x' })).toThrow(UsageError);
    expect(() => new LiveCapture({ ...base, iface: 'eth0', bpf: 'arp\0' })).toThrow(UsageError);
    expect(states).toEqual([]);
    const ok = new LiveCapture({ ...base, iface: 'br-lan.10', netns: 'x', bpf: '-r /etc/passwd' });
    // The filter is one argv element after "--": it cannot become a tcpdump option.
    expect(ok.argv().slice(-2)).toEqual(['--', '-r /etc/passwd']);
    expect(ok.argv().slice(0, 5)).toEqual(['ip', 'netns', 'exec', 'x', '/nonexistent/tcpdump']);
    expect(classify('lv0: No such device exists (SIOCGIFHWADDR: No such device)')).toBe('interface-missing');
    expect(classify('pcap_loop: The interface disappeared')).toBe('interface-missing');
    expect(classify('pcap_loop: The interface went down')).toBe('interface-down');
    expect(classify('lv0: That device is not up')).toBe('interface-down');
    expect(classify("lv0: You don't have permission to perform this capture on that device (socket: Operation not permitted)")).toBe('permission-denied');
  });

  it('reports a corrupt stream as an error and restarts, without throwing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'arpscope-live-'));
    try {
      const fake = join(dir, 'fake-tcpdump');
      writeFileSync(fake, "#!/bin/sh\nprintf 'this is not a pcap stream at all'\nexec sleep 30\n");
      chmodSync(fake, 0o755);
      const p = new Probe({ iface: 'lo', tcpdump: fake, linkPollMs: 0 });
      p.cap.start();
      await p.waitState('an error', (s) => s.type === 'error');
      await p.waitState('a restart', (s) => s.type === 'restarting');
      await p.waitState('a second error', (s) => s.type === 'error', p.stateIndex((s) => s.type === 'restarting') + 1);
      await p.cap.stop();
      const err = p.states.find((s) => s.type === 'error');
      expect(err).toMatchObject({ message: expect.stringMatching(/corrupt or truncated capture stream.*bad pcap magic/) });
      expect(p.states.find((s) => s.type === 'exited')).toMatchObject({ signal: 'SIGKILL' });
      expect(p.cap.restarts).toBeGreaterThanOrEqual(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!!skipReason)(`LiveCapture in network namespaces${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  beforeAll(async () => {
    habets = /Habets/i.test(await run('arping', ['--help']).then((r) => r.stdout + r.stderr, (e: { stdout?: string; stderr?: string }) => `${e.stdout}${e.stderr}`));
    tmp = mkdtempSync(join(tmpdir(), 'arpscope-live-'));
    await ipc('netns', 'add', NSA);
    await ipc('netns', 'add', NSB);
    await makeLink();
  });

  afterAll(async () => {
    await Promise.all(probes.map((p) => Promise.race([p.cap.stop(), sleep(3000)])));
    for (const ns of [NSA, NSB]) {
      for (const pid of await nsPids(ns)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
      await ipc('netns', 'del', ns).catch(() => {});
    }
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('delivers ARP frames from the namespace, numbered, with the interface name', async () => {
    const p = new Probe({ iface: 'lv0', netns: NSA, input: 2 });
    p.cap.start();
    await p.waitState('started', started);
    expect(p.cap.running).toBe(true);
    await arping(NSA, 'lv0', '192.0.2.2', 3);
    await waitFor('3 ARP requests for 192.0.2.2', () => p.seen.filter((s) => s.net === NetKind.Arp && s.op === 1 && s.tpa === ip4('192.0.2.2')).length >= 3);
    expect(p.seen.every((s) => s.ifName === 'lv0' && s.input === 2)).toBe(true);
    expect(p.seen.map((s) => s.frame)).toEqual(p.seen.map((_, i) => i + 1));
    expect(p.cap.frames).toBe(p.seen.length);
    await p.cap.stop();
  });

  it('default filter: ARP and TCP resets from the kernel pass, ICMP echo and other TCP do not', async () => {
    const p = new Probe({ iface: 'lv0', netns: NSA });
    expect(DEFAULT_LIVE_BPF).toContain('tcp-rst');
    p.cap.start();
    await p.waitState('started', started);
    await ipc('-n', NSB, 'neigh', 'flush', 'dev', 'lv1');
    await run('ip', ['netns', 'exec', NSB, 'ping', '-c', '2', '-i', '0.2', '-W', '1', '192.0.2.1'], { timeout: 10_000 });
    // Port 9 is closed in A: its kernel answers the SYN with a RST.
    await run('ip', ['netns', 'exec', NSB, 'bash', '-c', 'exec 3<>/dev/tcp/192.0.2.1/9'], { timeout: 10_000 }).catch(() => {});
    await waitFor('ARP for 192.0.2.1 (ping)', () => p.arpTo('192.0.2.1'));
    await waitFor('a TCP RST', () => p.seen.find((s) => s.proto === 6 && (s.tcpFlags & 4) !== 0));
    await sleep(200);
    expect(p.seen.filter((s) => s.proto === 1)).toEqual([]);
    expect(p.seen.filter((s) => s.proto === 6 && (s.tcpFlags & 4) === 0)).toEqual([]);
    await p.cap.stop();
  });

  it.skipIf(!havePython)(`default filter: tagged ARP / ND / RST pass at the depths it promises, nothing deeper${havePython ? '' : ' (skipped: no python3 to inject frames)'}`, async () => {
    const p = new Probe({ iface: 'lv0', netns: NSA });
    p.cap.start();
    await p.waitState('started', started);
    // Raw frames from B's end of the veth (no 8021q module needed); A's kernel moves the outer tag to metadata.
    await run('ip', ['netns', 'exec', NSB, 'python3', '-c', INJECT], { timeout: 10_000 });
    await waitFor('ARP in VLAN 5', () => p.arpTo('198.51.100.1', 1));
    await waitFor('ARP in 802.1ad 7 / 802.1Q 9', () => p.arpTo('198.51.100.129', 2));
    await waitFor('ND NS in 802.1ad 7 / 802.1Q 9', () => p.seen.find((s) => s.vlanDepth === 2 && s.icmp6 === 135));
    await waitFor('RST in VLAN 5', () => p.seen.find((s) => s.vlanDepth === 1 && s.proto === 6 && (s.tcpFlags & 4) !== 0));
    await waitFor('end marker', () => p.arpTo('198.51.100.99'));
    const tagged = p.seen.filter((s) => s.vlanDepth > 0);
    expect(tagged.filter((s) => s.vlanDepth > 2)).toEqual([]); // ARP under 3 tags
    expect(tagged.filter((s) => s.proto === 1)).toEqual([]); // ICMP echo in VLAN 5
    expect(tagged.filter((s) => s.vlanDepth === 2 && s.proto === 6)).toEqual([]); // RST under 2 tags
    expect(tagged.filter((s) => s.icmp6 === 128)).toEqual([]); // ICMPv6 echo in VLAN 5
    await p.cap.stop();
  });

  it('reports tcpdump counters as stats events', async () => {
    const p = new Probe({ iface: 'lv0', netns: NSA, statsIntervalMs: 200 });
    p.cap.start();
    await p.waitState('started', started);
    await arping(NSA, 'lv0', '192.0.2.2', 2);
    await waitFor('frames', () => p.seen.length >= 2);
    const i = await p.waitState('stats with packets', (s) => s.type === 'stats' && s.received >= 2);
    expect(p.states[i]).toMatchObject({ type: 'stats', iface: 'lv0', dropped: 0, droppedByInterface: 0 });
    expect(p.cap.running).toBe(true);
    await p.cap.stop();
    // tcpdump's exit summary arrives as a final stats event before 'exited'.
    const fin = p.stateIndex((s) => s.type === 'stats' && s.final === true);
    expect(fin).toBeGreaterThan(i);
    expect(p.stateIndex((s) => s.type === 'exited', fin)).toBeGreaterThan(fin);
  });

  it('interface set down and up: reports it and delivers frames again after', async () => {
    const p = new Probe({ iface: 'lv0', netns: NSA });
    p.cap.start();
    await p.waitState('started', started);
    await ipc('-n', NSA, 'link', 'set', 'lv0', 'down');
    const d = await p.waitState('interface-down or exited', (s) => s.type === 'interface-down' || s.type === 'exited');
    expect(p.cap.running).toBe(false);
    await sleep(300);
    await ipc('-n', NSA, 'link', 'set', 'lv0', 'up');
    await p.waitState('started again', started, d + 1);
    const n = p.seen.length;
    await arping(NSA, 'lv0', '192.0.2.2', 2);
    await waitFor('ARP after the flap', () => p.arpTo('192.0.2.2', 0, n));
    await p.cap.stop();
  });

  it('interface deleted: reports it missing while absent, recovers when re-created', async () => {
    const p = new Probe({ iface: 'lv0', netns: NSA });
    p.cap.start();
    await p.waitState('started', started);
    await ipc('-n', NSA, 'link', 'del', 'lv0');
    const m = await p.waitState('interface-missing', (s) => s.type === 'interface-missing');
    // Still absent at the next attempt.
    await p.waitState('interface-missing again', (s) => s.type === 'interface-missing', m + 1);
    expect(p.cap.running).toBe(false);
    await makeLink();
    await p.waitState('started again', started, m + 1);
    const n = p.seen.length;
    await arping(NSA, 'lv0', '192.0.2.2', 2);
    await waitFor('ARP after re-creation', () => p.arpTo('192.0.2.2', 0, n));
    await p.cap.stop();
  });

  it('child killed: restarts it and frame numbers keep counting', async () => {
    const p = new Probe({ iface: 'lv0', netns: NSA });
    p.cap.start();
    const s0 = p.states[await p.waitState('started', started)] as { pid: number };
    await arping(NSA, 'lv0', '192.0.2.2', 1);
    await waitFor('a frame', () => p.seen.length >= 1);
    process.kill(s0.pid, 'SIGKILL');
    const e = await p.waitState('exited', (s) => s.type === 'exited');
    expect(p.states[e]).toMatchObject({ signal: 'SIGKILL', reason: 'killed by SIGKILL' });
    const s1 = p.states[await p.waitState('started again', started, e)] as { pid: number };
    expect(s1.pid).not.toBe(s0.pid);
    expect(p.stateIndex((s) => s.type === 'restarting', e)).toBeGreaterThan(e);
    const n = p.seen.length;
    await arping(NSA, 'lv0', '192.0.2.2', 1);
    await waitFor('ARP after the restart', () => p.arpTo('192.0.2.2', 0, n));
    expect(p.seen[n]!.frame).toBe(n + 1);
    expect(p.cap.restarts).toBe(1);
    await p.cap.stop();
  });

  it('stop() resolves within 2 s, leaves no tcpdump and restarts nothing', async () => {
    const p = new Probe({ iface: 'lv0', netns: NSA, minBackoffMs: 50 });
    p.cap.start();
    const s = p.states[await p.waitState('started', started)] as { pid: number };
    const t0 = Date.now();
    await p.cap.stop();
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(alive(s.pid)).toBe(false);
    expect(p.cap.running).toBe(false);
    const n = p.states.length;
    await sleep(300);
    expect(p.states.length).toBe(n);
    expect(p.states.at(-1)).toMatchObject({ type: 'exited', reason: 'stopped' });
    expect(await nsPids(NSA)).toEqual([]);
  });

  it.skipIf(!haveSetpriv)('without privileges: reports permission-denied at each attempt, backing off', async () => {
    const wrap = join(tmp, 'tcpdump-unprivileged');
    writeFileSync(wrap, '#!/bin/sh\nexec setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all tcpdump "$@"\n');
    chmodSync(wrap, 0o755);
    const p = new Probe({ iface: 'lv0', netns: NSA, tcpdump: wrap, minBackoffMs: 100, maxBackoffMs: 400 });
    p.cap.start();
    await waitFor('3 permission-denied', () => p.states.filter((s) => s.type === 'permission-denied').length >= 3);
    await p.cap.stop();
    const pd = p.states.find((s) => s.type === 'permission-denied');
    expect(pd).toMatchObject({ message: expect.stringMatching(/permission.*CAP_NET_RAW/i) });
    const attempts = p.states.flatMap((s) => (s.type === 'restarting' ? [s.attempt] : []));
    expect(attempts.slice(0, 3)).toEqual([1, 2, 3]);
    expect(p.states.filter((s) => s.type === 'started')).toEqual([]);
  });
});
