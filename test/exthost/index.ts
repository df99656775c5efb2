// Runs inside the real VS Code extension host (code-server's Node host): mocha's programmatic
// API over every bundled *.test.js next to this file. Results go to the JSON file named by
// PL_EXTHOST_RESULT, which the harness outside prints.
import fs from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';

interface TestResult { title: string; state: 'passed' | 'failed' | 'pending'; error?: string; durationMs?: number }

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: function silent() { /* results collected below */ } as never });
  for (const f of fs.readdirSync(__dirname).filter((n) => n.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(__dirname, f));
  }
  const results: TestResult[] = [];
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', (t) => results.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration }));
    runner.on('fail', (t, err) => results.push({ title: t.fullTitle(), state: 'failed', error: String(err?.stack || err) }));
    runner.on('pending', (t) => results.push({ title: t.fullTitle(), state: 'pending' }));
  });
  const out = process.env.PL_EXTHOST_RESULT;
  if (out) fs.writeFileSync(out, JSON.stringify({ results }, null, 2));
  const failed = results.filter((r) => r.state === 'failed').length;
  if (failed) throw new Error(`${failed} extension-host test(s) failed`);
}
