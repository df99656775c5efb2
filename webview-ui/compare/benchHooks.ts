// Timing marks for bench/comparePanel.ts, compiled only into the bench build of the panel
// (dist/webview/compare-bench.js, __PL_BENCH__ = true in esbuild.mjs): the init receipt (before
// validation), the first painted case rows and the last page of cases loaded, on window.__plPerf.
export interface BenchHooks { onRender(): void; fullReady(): void }

export function installBenchHooks(): BenchHooks {
  const perf = { initAt: 0, firstPaint: 0, fullReady: 0 };
  (window as unknown as { __plPerf: typeof perf }).__plPerf = perf;
  let pending = false;
  window.addEventListener('message', (e: MessageEvent) => {
    const t = (e.data as { type?: unknown } | null)?.type;
    if (t === 'init' || t === 'update') { perf.initAt = performance.now(); perf.firstPaint = 0; perf.fullReady = 0; }
  });
  return {
    onRender() {
      if (pending || perf.firstPaint || !perf.initAt) return;
      pending = true;
      requestAnimationFrame(() => { pending = false; perf.firstPaint = performance.now(); });
    },
    fullReady() { perf.fullReady = performance.now(); },
  };
}
