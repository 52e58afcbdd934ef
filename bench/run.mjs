#!/usr/bin/env node
// npm run bench: times arpscope side by side with tcpdump (and the plain-JS
// floor) on the deterministic bench captures, in the same run, with
// ../shared/bench/run-peers.sh. Generates the captures on first use.
//
//   npm run bench                    # both captures, 5 runs each
//   npm run bench -- --quick         # 3 runs, 1M-frame arp-dense slice
//   ARPSCOPE_BENCH_DATA=/data npm run bench
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = resolve(repo, '../shared/bench');
const data = process.env.ARPSCOPE_BENCH_DATA ?? '/tmp/arpscope-bench';
const quick = process.argv.includes('--quick');
const runs = quick ? '3' : '5';
const cli = join(repo, 'bin', 'arpscope.js');

if (!existsSync(join(shared, 'run-peers.sh'))) {
  console.log(`bench: skipped, ${shared} not found (it holds the generator and the peer runner)`);
  process.exit(0);
}
if (!existsSync(join(repo, 'dist', 'cli', 'main.js'))) execFileSync('npm', ['run', 'build'], { cwd: repo, stdio: 'inherit' });
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

function peers(file, tools, extra = []) {
  const args = ['-n', runs, ...extra];
  for (const [name, cmd] of tools) args.push('--tool', `${name}=${cmd}`);
  args.push(file);
  const r = spawnSync(join(shared, 'run-peers.sh'), args, { stdio: 'inherit' });
  if (r.status !== 0) process.exitCode = 1;
}

console.log('\n## mixed-1g: select ARP/ND from 1 GiB of mixed traffic');
peers(mixed, [
  ['arpscope read -n (to /dev/null)', `node ${cli} read -n {}`],
  ['arpscope read -n -e', `node ${cli} read -n -e {}`],
]);

console.log(`\n## ${quick ? 'arp-dense-1m' : 'arp-dense-10m'}: print every frame (lines/s = packets/s)`);
peers(dense, [
  ['arpscope read -n -e (print all)', `node ${cli} read -n -e {}`],
  ['arpscope read -n arp[6:2]=2', `node ${cli} read -n 'arp[6:2] = 2' {}`.replace(` 'arp[6:2] = 2' {}`, ` {} 'arp[6:2] = 2'`)],
], ['--only-tools']);
