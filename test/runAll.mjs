#!/usr/bin/env node
// Runs every suite in order — unit, integration, extension host, UI end-to-end — each in its own
// process, echoes its output, and ends with the one line CI reads: `N passed, N failed`.
import { spawn } from 'node:child_process';
import fs from 'node:fs';

const suites = [
  { name: 'unit', cmd: 'npx', args: ['mocha', '--config', 'test/.mocharc.unit.json'] },
  { name: 'integration', cmd: 'npx', args: ['mocha', '--config', 'test/.mocharc.integration.json'] },
  { name: 'extension-host', cmd: 'npx', args: ['tsx', 'test/harness/runExtensionHostTests.ts'] },
  { name: 'e2e', cmd: 'npx', args: ['mocha', '--config', 'test/.mocharc.e2e.json'] },
];
const only = process.argv.slice(2);

function runSuite(suite) {
  return new Promise((resolve) => {
    const child = spawn(suite.cmd, suite.args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
    let out = '';
    child.stdout.on('data', (d) => { out += d; process.stdout.write(d); });
    child.stderr.on('data', (d) => { out += d; process.stderr.write(d); });
    child.on('close', (code) => resolve({ code, out }));
  });
}

// mocha prints `N passing` / `N failing` / `N pending`; the extension-host runner prints the same.
function counts(out) {
  const last = (re) => { const all = [...out.matchAll(re)]; return all.length ? Number(all[all.length - 1][1]) : 0; };
  return { passed: last(/^\s*(\d+) passing/gm), failed: last(/^\s*(\d+) failing/gm), skipped: last(/^\s*(\d+) pending/gm) };
}

let passed = 0, failed = 0, skipped = 0;
const summary = [];
for (const suite of suites) {
  if (only.length && !only.includes(suite.name)) continue;
  if (suite.name === 'e2e' && !fs.existsSync('test/e2e') ) continue;
  console.log(`\n===== ${suite.name} =====`);
  const { code, out } = await runSuite(suite);
  const c = counts(out);
  // A suite that crashed before reporting counts as one failure so it cannot pass silently.
  if (code !== 0 && c.failed === 0) c.failed = 1;
  passed += c.passed; failed += c.failed; skipped += c.skipped;
  summary.push(`${suite.name}: ${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ''}`);
}
console.log('\n' + summary.join('\n'));
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed ? 1 : 0);
