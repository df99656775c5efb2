// Runs a loaded suite: every prompt × model pair becomes one MLflow run (children of a parent run
// when there are several), every case × repeat one row. Cases run through a small worker pool;
// cancellation aborts in-flight requests and the run ends KILLED with what it had logged.
import { setMaxListeners } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import type { RunStatus, TrackingStore } from '../tracking/types';
import type { ModelProvider, ProviderConfig, ProviderContext, ProviderResponse } from '../providers/types';
import { createProvider } from '../providers/createProvider';
import { isProviderError } from '../providers/providerError';
import { ResponseCache, withCache } from '../providers/responseCache';
import { parsePromptFile } from '../prompts/promptFile';
import { renderPrompt } from '../prompts/render';
import { normalizedContentHash } from '../prompts/contentHash';
import type { ParsedPrompt } from '../prompts/promptTypes';
import type { LoadedSuite } from './suiteLoader';
import { loadSuiteDataset } from './suiteLoader';
import type { EvalCase } from './dataset';
import type { ModelSpec } from './suiteSchema';
import type { Diagnostic } from './diagnostics';
import type { CaseRow } from './caseRow';
import type { Scorer } from './scorers/types';
import { UntrustedWorkspaceError } from './scorers/types';
import { createScorer, splitType } from './scorers/createScorer';
import { scoreOutput } from './caseScoring';
import { runPool } from './workPool';
import { aggregateRows, checkThresholds, type ThresholdCheck } from './runMetrics';
import { buildResultsTable, loggedArtifactsTag, RESULTS_TABLE_FILE } from './resultsTable';
import { promptGitInfo, type PromptGitInfo } from './gitInfo';
import { chunk, currentUser, relTo, runParams, runTags, TAGS, type RunIdentity } from './runContext';
import { findPreviousRun, findRegisteredPromptVersion } from './runLinks';
import { mergeParams, modelLabel, toProviderConfig } from './modelConfig';

export interface EvalProgress {
  /** Rows finished (scored or errored) across the whole suite. */
  done: number;
  total: number;
  passed: number;
  failed: number;
  errors: number;
  /** passed / done (0 before the first row). */
  passRate: number;
  /** The run currently being filled. */
  runId?: string;
  model?: string;
}

export interface RunSuiteOptions {
  store: TrackingStore;
  /** Paths in params/tags are recorded relative to this folder. */
  workspaceRoot: string;
  /** Untrusted workspaces may not run command providers or javascript scorers. */
  trusted: boolean;
  /** Overrides the suite's `concurrency` (default 4). */
  concurrency?: number;
  /** Overrides the suite's `repeat` (default 1). */
  repeat?: number;
  /** Overrides `thresholds.pass_rate`. */
  minPassRate?: number;
  /** Neither read nor write the response cache. */
  noCache?: boolean;
  /** Folder of the response cache (e.g. `.promptledger/cache`). */
  cacheDir: string;
  signal?: AbortSignal;
  onProgress?(p: EvalProgress): void;
  /** Secrets lookup, env, fetch, retry policy… (the suite's timeout_ms is applied on top). */
  providerCtx?: ProviderContext;
  /** Only run models whose label is listed (default all). */
  models?: string[];
  /** For tests: build providers some other way. */
  makeProvider?: (cfg: ProviderConfig, ctx: ProviderContext) => ModelProvider;
}

export interface ModelRunResult {
  runId: string;
  runName: string;
  experimentId: string;
  /** Model label, e.g. `openai:gpt-4o-mini`. */
  model: string;
  promptPath: string;
  promptHash: string;
  startTime: number;
  status: RunStatus;
  metrics: Record<string, number>;
  thresholds: ThresholdCheck[];
  /** Thresholds hold and the run finished. */
  passed: boolean;
  rows: CaseRow[];
  /** Why the run FAILED. */
  error?: string;
  /** The previous run of the same suite and model, for "compare with previous". */
  previousRunId?: string;
  linkedPrompt?: { name: string; version: string };
}

export interface SuiteResult {
  suiteFile: string;
  experimentId: string;
  experimentName: string;
  parentRunId?: string;
  runs: ModelRunResult[];
  /** KILLED when cancelled, FAILED when any run failed, else FINISHED. */
  status: RunStatus;
  /** Every run finished and met its thresholds. */
  passed: boolean;
  cancelled: boolean;
  dataset: { path?: string; hash: string; size: number };
  warnings: Diagnostic[];
  durationMs: number;
}

const DEFAULT_CONCURRENCY = 4;
/** Provider errors that would repeat for every case: stop the run instead of failing 1,000 cases. */
const FATAL_KINDS = new Set(['auth', 'config']);

