#!/usr/bin/env node
// `npm run bench`: runs every bench/*.ts (except report.ts and files starting with `_`) one at a
// time with tsx, echoes its output, collects the `BENCH {json}` lines (see bench/report.ts),
// writes them to bench/results.json and prints a table. Arguments filter benches by file name.
//
// Every bench must exit by itself. Each runs in its own process group with stdin at /dev/null and
// a time limit: `// bench-timeout-s: N` in the file's first lines, else BENCH_TIMEOUT_S (600).
// The whole run has BENCH_TOTAL_TIMEOUT_S (2400); each bench gets at most what is left of it.
// A bench that times out, exits non-zero, or leaves processes behind holding its output is
// killed (its whole process group), printed as FAILED with the reason, and recorded in
// results.json as `{ bench, failed }`. Exits 1 when a bench failed, after writing what the others
// measured.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const benchDir = path.dirname(new URL(import.meta.url).pathname);
const filters = process.argv.slice(2);
const files = fs.readdirSync(benchDir)
  .filter((f) => f.endsWith('.ts') && f !== 'report.ts' && !f.startsWith('_') && !f.endsWith('.d.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

const seconds = (v, fallback) => (v !== undefined && v !== '' && Number(v) > 0 ? Number(v) : fallback);
const DEFAULT_TIMEOUT_S = seconds(process.env.BENCH_TIMEOUT_S, 600);
const TOTAL_TIMEOUT_S = seconds(process.env.BENCH_TOTAL_TIMEOUT_S, 2400);
/** After the bench's own process exits: how long its group may keep its output open. */
const LINGER_MS = 5000;
const KILL_GRACE_MS = 5000;

function benchTimeoutS(file) {
  const head = fs.readFileSync(path.join(benchDir, file), 'utf8').slice(0, 4000);
  const m = /^\/\/\s*bench-timeout-s:\s*(\d+)/m.exec(head);
  return m ? Number(m[1]) : DEFAULT_TIMEOUT_S;
}

/** Whether any process of the group still runs. On Linux zombies don't count (where nothing
 * reaps orphans, they stay listed forever); elsewhere, whether the group can be signalled. */
function groupAlive(pgid) {
  if (process.platform === 'linux') {
    for (const pid of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let stat;
      try { stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8'); } catch { continue; }
      // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses.
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') return true;
    }
    return false;
  }
  try { process.kill(-pgid, 0); return true; } catch { return false; }
}

/** SIGTERM to the whole group, SIGKILL to what is left after the grace period. */
async function killGroup(pid) {
  try { process.kill(-pid, 'SIGTERM'); } catch { return; }
  const end = Date.now() + KILL_GRACE_MS;
  while (groupAlive(pid) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
  try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ }
}

let current; // the running bench's pid, killed with us on Ctrl+C
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (current) try { process.kill(-current, 'SIGKILL'); } catch { /* gone */ }
    process.exit(130);
  });
}

function runBench(file, timeoutS) {
  return new Promise((resolve) => {
    // detached: its own process group, so a timeout kills the bench and everything it started.
    const child = spawn('npx', ['tsx', path.join(benchDir, file)], {
      stdio: ['ignore', 'pipe', 'inherit'], detached: true, env: { ...process.env, FORCE_COLOR: '0' },
    });
    current = child.pid;
    const results = [];
    let buffered = '';
    let failure;
    let exitCode;
    let lingerTimer;
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (line.startsWith('BENCH ')) {
          try { results.push(JSON.parse(line.slice(6))); } catch { console.error(`${file}: unreadable result line: ${line}`); }
        } else {
          console.log(`  ${line}`);
        }
      }
    });
    const deadline = setTimeout(() => {
      failure = `timed out after ${timeoutS} s (did not exit by itself); process group killed`;
      void killGroup(child.pid);
    }, timeoutS * 1000);
    child.on('exit', (code, signal) => {
      exitCode = code ?? 1;
      if (!failure && code !== 0) failure = signal ? `killed by ${signal}` : `exited with code ${code}`;
      // Output still open after the exit: something the bench started outlived it.
      lingerTimer = setTimeout(() => {
        if (!failure) failure = `left processes running after it exited (holding its output ${LINGER_MS / 1000} s); process group killed`;
        void killGroup(child.pid);
      }, LINGER_MS);
    });
    child.on('close', async () => {
      clearTimeout(lingerTimer);
      // Its output is closed; what it started gets a moment to finish exiting, no more.
      const end = Date.now() + 2000;
      while (groupAlive(child.pid) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      clearTimeout(deadline);
      if (groupAlive(child.pid)) {
        if (!failure) failure = 'left processes running after it exited; process group killed';
        await killGroup(child.pid);
      }
      current = undefined;
      resolve({ code: exitCode ?? 1, results, failure });
    });
  });
}

const started = Date.now();
const all = [];
const failed = [];
for (const file of files) {
  console.log(`\n===== ${file} =====`);
  const leftS = Math.floor(TOTAL_TIMEOUT_S - (Date.now() - started) / 1000);
  if (leftS <= 0) {
    const reason = `not run: the overall limit of ${TOTAL_TIMEOUT_S} s (BENCH_TOTAL_TIMEOUT_S) was used up`;
    console.log(`  FAILED ${file}: ${reason}`);
    failed.push({ bench: file, failed: reason });
    continue;
  }
  const ownS = benchTimeoutS(file);
  const timeoutS = Math.min(ownS, leftS);
  const t0 = Date.now();
  const { results, failure } = await runBench(file, timeoutS);
  for (const r of results) console.log(`  ${r.name}: ${r.value} ${r.unit} (baseline ${r.baseline}, ratio ${r.ratio})`);
  all.push(...results.map(({ name, value, unit, baseline, ratio }) => ({ name, value, unit, baseline, ratio })));
  if (failure) {
    const reason = timeoutS < ownS && /timed out/.test(failure) ? `${failure} (cut by the overall limit of ${TOTAL_TIMEOUT_S} s)` : failure;
    console.log(`  FAILED ${file}: ${reason}`);
    failed.push({ bench: file, failed: reason });
  } else {
    console.log(`  ${file} done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
}

fs.writeFileSync(path.join(benchDir, 'results.json'), JSON.stringify([...all, ...failed], null, 2) + '\n');

const rows = [['name', 'value', 'unit', 'baseline', 'ratio'], ...all.map((r) => [r.name, String(r.value), r.unit, String(r.baseline), String(r.ratio)])];
for (const f of failed) rows.push([`${f.bench}: ${f.failed}`, '-', 'FAILED', '-', '-']);
const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
console.log('');
rows.forEach((row, n) => {
  console.log(row.map((cell, i) => (i === 0 || i === 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
  if (n === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
});
const total = ((Date.now() - started) / 1000).toFixed(0);
console.log(`\n${all.length} results from ${files.length} benches in ${total} s written to bench/results.json${failed.length ? `; FAILED: ${failed.map((f) => f.bench).join(', ')}` : ''}`);
process.exit(failed.length ? 1 : 0);
