#!/usr/bin/env node
// `npm run bench`: runs every bench/*.ts (except report.ts and files starting with `_`) one at a
// time with tsx, echoes its output, collects the `BENCH {json}` lines (see bench/report.ts),
// writes them to bench/results.json and prints a table. Arguments filter benches by file name.
// Exits 1 when a bench fails, after writing what the others measured.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const benchDir = path.dirname(new URL(import.meta.url).pathname);
const filters = process.argv.slice(2);
const files = fs.readdirSync(benchDir)
  .filter((f) => f.endsWith('.ts') && f !== 'report.ts' && !f.startsWith('_') && !f.endsWith('.d.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

function runBench(file) {
  return new Promise((resolve) => {
    const child = spawn('npx', ['tsx', path.join(benchDir, file)], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, FORCE_COLOR: '0' } });
    const results = [];
    let buffered = '';
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
    child.on('close', (code) => resolve({ code: code ?? 1, results }));
  });
}

const all = [];
const failed = [];
for (const file of files) {
  console.log(`\n===== ${file} =====`);
  const { code, results } = await runBench(file);
  for (const r of results) console.log(`  ${r.name}: ${r.value} ${r.unit} (baseline ${r.baseline}, ratio ${r.ratio})`);
  if (code !== 0) failed.push(file);
  all.push(...results.map(({ name, value, unit, baseline, ratio }) => ({ name, value, unit, baseline, ratio })));
}

fs.writeFileSync(path.join(benchDir, 'results.json'), JSON.stringify(all, null, 2) + '\n');

const rows = [['name', 'value', 'unit', 'baseline', 'ratio'], ...all.map((r) => [r.name, String(r.value), r.unit, String(r.baseline), String(r.ratio)])];
const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
console.log('');
rows.forEach((row, n) => {
  console.log(row.map((cell, i) => (i === 0 || i === 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '));
  if (n === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
});
console.log(`\n${all.length} results from ${files.length} benches written to bench/results.json${failed.length ? `; FAILED: ${failed.join(', ')}` : ''}`);
process.exit(failed.length ? 1 : 0);
