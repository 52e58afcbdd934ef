#!/usr/bin/env node
// Soak / flood benchmark for `arpscope watch` (root only; network namespaces
// this script creates, private test range 10.99.0.0/16, cleaned up on exit):
// ARP requests at a steady rate through a veth for a while, sampling the
// watch process's CPU and RSS and the capture's frames and drops.
//
//   node bench/soak.mjs                    # 10 minutes at 20,000 frames/s
//   node bench/soak.mjs --rate 100000 --seconds 10    # the flood case
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const rate = arg('--rate', 20000);
const seconds = arg('--seconds', 600);
const sampleS = arg('--sample', Math.max(1, Math.min(10, Math.round(seconds / 20))));
if (process.getuid?.() !== 0) {
  console.log('soak: skipped, needs root (network namespaces)');
  process.exit(0);
}
const tag = process.pid % 100000;
const A = `arpscope-t-soaka${tag}`, B = `arpscope-t-soakb${tag}`;
const port = 30000 + (tag % 20000);
const sh = (...a) => execFileSync(a[0], a.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
const cleanup = () => { for (const n of [A, B]) spawnSync('ip', ['netns', 'del', n], { stdio: 'ignore' }); };
cleanup();
process.on('exit', cleanup);
sh('ip', 'netns', 'add', A);
sh('ip', 'netns', 'add', B);
sh('ip', 'link', 'add', 'sa', 'netns', A, 'type', 'veth', 'peer', 'name', 'sb', 'netns', B);
sh('ip', '-n', A, 'link', 'set', 'sa', 'up');
sh('ip', '-n', B, 'link', 'set', 'sb', 'up');

const watch = spawn(process.execPath, [join(repo, 'bin', 'arpscope.js'), 'watch', '--netns', B, '-i', 'sb', '--no-store', '--json', '--metrics', `127.0.0.1:${port}`, '--window', '5s'], { stdio: ['ignore', 'ignore', 'pipe'] });
let log = '';
watch.stderr.on('data', (d) => (log += d));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
for (let i = 0; i < 100 && !log.includes('capture started'); i++) await sleep(100);
if (!log.includes('capture started')) {
  console.error(`soak: watch did not start:\n${log}`);
  process.exit(1);
}
const tcpdumpPid = Number(/tcpdump pid (\d+)/.exec(log)[1]);

const ticks = Number(sh('getconf', 'CLK_TCK'));
const cpu = (pid) => {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / ticks;
  } catch { return NaN; }
};
const rss = (pid) => {
  try { return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024; } catch { return NaN; }
};
const metric = async (name, labels = '') => {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return text.split('\n').filter((l) => l.startsWith(name) && l.includes(labels)).reduce((s, l) => s + Number(l.split(' ').pop()), 0);
};

const blast = spawn('ip', ['netns', 'exec', A, '/usr/bin/python3', join(repo, 'bench', 'arp-blast.py'), 'sa', '--rate', String(rate), '--seconds', String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
let blastOut = '';
blast.stdout.on('data', (d) => (blastOut += d));
console.log(`# watch soak: ${rate} ARP frames/s for ${seconds} s through a veth; sample every ${sampleS} s`);
console.log('t_s\tframes\tframes/s\tdropped\twatch_cpu%\ttcpdump_cpu%\twatch_rss_MiB');
let lastT = Date.now(), lastFrames = 0, lastCpu = cpu(watch.pid), lastTcpCpu = cpu(tcpdumpPid);
const t0 = Date.now();
const rows = [];
while (blast.exitCode === null) {
  await sleep(sampleS * 1000);
  const now = Date.now();
  const frames = await metric('arpscope_frames_total', 'arp_request');
  const dropped = await metric('arpscope_capture_dropped_frames');
  const c = cpu(watch.pid), tc = cpu(tcpdumpPid);
  const dt = (now - lastT) / 1000;
  const row = [Math.round((now - t0) / 1000), frames, Math.round((frames - lastFrames) / dt), dropped, Math.round(((c - lastCpu) / dt) * 100), Math.round(((tc - lastTcpCpu) / dt) * 100), rss(watch.pid).toFixed(1)];
  rows.push(row);
  console.log(row.join('\t'));
  lastT = now; lastFrames = frames; lastCpu = c; lastTcpCpu = tc;
}
await sleep(6000); // one more window, so the last frames are counted
const frames = await metric('arpscope_frames_total', 'arp_request');
const dropped = await metric('arpscope_capture_dropped_frames');
const sent = JSON.parse(blastOut.trim() || '{"sent":0}');
const peak = Math.max(...rows.map((r) => Number(r[6])));
watch.kill('SIGTERM');
const exitStart = Date.now();
await new Promise((r) => watch.once('exit', r));
console.log(`# sent ${sent.sent} (${sent.rate}/s achieved), watch counted ${frames}, kernel dropped ${dropped}, ` +
  `unaccounted ${Math.max(0, sent.sent - frames - dropped)}; peak RSS ${peak} MiB; SIGTERM exit in ${Date.now() - exitStart} ms (code ${watch.exitCode})`);
