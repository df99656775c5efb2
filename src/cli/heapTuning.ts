// V8 tuning for the CLI's long eval runs (never the extension host: core code does not touch it).
// An eval keeps a small live heap (~18 MB at 50,000 cases: code and module strings), but at
// thousands of cases a second V8 lets the old space grow to ~4× the live size before a full GC,
// because collecting is cheap; most of the CLI's peak RSS was that slack (bench/evalMemory.ts:
// 222 → 185 MB at 50,000 cases). A 50 % growth step keeps the heap near what is live, for a few
// more 10 ms full GCs. The flag is read at every full GC, so setting it at run time takes effect.
import v8 from 'node:v8';

let tuned = false;

export function tuneHeapForLongRuns(): void {
  if (tuned) return;
  tuned = true;
  v8.setFlagsFromString('--heap-growing-percent=50');
}
