// Cost before spending: how many model calls a run will make and what they should cost, from the
// rendered prompts and the price table, computed before any run is created. The same per-row
// estimate is what the spend budget reserves before each call (spendBudget.ts).
//
// Tokens are estimated, not counted: ~4 characters a token plus 4 a message (OpenAI's rule of
// thumb for English; no tokenizer is bundled). Output tokens are the call's `max_tokens` when set
// (so the estimate is an upper bound), else Anthropic's default 1,024, else 256 assumed.
// Cached answers cost nothing, so a run with the cache on can cost less than estimated.
import { renderCase } from '../prompts/render';
import { priceFor, DEFAULT_PRICES } from '../providers/prices';
import { ANTHROPIC_DEFAULT_MAX_TOKENS } from '../providers/anthropicProvider';
import type { ModelPrice, PriceTable, SamplingParams } from '../providers/types';
import type { AssertSpec, ModelSpec } from './suiteSchema';
import type { PlannedRun, SuitePlan } from './runPlan';
import { splitType } from './scorers/createScorer';
import { modelLabel, modelName } from './modelConfig';
import { estimateMessageTokens, estimateTokens } from '../providers/tokenEstimate';

/** Output tokens assumed for a call without max_tokens (OpenAI-compatible). */
export const ASSUMED_OUTPUT_TOKENS = 256;
/** A judge call: the grading prompt's own words around the rubric and the output. */
const JUDGE_OVERHEAD_TOKENS = 200;
const JUDGE_OUTPUT_TOKENS = 100;
/** An input-token count not known yet (rendered when first asked). */
export const NOT_RENDERED = 0xffffffff;


/** How a model's calls are priced: echo and command are free (nothing we can bill them by). */
type Pricing = { kind: 'free' } | { kind: 'priced'; price: ModelPrice } | { kind: 'unpriced'; model: string };

function pricingOf(spec: ModelSpec, prices: Readonly<PriceTable>): Pricing {
  if (spec.provider === 'echo' || spec.provider === 'command') return { kind: 'free' };
  const price = priceFor(modelName(spec), prices);
  return price ? { kind: 'priced', price } : { kind: 'unpriced', model: modelLabel(spec) };
}

function outputTokens(spec: ModelSpec, params: SamplingParams): number {
  if (params.max_tokens !== undefined) return params.max_tokens;
  return spec.provider === 'anthropic' ? ANTHROPIC_DEFAULT_MAX_TOKENS : ASSUMED_OUTPUT_TOKENS;
}

function callCost(p: Pricing, input: number, output: number): number {
  return p.kind === 'priced' ? (input * p.price.inputPerMTok + output * p.price.outputPerMTok) / 1_000_000 : 0;
}

export interface RunCostEstimate {
  runName: string;
  model: string;
  /** Rows this invocation will run (pending ones on a resume, this shard's with --shard). */
  rows: number;
  /** Model calls plus LLM-judge calls. */
  calls: number;
  judgeCalls: number;
  inputTokens: number;
  outputTokens: number;
  /** USD; 0 for free providers. */
  costUsd: number;
  /** Models (the run's or a judge) with no price entry: their calls are not in costUsd. */
  unpriced: string[];
}

export interface CostEstimate {
  runs: RunCostEstimate[];
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  unpriced: string[];
}

interface JudgeUse { pricing: Pricing; rubricTokens: number }

/**
 * Per-row cost of one planned run: built once (renders every case of the prompt once), then asked
 * per row by the estimate and by the budget.
 */
export class RunCostModel {
  readonly pricing: Pricing;
  readonly outputPerCall: number;
  private readonly inputByCase: Uint32Array;
  private readonly cases: SuitePlan['dataset']['cases'];
  private readonly suiteJudges: JudgeUse[];
  private readonly caseJudges = new Map<number, JudgeUse[]>();
  readonly unpriced = new Set<string>();

  constructor(plan: SuitePlan, readonly run: PlannedRun, prices: Readonly<PriceTable>) {
    this.pricing = pricingOf(run.model, prices);
    if (this.pricing.kind === 'unpriced') this.unpriced.add(this.pricing.model);
    this.outputPerCall = outputTokens(run.model, run.id.params);
    const cases = plan.dataset.cases;
    this.cases = cases;
    // The dataset check's counts when it ran (it renders every case); else rendered lazily, once a
    // case, so a resume prices only the rows it still has to run.
    this.inputByCase = run.prompt.inputTokens ?? new Uint32Array(cases.length).fill(NOT_RENDERED);
    const judgeOf = (a: AssertSpec): JudgeUse | undefined => {
      if (splitType(a.type).base !== 'llm-rubric') return undefined;
      const spec = a.provider ?? plan.suite.spec.judge ?? run.model;
      const pricing = pricingOf(spec, prices);
      if (pricing.kind === 'unpriced') this.unpriced.add(pricing.model);
      return { pricing, rubricTokens: estimateTokens(typeof a.value === 'string' ? a.value : JSON.stringify(a.value ?? '')) };
    };
    this.suiteJudges = plan.suite.scorers.map((s) => judgeOf(s.spec)).filter((j): j is JudgeUse => !!j);
    for (const [index, asserts] of plan.dataset.caseAsserts) {
      const judges = asserts.map(judgeOf).filter((j): j is JudgeUse => !!j);
      if (judges.length) this.caseJudges.set(index, judges);
    }
  }

