// Turns one `scorers:`/`assert:` entry into a Scorer. Configuration problems surface here, when
// the suite loads (so the editor can underline them), not halfway through a run.
import type { ModelProvider } from '../../providers/types';
import type { AssertSpec, BaseAssertType } from '../suiteSchema';
import { INVERTIBLE_TYPES } from '../suiteSchema';
import { toProviderConfig } from '../modelConfig';
import type { ScoreContext, ScoreResult, Scorer } from './types';
import { isPromiseLike, ScorerConfigError } from './types';
import { resolveValue, stringify } from './interpolate';
import { compileRegex, containsCheck, containsSetCheck, equalsCheck, regexCheck, startsWithCheck, type CheckOutcome } from './textScorers';
import { containsJsonCheck, isJsonCheck, loadJsonSchema, schemaValidator } from './jsonScorers';
import { levenshtein, rougeL, rougeN, similarityOfDistance } from './similarity';
import { numericClose, parseNumber } from './numeric';
import { compileInline, runJavascript, type JsScoreFn } from './javascriptScorer';
import { runJudge } from './llmJudge';
import { detectPii, PII_CATEGORIES, type PiiCategory } from './piiPatterns';
import { detectUnsafe, SAFETY_CATEGORIES, type SafetyCategory } from './safetyPatterns';

export const DEFAULT_LEVENSHTEIN_THRESHOLD = 5;
export const DEFAULT_ROUGE_THRESHOLD = 0.75;

export function splitType(type: string): { base: BaseAssertType; inverse: boolean } {
  return type.startsWith('not-') ? { base: type.slice(4) as BaseAssertType, inverse: true } : { base: type as BaseAssertType, inverse: false };
}

export function defaultScorerName(spec: AssertSpec): string {
  if (spec.metric) return spec.metric;
  const { base, inverse } = splitType(spec.type);
  if (base === 'rouge-n') return `${inverse ? 'not-' : ''}rouge-${spec.n ?? 1}`;
  return spec.type;
}

function checkCategories<T extends string>(given: string[] | undefined, known: readonly T[], type: string): T[] {
  if (!given) return [...known];
  const bad = given.filter((c) => !known.includes(c as T));
  if (bad.length) throw new ScorerConfigError(`${type}: unknown categor${bad.length > 1 ? 'ies' : 'y'} ${bad.join(', ')}`, `known: ${known.join(', ')}`);
  return given as T[];
}

export interface CreateScorerOptions {
  baseDir: string;
  /** Name to use instead of the default (the runner de-duplicates names). */
  name?: string;
}