/** Refuses suites that would run workspace code in an untrusted workspace. */
export function assertRunnable(suite: LoadedSuite, trusted: boolean): void {
  if (trusted) return;
  if (suite.spec.models.some((m) => m.provider === 'command') || suite.spec.judge?.provider === 'command') {
    throw new UntrustedWorkspaceError(`${path.basename(suite.filePath)}: the command provider`);
  }
  const allAsserts = [...suite.scorers.map((s) => s.spec), ...(suite.inlineCases ?? []).flatMap((c) => c.assert ?? [])];
  if (allAsserts.some((a) => splitType(a.type).base === 'javascript')) {
    throw new UntrustedWorkspaceError(`${path.basename(suite.filePath)}: the javascript scorer`);
  }
}

interface PreparedPrompt { path: string; rel: string; text: string; parsed: ParsedPrompt; hash: string; git: PromptGitInfo }

export async function runSuite(suite: LoadedSuite, opts: RunSuiteOptions): Promise<SuiteResult> {
  const started = Date.now();
  assertRunnable(suite, opts.trusted);
  const dataset = loadSuiteDataset(suite);
  if (!opts.trusted && dataset.cases.some((c) => c.assert?.some((a) => splitType(a.type).base === 'javascript'))) {
    throw new UntrustedWorkspaceError(`${path.basename(dataset.path ?? suite.filePath)}: the javascript scorer`);
  }
  const repeat = opts.repeat ?? suite.spec.repeat ?? 1;
  const concurrency = opts.concurrency ?? suite.spec.concurrency ?? DEFAULT_CONCURRENCY;
  const models = suite.spec.models.filter((m) => !opts.models || opts.models.includes(modelLabel(m)));
  const gitByPath = await promptGitInfo(suite.promptPaths);
  const prompts: PreparedPrompt[] = suite.promptPaths.map((p) => {
    const text = fs.readFileSync(p, 'utf8');
    return { path: p, rel: relTo(opts.workspaceRoot, p), text, parsed: parsePromptFile(text, p), hash: normalizedContentHash(text), git: gitByPath.get(p) ?? {} };
  });
  const caseScorers: Scorer[][] = dataset.cases.map((c) => (c.assert ?? []).map((a) => createScorer(a, { baseDir: suite.baseDir })));
  const suiteRel = relTo(opts.workspaceRoot, suite.filePath);
  const thresholds: Record<string, number> = {};
  for (const [k, v] of Object.entries(suite.spec.thresholds ?? {})) if (v !== undefined) thresholds[k] = v;
  if (opts.minPassRate !== undefined) thresholds.pass_rate = opts.minPassRate;

  const { store } = opts;
  const experimentId = await store.ensureExperiment(suite.experiment);
  const user = currentUser(opts.providerCtx?.env);
  const pairs = prompts.flatMap((prompt) => models.map((model) => ({ prompt, model })));
  const perRun = dataset.cases.length * repeat;
  const progress: EvalProgress = { done: 0, total: perRun * pairs.length, passed: 0, failed: 0, errors: 0, passRate: 0 };
  const cache = new ResponseCache(opts.cacheDir);

  let parentRunId: string | undefined;
  if (pairs.length > 1) {
    const parent = await store.createRun({
      experimentId, runName: suite.name, startTime: Date.now(), userId: user,
      tags: [
        { key: 'mlflow.runName', value: suite.name }, { key: 'mlflow.source.name', value: suiteRel },
        { key: 'mlflow.source.type', value: 'LOCAL' }, { key: 'mlflow.user', value: user },
        { key: TAGS.suite, value: suiteRel }, { key: TAGS.kind, value: 'eval-parent' },
        ...(prompts[0].git.headCommit ? [{ key: 'mlflow.source.git.commit', value: prompts[0].git.headCommit }] : []),
        ...(prompts[0].git.branch ? [{ key: 'mlflow.source.git.branch', value: prompts[0].git.branch }] : []),
        ...Object.entries(suite.spec.tags ?? {}).map(([key, v]) => ({ key, value: String(v) })),
      ],
    });
    parentRunId = parent.info.runId;
  }

  const runs: ModelRunResult[] = [];
  for (const { prompt, model } of pairs) {
    if (opts.signal?.aborted) break;
    const label = modelLabel(model);
    const runName = pairs.length > 1 && prompts.length > 1 ? `${suite.name} · ${prompt.parsed.name} · ${label}` : `${suite.name} · ${label}`;
    const id: RunIdentity = {
      suite, suiteRel, promptPath: prompt.path, promptRel: prompt.rel, promptName: prompt.parsed.name, promptHash: prompt.hash,
      git: prompt.git, model, params: mergeParams(prompt.parsed.model?.parameters, model.params), dataset,
      datasetRel: dataset.path ? relTo(opts.workspaceRoot, dataset.path) : undefined,
      scorerNames: suite.scorers.map((s) => s.scorer.name), repeat, thresholds,
    };
    runs.push(await executeRun({ id, runName, prompt, model, experimentId, user, parentRunId, caseScorers, progress, cache, concurrency, opts }));
  }

  const cancelled = !!opts.signal?.aborted;
  const failed = runs.some((r) => r.status === 'FAILED');
  const status: RunStatus = cancelled ? 'KILLED' : failed ? 'FAILED' : 'FINISHED';
  const passed = !cancelled && runs.length === pairs.length && runs.every((r) => r.passed);
  if (parentRunId) {
    await store.logBatch(parentRunId, { tags: [{ key: TAGS.passed, value: String(passed) }] }).catch(() => undefined);
    await store.updateRun(parentRunId, { status, endTime: Date.now() }).catch(() => undefined);
  }
  return {
    suiteFile: suite.filePath, experimentId, experimentName: suite.experiment, parentRunId, runs, status, passed, cancelled,
    dataset: { path: dataset.path, hash: dataset.hash, size: dataset.cases.length }, warnings: suite.warnings, durationMs: Date.now() - started,
  };
}