  private input(caseIndex: number): number {
    let n = this.inputByCase[caseIndex];
    if (n === NOT_RENDERED) {
      const { parsed } = this.run.prompt;
      try {
        n = estimateMessageTokens(renderCase(parsed, this.cases.at(caseIndex)!.vars).messages);
      } catch {
        n = 0; // a render error makes no call
      }
      this.inputByCase[caseIndex] = n;
    }
    return n;
  }

  private judges(caseIndex: number): JudgeUse[] {
    const extra = this.caseJudges.get(caseIndex);
    return extra ? [...this.suiteJudges, ...extra] : this.suiteJudges;
  }

  /** Estimated USD of the judge calls of one row (the budget charges these at their estimate). */
  judgeCost(caseIndex: number): number {
    let usd = 0;
    for (const j of this.judges(caseIndex)) usd += callCost(j.pricing, this.outputPerCall + j.rubricTokens + JUDGE_OVERHEAD_TOKENS, JUDGE_OUTPUT_TOKENS);
    return usd;
  }

  /** Estimated USD of the model call of one row. */
  modelCost(caseIndex: number): number {
    return callCost(this.pricing, this.input(caseIndex), this.outputPerCall);
  }

  /** Adds row `caseIndex` to a running estimate. */
  addRow(e: RunCostEstimate, caseIndex: number): void {
    const input = this.input(caseIndex);
    if (input === 0) return;
    e.rows++;
    e.calls++;
    e.inputTokens += input;
    e.outputTokens += this.outputPerCall;
    e.costUsd += this.modelCost(caseIndex);
    for (const j of this.judges(caseIndex)) {
      e.calls++;
      e.judgeCalls++;
      e.inputTokens += this.outputPerCall + j.rubricTokens + JUDGE_OVERHEAD_TOKENS;
      e.outputTokens += JUDGE_OUTPUT_TOKENS;
    }
    e.costUsd += this.judgeCost(caseIndex);
  }
}

/** The estimate for `rowsOf(run)` row indexes of each run (caseIndex = row / repeat). */
export function estimateRuns(plan: SuitePlan, models: readonly RunCostModel[], rowsOf: (m: RunCostModel) => Iterable<number>): CostEstimate {
  const runs = models.map((m) => {
    const e: RunCostEstimate = { runName: m.run.runName, model: m.run.label, rows: 0, calls: 0, judgeCalls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, unpriced: [...m.unpriced] };
    for (const i of rowsOf(m)) m.addRow(e, Math.floor(i / plan.repeat));
    return e;
  });
  return {
    runs,
    calls: runs.reduce((a, r) => a + r.calls, 0),
    inputTokens: runs.reduce((a, r) => a + r.inputTokens, 0),
    outputTokens: runs.reduce((a, r) => a + r.outputTokens, 0),
    costUsd: runs.reduce((a, r) => a + r.costUsd, 0),
    unpriced: [...new Set(runs.flatMap((r) => r.unpriced))],
  };
}

export function costModels(plan: SuitePlan, runs: readonly PlannedRun[], prices: Readonly<PriceTable> = DEFAULT_PRICES): RunCostModel[] {
  return runs.map((r) => new RunCostModel(plan, r, prices));
}

/** `1,000 calls · ~52k input + ~256k output tokens · ~$0.16` */
export function formatEstimate(e: Pick<CostEstimate, 'calls' | 'inputTokens' | 'outputTokens' | 'costUsd' | 'unpriced'>): string {
  const k = (n: number) => (n >= 10_000 ? `${Math.round(n / 1000).toLocaleString('en-US')}k` : n.toLocaleString('en-US'));
  const usd = e.costUsd === 0 ? '$0' : e.costUsd < 0.01 ? `$${e.costUsd.toFixed(4)}` : `$${e.costUsd.toFixed(2)}`;
  const unpriced = e.unpriced.length ? ` (no price for ${e.unpriced.join(', ')}: not included)` : '';
  return `${e.calls.toLocaleString('en-US')} calls · ~${k(e.inputTokens)} input + ~${k(e.outputTokens)} output tokens · ~${usd}${unpriced}`;
}
