// Compare panel in headless Chromium with 10 runs × 1,000 cases: time from the init message to
// the first painted case rows (goal < 500 ms) and to the full table (all pages loaded), plus the
// host-side model build. Uses the built bundle (`node esbuild.mjs --production` first, as
// `npm run bench` does) and the real CompareSession over the same protocol as VS Code.
import { performance } from 'node:perf_hooks';
import { buildComparison } from '../src/core/compare/buildComparison';
import { CompareSession } from '../src/extension/panels/compareSession';
import { syntheticRuns } from '../test/integration/panels/compareFixtures';
import { launchBrowser, openPanel, type PanelPage } from '../test/integration/panels/panelHarness';
import { reportResult } from './report';

const RUNS = 10;
const CASES = 1000;
const ITERATIONS = 5;

interface Perf { initAt: number; firstPaint: number; fullReady: number }

function median(xs: number[]): number { const s = xs.slice().sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; }

async function main(): Promise<void> {
  const fx = syntheticRuns(RUNS, CASES);
  const buildTimes: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const t0 = performance.now();
    buildComparison(fx.runs, fx.tables, fx.prompts);
    buildTimes.push(performance.now() - t0);
  }
  const model = buildComparison(fx.runs, fx.tables, fx.prompts);

  const browser = await launchBrowser();
  const first: number[] = [];
  const full: number[] = [];
  try {
    for (let i = 0; i < ITERATIONS + 1; i++) {
      let pp!: PanelPage;
      const session = new CompareSession({ load: async () => model, post: (m) => { void pp.post(m); }, openRun() {}, openLink() {}, log() {} });
      // compare-bench: the panel's bench build, the only one with the timing marks (esbuild.mjs).
      pp = await openPanel(browser, 'compare-bench', (msg, p) => { pp = p; return session.handle(msg); });
      await pp.page.waitForSelector('#app[data-cases-ready="true"]', { timeout: 60_000 });
      await pp.page.waitForFunction(() => (globalThis as unknown as { __plPerf: Perf }).__plPerf.firstPaint > 0);
      const perf = await pp.page.evaluate(() => (globalThis as unknown as { __plPerf: Perf }).__plPerf);
      if (pp.problems.length) throw new Error(`panel problems: ${pp.problems.join('; ')}`);
      await pp.close();
      if (i === 0) continue; // warm-up (browser caches, JIT)
      first.push(perf.firstPaint - perf.initAt);
      full.push(perf.fullReady - perf.initAt);
    }
  } finally {
    await browser.close();
  }
  const fp = median(first);
  reportResult({ name: `compare panel first paint (${RUNS} runs × ${CASES} cases)`, value: fp, unit: 'ms', baseline: 500 });
  reportResult({ name: `compare panel full table ready (${RUNS} runs × ${CASES} cases)`, value: median(full), unit: 'ms', baseline: 2000 });
  reportResult({ name: `compare model build (${RUNS} runs × ${CASES} cases, host)`, value: median(buildTimes), unit: 'ms', baseline: 500 });
}

main().catch((e) => { console.error(e); process.exit(1); });