interface ExecuteArgs {
  id: RunIdentity;
  runName: string;
  prompt: PreparedPrompt;
  model: ModelSpec;
  experimentId: string;
  user: string;
  parentRunId?: string;
  caseScorers: Scorer[][];
  progress: EvalProgress;
  cache: ResponseCache;
  concurrency: number;
  opts: RunSuiteOptions;
}

async function executeRun(a: ExecuteArgs): Promise<ModelRunResult> {
  const { id, opts, prompt, model } = a;
  const { store } = opts;
  const label = modelLabel(model);
  const run = await store.createRun({ experimentId: a.experimentId, runName: a.runName, startTime: Date.now(), userId: a.user, tags: runTags(id, a.runName, a.user, a.parentRunId) });
  const runId = run.info.runId;
  const result: ModelRunResult = {
    runId, runName: a.runName, experimentId: a.experimentId, model: label, promptPath: prompt.path, promptHash: prompt.hash,
    startTime: run.info.startTime, status: 'RUNNING', metrics: {}, thresholds: [], passed: false, rows: [],
  };
  const rows = result.rows;
  // Stops this run early (fatal provider error) without touching the caller's signal.
  const stop = new AbortController();
  // Every in-flight request listens on this signal; concurrency can exceed the default 10.
  setMaxListeners(0, stop.signal);
  const onOuterAbort = () => stop.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (opts.signal?.aborted) stop.abort();
  let fatal: string | undefined;

  try {
    for (const batch of chunk(runParams(id), 100)) await store.logBatch(runId, { params: batch });
    await store.uploadArtifact(runId, `prompt/${path.basename(prompt.path)}`, prompt.text);
    await store.uploadArtifact(runId, `dataset/${id.dataset.fileName}`, id.dataset.raw);
    const linked = await findRegisteredPromptVersion(store, prompt.parsed.name, prompt.hash);
    if (linked) {
      await store.linkPromptToRun(runId, linked).catch(() => undefined);
      result.linkedPrompt = linked;
    }

    const ctx: ProviderContext = { ...opts.providerCtx, timeoutMs: id.suite.spec.timeout_ms ?? opts.providerCtx?.timeoutMs };
    const make = opts.makeProvider ?? createProvider;
    const cfg = toProviderConfig(model, id.suite.baseDir);
    const raw = make(cfg, ctx);
    const cached = withCache(raw, a.cache, { enabled: !opts.noCache });
    const judgeCfg = id.suite.spec.judge ? toProviderConfig(id.suite.spec.judge, id.suite.baseDir) : cfg;
    const suiteScorers = id.suite.scorers.map((s) => s.scorer);
    const repeat = id.repeat;

    const work = async (i: number) => {
      const c = id.dataset.cases[Math.floor(i / repeat)];
      const r = i % repeat;
      // Samples after the first skip the cache: a cached answer would make repeats identical.
      const row = await runCase(c, r, r === 0 ? cached : raw);
      if (!row) return;
      rows.push(row);
      const p = a.progress;
      p.done++;
      if (row.error) p.errors++;
      if (row.pass) p.passed++;
      else p.failed++;
      p.passRate = p.passed / p.done;
      p.runId = runId;
      p.model = label;
      opts.onProgress?.({ ...p });
    };

    const runCase = async (c: EvalCase, r: number, provider: ModelProvider): Promise<CaseRow | undefined> => {
      const base = { caseId: c.id, caseIndex: c.index, repeat: r, vars: c.vars, expected: c.expected };
      let rendered;
      try {
        rendered = renderPrompt(prompt.parsed, { ...(prompt.parsed.sample ?? {}), ...c.vars });
      } catch (err) {
        return { ...base, scores: [], score: 0, pass: false, error: { kind: 'render', message: (err as Error).message } };
      }
      let res: ProviderResponse;
      try {
        res = await provider.complete({ messages: rendered.messages, params: id.params, renderedText: rendered.text }, stop.signal);
      } catch (err) {
        if (stop.signal.aborted) return undefined; // cancelled: the row never happened
        const kind = isProviderError(err) ? err.kind : 'error';
        const message = (err as Error)?.message ?? String(err);
        if (FATAL_KINDS.has(kind) && !fatal) {
          fatal = `${label}: ${message}`;
          stop.abort();
        }
        return { ...base, scores: [], score: 0, pass: false, error: { kind, message } };
      }
      const scored = await scoreOutput([...suiteScorers, ...a.caseScorers[c.index]], {
        output: res.text, expected: c.expected, vars: c.vars, latencyMs: res.latencyMs, costUsd: res.costUsd, cached: res.cached,
        tokens: res.usage ? { input: res.usage.inputTokens, output: res.usage.outputTokens } : undefined,
        baseDir: id.suite.baseDir, trusted: opts.trusted, makeProvider: (jc) => make(jc, ctx), defaultJudge: judgeCfg, signal: stop.signal,
      }, c.threshold);
      return {
        ...base, output: res.text, ...scored, latencyMs: res.latencyMs, inputTokens: res.usage?.inputTokens, outputTokens: res.usage?.outputTokens,
        costUsd: res.costUsd, cached: res.cached,
      };
    };

    await runPool(id.dataset.cases.length * repeat, a.concurrency, work, stop.signal);
    result.status = fatal ? 'FAILED' : opts.signal?.aborted ? 'KILLED' : 'FINISHED';
    if (fatal) result.error = fatal;
  } catch (err) {
    result.status = 'FAILED';
    result.error = (err as Error)?.message ?? String(err);
  } finally {
    opts.signal?.removeEventListener('abort', onOuterAbort);
  }

  // Whatever happened, record what there is.
  try {
    await finishRun(a, result);
  } catch (err) {
    result.status = 'FAILED';
    result.error = result.error ?? `could not record results: ${(err as Error).message}`;
    await store.updateRun(runId, { status: 'FAILED', endTime: Date.now() }).catch(() => undefined);
  }
  return result;
}

