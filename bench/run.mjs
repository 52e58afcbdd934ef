#!/usr/bin/env node
// npm run bench: times arpscope side by side with tcpdump and the plain-JS
// floor on the deterministic bench captures, in the same run, with
// ../shared/bench/run-peers.sh (see BENCHMARKS.md). Generates the captures
// on first use.
//
//   npm run bench                    # both captures: read (5 runs), analyze (3 runs / 2 after a warm-up)
//   npm run bench -- --quick         # 3 runs, 1M-frame arp-dense slice
//   npm run bench -- --no-analyze    # read only
//   ARPSCOPE_BENCH_DATA=/data npm run bench
//
// run-peers.sh splits each --tool at its first '=': names must not hold one.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = resolve(repo, '../shared/bench');
const data = process.env.ARPSCOPE_BENCH_DATA ?? '/tmp/arpscope-bench';
const quick = process.argv.includes('--quick');
const analyze = !process.argv.includes('--no-analyze');
const runs = quick ? '3' : '5';
const cli = join(repo, 'bin', 'arpscope.js');
const floor = join(shared, 'js-floor.mjs');
// The least work any analysis does, on arpscope's own reader (bench/floor.mjs): analyze can only be slower.
const ownFloor = join(repo, 'bench', 'floor.mjs');

if (!existsSync(join(shared, 'run-peers.sh'))) {
  console.log(`bench: skipped, ${shared} not found (it holds the generator and the peer runner)`);
  process.exit(0);
}
// Measure the current sources (tsc still emits when it reports type errors).
const build = spawnSync('npm', ['run', 'build'], { cwd: repo, stdio: 'inherit' });
if (build.status !== 0) {
  if (!existsSync(join(repo, 'dist', 'cli', 'main.js'))) process.exit(1);
  console.log('bench: the build reported errors; measuring dist/ as emitted');
}
mkdirSync(data, { recursive: true });

// Debian's python3 runs the generator (standard library only); any python3 would do.
const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
function capture(name, profile, args) {
  const file = join(data, name);
  if (!existsSync(file)) {
    console.log(`bench: generating ${file}`);
    execFileSync(python, [join(shared, 'gen-capture.py'), profile, file, '--seed', '1', ...args], { stdio: 'inherit' });
  }
  return file;
}

const mixed = capture('mixed-1g.pcap', 'mixed', []);
const dense = quick ? capture('arp-dense-1m.pcap', 'arp-dense', ['--packets', '1000000']) : capture('arp-dense-10m.pcap', 'arp-dense', []);
const denseName = quick ? 'arp-dense-1m' : 'arp-dense-10m';

/** One run-peers.sh table; `tools` are [name, command with {} for the file]. */
function peers(file, tools, extra = [], n = runs) {
  const args = ['-n', n, ...extra];
  for (const [name, cmd] of tools) args.push('--tool', `${name}=${cmd}`);
  args.push(file);
  const r = spawnSync(join(shared, 'run-peers.sh'), args, { stdio: 'inherit' });
  if (r.status !== 0) process.exitCode = 1;
}

console.log(`\n## mixed-1g: select ARP/ND from 1 GiB of mixed traffic (target: arpscope read -n <= tcpdump -w /dev/null arp)`);
peers(mixed, [
  ['arpscope read -n', `node ${cli} read -n {}`],
  ['arpscope read -n -e', `node ${cli} read -n -e {}`],
]);

console.log(`\n## ${denseName}: print every frame (lines/s = Mpkt/s; target >= 2 M lines/s, < 100 MB RSS)`);
peers(dense, [
  ['tcpdump -w /dev/null arp', `tcpdump -r {} -w /dev/null arp`],
  ['node js-floor.mjs', `node ${floor} {}`],
  ['arpscope read -n -e', `node ${cli} read -n -e {}`],
  ['arpscope read -n', `node ${cli} read -n {}`],
  ['arpscope read -n, filter: replies', `node ${cli} read -n {} 'arp[6:2] == 2'`],
], ['--only-tools']);

if (analyze) {
  // analyze exits 1 when it finds something (rc column); it is far slower than read on the dense file.
  // Targets: analyze no slower than tcpdump's BPF pass in the same table; < 300 MB RSS on arp-dense-10m.
  console.log('\n## analyze --json (mixed-1g, 3 runs)');
  peers(mixed, [
    ['tcpdump -w /dev/null arp', `tcpdump -r {} -w /dev/null arp`],
    ['node js-floor.mjs', `node ${floor} {}`],
    ['floor: read and select', `node ${ownFloor} {} select`],
    ['arpscope analyze --json', `node ${cli} analyze --json {}`],
  ], ['--only-tools'], '3');
  console.log(`\n## analyze --json (${denseName}, 2 runs after 1 warm-up; the default --threads auto takes two threads here)`);
  peers(dense, [
    ['tcpdump -w /dev/null arp', `tcpdump -r {} -w /dev/null arp`],
    ['floor: read and select', `node ${ownFloor} {} select`],
    ['floor: select, 3 address lookups', `node ${ownFloor} {} intern`],
    ['arpscope analyze --json', `node ${cli} analyze --json {}`],
    ['arpscope analyze, 1 thread', `node ${cli} analyze --json --threads 1 {}`],
  ], ['--only-tools', '-w', '1'], '2');
}
