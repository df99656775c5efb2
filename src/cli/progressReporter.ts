// Progress for a terminal (one redrawn bar) or a CI log (a plain line every 10%).
import type { EvalProgress } from '../core/eval/runner';

export interface ProgressReporter {
  update(p: EvalProgress): void;
  /** Ends the bar line (TTY) so the next output starts on a fresh line. */
  done(): void;
}

export function createProgressReporter(stream: NodeJS.WriteStream | NodeJS.WritableStream, label: string, isTty: boolean): ProgressReporter {
  if (isTty) {
    let last = 0;
    let drawn = false;
    const draw = (p: EvalProgress) => {
      const width = 24;
      const filled = p.total ? Math.round((p.done / p.total) * width) : 0;
      const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
      stream.write(`\r\x1b[2K${label} ${bar} ${p.done}/${p.total}  ✓ ${p.passed}  ✗ ${p.failed}${p.errors ? `  ! ${p.errors}` : ''}  ${(p.passRate * 100).toFixed(1)}%`);
      drawn = true;
    };
    return {
      update(p) {
        const now = Date.now();
        if (now - last < 80 && p.done !== p.total) return;
        last = now;
        draw(p);
      },
      done() {
        if (drawn) stream.write('\n');
      },
    };
  }
  let nextMark = 0.1;
  return {
    update(p) {
      const frac = p.total ? p.done / p.total : 1;
      if (frac + 1e-9 < nextMark && p.done !== p.total) return;
      while (nextMark <= frac + 1e-9) nextMark += 0.1;
      stream.write(`${label} ${p.done}/${p.total} passed=${p.passed} failed=${p.failed} errors=${p.errors} pass_rate=${p.passRate.toFixed(3)}${p.model ? ` model=${p.model}` : ''}\n`);
    },
    done() {},
  };
}