async function finishRun(a: ExecuteArgs, result: ModelRunResult): Promise<void> {
  const { store } = a.opts;
  const { id } = a;
  result.metrics = aggregateRows(result.rows, { repeat: id.repeat, passAtK: id.suite.spec.pass_at_k });
  result.thresholds = checkThresholds(result.metrics, id.thresholds);
  result.passed = result.status === 'FINISHED' && result.thresholds.every((t) => t.pass);
  const now = Date.now();
  const metrics = Object.entries(result.metrics).map(([key, value]) => ({ key, value, timestamp: now, step: 0 }));
  for (const batch of chunk(metrics, 500)) await store.logBatch(result.runId, { metrics: batch });

  const table = buildResultsTable(result.rows, id.scorerNames);
  await store.uploadArtifact(result.runId, RESULTS_TABLE_FILE, JSON.stringify(table));
  const summary = {
    suite: id.suiteRel, model: result.model, prompt: { path: id.promptRel, name: id.promptName, hash: id.promptHash, version: id.git.version, commit: id.git.commit },
    dataset: { path: id.datasetRel ?? null, hash: id.dataset.hash, cases: id.dataset.cases.length }, repeat: id.repeat,
    status: result.status, error: result.error ?? null, passed: result.passed, metrics: result.metrics, thresholds: result.thresholds,
    rows: { total: id.dataset.cases.length * id.repeat, recorded: result.rows.length },
    linkedPrompt: result.linkedPrompt ?? null,
  };
  await store.uploadArtifact(result.runId, 'summary.json', JSON.stringify(summary, null, 2));
  await store.logBatch(result.runId, {
    tags: [
      { key: 'mlflow.loggedArtifacts', value: loggedArtifactsTag([RESULTS_TABLE_FILE]) },
      { key: TAGS.passed, value: String(result.passed) },
    ],
  });
  const previous = await findPreviousRun(store, { experimentId: result.experimentId, suite: id.suiteRel, model: result.model, before: { runId: result.runId, startTime: result.startTime } }).catch(() => undefined);
  result.previousRunId = previous?.info.runId;
  await store.updateRun(result.runId, { status: result.status === 'RUNNING' ? 'FINISHED' : result.status, endTime: Date.now() });
}

