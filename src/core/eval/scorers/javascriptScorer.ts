// Custom JavaScript scorers: inline code or a module from the workspace. Both execute user code,
// so they refuse to run unless the caller says the workspace is trusted.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ScoreContext } from './types';
import { ScorerConfigError, UntrustedWorkspaceError } from './types';
import type { CheckOutcome } from './textScorers';

export type JsScoreFn = (output: string, context: Record<string, unknown>) => unknown;

/** promptfoo: a single line gets `return` prepended; multi-line text is a function body. */
export function compileInline(code: string): JsScoreFn {
  const body = code.trim().includes('\n') ? code : `return (${code.trim()});`;
  try {
    return new Function('output', 'context', body) as JsScoreFn;
  } catch (err) {
    throw new ScorerConfigError(`javascript scorer does not compile: ${(err as Error).message}`, 'a single expression such as `output.length < 200`, or a multi-line function body with `return`');
  }
}

// Kept out of esbuild's reach so .mjs modules load with Node's own ESM loader at runtime.
const dynamicImport = new Function('u', 'return import(u)') as (u: string) => Promise<Record<string, unknown>>;

export async function loadModuleFunction(spec: string, baseDir: string): Promise<JsScoreFn> {
  const m = spec.match(/^(.*?)(?::([A-Za-z_$][\w$]*))?$/);
  const file = path.resolve(baseDir, m?.[1] ?? spec);
  const exportName = m?.[2];
  let mod: unknown;
  try {
    mod = file.endsWith('.mjs') ? await dynamicImport(pathToFileURL(file).href) : require(file);
  } catch (err) {
    throw new ScorerConfigError(`cannot load javascript scorer module ${file}: ${(err as Error).message}`, 'path is relative to the suite file; the module exports a function (output, context)');
  }
  const rec = mod as Record<string, unknown>;
  const fn = exportName ? rec[exportName] : typeof mod === 'function' ? mod : rec.default ?? rec.score;
  if (typeof fn !== 'function') {
    throw new ScorerConfigError(`${file} does not export a function${exportName ? ` named ${exportName}` : ''}`, 'module.exports = (output, context) => …, or name it with `path: file.js:fnName`');
  }
  return fn as JsScoreFn;
}

/** promptfoo's script result normalization. */
export function normalizeScriptResult(result: unknown, threshold: number | undefined): CheckOutcome {
  if (typeof result === 'boolean') return { pass: result, score: result ? 1 : 0, reason: result ? 'script returned true' : 'script returned false' };
  if (typeof result === 'number' && Number.isFinite(result)) {
    const pass = threshold === undefined ? result > 0 : result >= threshold;
    return { pass, score: result, reason: `script returned ${result}${threshold === undefined ? '' : ` (threshold ${threshold})`}` };
  }
  if (result !== null && typeof result === 'object') {
    const r = result as { pass?: unknown; score?: unknown; reason?: unknown };
    const score = typeof r.score === 'number' ? r.score : undefined;
    const pass = typeof r.pass === 'boolean' ? r.pass : score !== undefined ? (threshold === undefined ? score > 0 : score >= threshold) : false;
    return { pass, score: score ?? (pass ? 1 : 0), reason: typeof r.reason === 'string' ? r.reason : `script returned pass=${pass}` };
  }
  return { pass: false, score: 0, reason: `script returned ${result === undefined ? 'nothing' : typeof result}; return a boolean, a number or {pass, score, reason}` };
}

export async function runJavascript(ctx: ScoreContext, opts: { code?: string; modulePath?: string; threshold?: number }, cache: { fn?: JsScoreFn }): Promise<CheckOutcome> {
  if (!ctx.trusted) throw new UntrustedWorkspaceError('The javascript scorer');
  if (!cache.fn) {
    cache.fn = opts.modulePath ? await loadModuleFunction(opts.modulePath, ctx.baseDir) : compileInline(opts.code ?? '');
  }
  try {
    const result = await cache.fn(ctx.output, {
      vars: ctx.vars, expected: ctx.expected, latencyMs: ctx.latencyMs, costUsd: ctx.costUsd, tokens: ctx.tokens, cached: ctx.cached,
    });
    return normalizeScriptResult(result, opts.threshold);
  } catch (err) {
    return { pass: false, score: 0, reason: `script threw: ${(err as Error)?.message ?? String(err)}` };
  }
}