export function createScorer(spec: AssertSpec, opts: CreateScorerOptions): Scorer {
  const { base, inverse } = splitType(spec.type);
  if (inverse && !INVERTIBLE_TYPES.includes(base)) throw new ScorerConfigError(`${base} cannot be inverted with not-`);
  const name = opts.name ?? defaultScorerName(spec);
  const weight = spec.weight ?? 1;
  const hasVars = typeof spec.value === 'string' && /\{\{/.test(spec.value);
  let metricOnly = false;
  let source: ScoreResult['source'] = 'CODE';

  // Validate what can be validated now.
  const requireValue = (hint: string) => {
    if (spec.value === undefined) throw new ScorerConfigError(`${spec.type} needs a value`, hint);
  };
  let check: (ctx: ScoreContext, value: unknown) => Promise<CheckOutcome> | CheckOutcome;
  switch (base) {
    case 'equals': check = (c, v) => equalsCheck(c, v); break;
    case 'contains': check = (c, v) => containsCheck(c, v, false); break;
    case 'icontains': check = (c, v) => containsCheck(c, v, true); break;
    case 'contains-any': check = (c, v) => containsSetCheck(c, v, 'any', false); break;
    case 'icontains-any': check = (c, v) => containsSetCheck(c, v, 'any', true); break;
    case 'contains-all': check = (c, v) => containsSetCheck(c, v, 'all', false); break;
    case 'icontains-all': check = (c, v) => containsSetCheck(c, v, 'all', true); break;
    case 'regex':
      requireValue('value: "^\\\\d+$"');
      if (!hasVars) {
        const re = compileRegex(spec.value);
        check = (c) => regexCheck(c, re.source);
      } else check = (c, v) => regexCheck(c, v);
      break;
    case 'starts-with': check = (c, v) => startsWithCheck(c, v); break;
    case 'is-json':
    case 'contains-json': {
      const schema = loadJsonSchema(spec.value, opts.baseDir);
      if (schema) schemaValidator(schema);
      check = base === 'is-json' ? (c) => isJsonCheck(c, schema) : (c) => containsJsonCheck(c, schema);
      break;
    }
    case 'numeric':
      check = (c, v) => {
        const expected = typeof v === 'number' ? v : parseNumber(stringify(v));
        if (expected === undefined) throw new ScorerConfigError('numeric needs a number as value (or a numeric `expected`)', 'value: 42');
        const actual = parseNumber(c.output);
        if (actual === undefined) return { pass: false, reason: 'output contains no number' };
        const pass = numericClose(actual, expected, spec.tolerance ?? 0, spec.rel_tolerance ?? 0);
        return { pass, reason: `${actual} vs expected ${expected}${pass ? ' (within tolerance)' : ` (off by ${Math.abs(actual - expected)})`}` };
      };
      break;
    case 'levenshtein': {
      const max = spec.threshold ?? DEFAULT_LEVENSHTEIN_THRESHOLD;
      check = (c, v) => {
        const ref = stringify(v);
        const d = levenshtein(c.output, ref);
        return { pass: d <= max, score: similarityOfDistance(d, c.output, ref), reason: `edit distance ${d} (max ${max})` };
      };
      break;
    }
    case 'rouge-n':
    case 'rouge-l': {
      const min = spec.threshold ?? DEFAULT_ROUGE_THRESHOLD;
      const n = spec.n ?? 1;
      check = (c, v) => {
        const s = base === 'rouge-l' ? rougeL(c.output, stringify(v)) : rougeN(c.output, stringify(v), n);
        return { pass: s >= min, score: s, reason: `${base === 'rouge-l' ? 'ROUGE-L' : `ROUGE-${n}`} F1 ${s.toFixed(3)} (min ${min})` };
      };
      break;
    }
    case 'latency':
    case 'cost': {
      metricOnly = spec.threshold === undefined;
      check = (c) => {
        const v = base === 'latency' ? c.latencyMs : c.costUsd;
        const unit = base === 'latency' ? 'ms' : 'USD';
        if (v === undefined) return { pass: false, score: 0, reason: `no ${base} reported by the provider` };
        if (spec.threshold === undefined) return { pass: true, score: v, reason: `${v} ${unit}` };
        const pass = v <= spec.threshold;
        return { pass, score: pass ? 1 : 0, reason: `${v} ${unit} (max ${spec.threshold})` };
      };
      break;
    }
    case 'javascript': {
      if (spec.path === undefined && typeof spec.value !== 'string') {
        throw new ScorerConfigError('javascript needs inline code in `value` or a module in `path`', 'value: "output.length < 280"');
      }
      const cache: { fn?: JsScoreFn } = {};
      // Compile inline code now for syntax errors; this does not run it.
      if (spec.path === undefined) compileInline(spec.value as string);
      check = (c) => runJavascript(c, { code: spec.value as string | undefined, modulePath: spec.path, threshold: spec.threshold }, cache);
      break;
    }
    case 'llm-rubric': {
      requireValue('value: "The summary is faithful to the article and under 3 sentences"');
      source = 'LLM_JUDGE';
      const judge = spec.provider ? toProviderConfig(spec.provider, opts.baseDir) : undefined;
      const cache: { provider?: ModelProvider } = {};
      check = (c, v) => runJudge(c, { rubric: stringify(v), rubricPrompt: spec.rubricPrompt, judge, threshold: spec.threshold }, cache);
      break;
    }
    case 'pii': {
      const cats = checkCategories<PiiCategory>(spec.categories, PII_CATEGORIES, 'pii');
      check = (c) => {
        const found = detectPii(c.output, cats);
        const entries = Object.entries(found);
        return entries.length === 0
          ? { pass: true, reason: 'no PII found' }
          : { pass: false, reason: `PII found: ${entries.map(([k, n]) => `${k}×${n}`).join(', ')}` };
      };
      break;
    }
    case 'safety': {
      const cats = checkCategories<SafetyCategory>(spec.categories, SAFETY_CATEGORIES, 'safety');
      check = (c) => {
        const hits = detectUnsafe(c.output, cats);
        return hits.length === 0 ? { pass: true, reason: 'no unsafe content found' } : { pass: false, reason: `unsafe content: ${hits.join(', ')}` };
      };
      break;
    }
    default:
      throw new ScorerConfigError(`unknown scorer type ${spec.type}`);
  }

  const result = (out: CheckOutcome): ScoreResult => {
    let score = out.score ?? (out.pass ? 1 : 0);
    let pass = out.pass;
    let reason = out.reason;
    if (inverse) {
      pass = !pass;
      score = 1 - Math.max(0, Math.min(1, score));
      reason = `not: ${reason}`;
    }
    return { name, score, pass, reason, source, weight: metricOnly ? 0 : weight, metricOnly };
  };
  return {
    name,
    // Synchronous when the check is (every scorer but the judge and javascript modules): a run
    // scores every case, and a promise per scorer per case was a cost of its own.
    score(ctx: ScoreContext): Promise<ScoreResult> | ScoreResult {
      const out = check(ctx, resolveValue(spec.value, ctx.vars, ctx.expected));
      return isPromiseLike(out) ? Promise.resolve(out).then(result) : result(out);
    },
  };
}
