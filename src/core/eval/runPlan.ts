// Step 1 of a suite run: the plan. Everything decided before any run is created or any model is
// called: trust checks, the dataset, the prompts (text, content hash, git), the scorers, the
// thresholds, and one planned run per prompt × model pair with its identity (params and tags).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parsePromptFile } from '../prompts/promptFile';
import { normalizedContentHash } from '../prompts/contentHash';
import type { ParsedPrompt } from '../prompts/promptTypes';
import type { LoadedSuite } from './suiteLoader';
import { openSuiteDataset, suiteDatasetFormat } from './datasetFile';
import type { LoadedDataset } from './dataset';
import type { ModelSpec } from './suiteSchema';
import type { Scorer } from './scorers/types';
import { UntrustedWorkspaceError } from './scorers/types';
import { createScorer, splitType } from './scorers/createScorer';
import { promptGitInfo, type PromptGitInfo } from './gitInfo';
import { currentUser, relTo, type RunIdentity } from './runContext';
import { mergeParams, modelLabel } from './modelConfig';
import { finishSuiteDataCheck, suiteDataChecker } from './validation/validateSuite';
import { selectCases } from './caseSelection';

const DEFAULT_CONCURRENCY = 4;

export interface PreparedPrompt {
  path: string; rel: string; text: string; parsed: ParsedPrompt; hash: string; git: PromptGitInfo;
  /** Each case's estimated input tokens, from the dataset check (absent with --no-validate); see costEstimate.ts. */
  inputTokens?: Uint32Array;
}

export interface PlannedRun {
  id: RunIdentity;
  runName: string;
  prompt: PreparedPrompt;
  model: ModelSpec;
  /** Model label, e.g. `openai:gpt-4o-mini`. */
  label: string;
  /** Rows of this run: cases × repeat. */
  total: number;
}

export interface SuitePlan {
  suite: LoadedSuite;
  suiteRel: string;
  /** sha256 of the suite file: a resume refuses a suite that changed. */
  suiteHash: string;
  dataset: LoadedDataset;
  repeat: number;
  concurrency: number;
  /** Per-case scorers (the dataset's `assert:`), by case index, for the cases that have them. */
  caseScorers: ReadonlyMap<number, Scorer[]>;
  thresholds: Record<string, number>;
  user: string;
  runs: PlannedRun[];
  /**
   * The dataset check, when the plan was told to leave it (deferDataCheck): call it before spending
   * (it throws DatasetValidationError on errors, as planSuite would have). Runs once.
   */
  checkData?: () => void;
}

export interface PlanOptions {
  workspaceRoot: string;
  trusted: boolean;
  concurrency?: number;
  repeat?: number;
  minPassRate?: number;
  models?: string[];
  env?: NodeJS.ProcessEnv;
  /** Plan even when the dataset check finds errors (`--no-validate`). */
  noValidate?: boolean;
  /**
   * Run only the cases with these ids (the Test Explorer); the runs are tagged partial
   * (caseSelection.ts). runSuite hands its options object through, so callers add it there.
   */
  caseIds?: readonly string[];
  /**
   * Leave the dataset check to the caller (SuitePlan.checkData): a resume skips it for a run that
   * was checked when it began, on content whose hashes say it is unchanged (resumeTarget.ts).
   */
  deferDataCheck?: boolean;
}

/**
 * Inputs that replace what is on disk (reproduce a run, eval an older git version). runSuite hands
 * its whole options object to planSuite, so these work as runSuite options too.
 */
export interface PlanOverrides {
  /** By absolute prompt path: the text to run instead of the working file, and the git facts to record. */
  promptAt?: ReadonlyMap<string, { text: string; git: PromptGitInfo }>;
  /** The cases to run instead of the suite's dataset (e.g. a run's dataset snapshot). */
  dataset?: LoadedDataset;
}

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

export function suiteFileHash(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

export async function planSuite(suite: LoadedSuite, opts: PlanOptions & PlanOverrides): Promise<SuitePlan> {
  assertRunnable(suite, opts.trusted);
  const gitByPath = await promptGitInfo(suite.promptPaths);
  const prompts: PreparedPrompt[] = suite.promptPaths.map((p) => {
    const at = opts.promptAt?.get(p);
    const text = at?.text ?? fs.readFileSync(p, 'utf8');
    return { path: p, rel: relTo(opts.workspaceRoot, p), text, parsed: parsePromptFile(text, p), hash: normalizedContentHash(text), git: at?.git ?? gitByPath.get(p) ?? {} };
  });
  // Validate before spending: no run is created and no model called on data with errors. The
  // suite's own dataset is checked row by row as its file is read (one parse of each row); in an
  // untrusted workspace only once the rows are known to hold no javascript scorer.
  const checker = opts.noValidate ? undefined : suiteDataChecker(suite, opts.dataset?.format ?? suiteDatasetFormat(suite), prompts.map((p) => p.parsed), opts.models, true);
  const checkWhileReading = checker !== undefined && opts.trusted && !opts.dataset && !opts.caseIds && !opts.deferDataCheck;
  const opened = opts.dataset ?? await openSuiteDataset(suite, checkWhileReading ? (c) => checker.row(c) : undefined);
  const { dataset, partial } = selectCases(opened, opts.caseIds);
  if (!opts.trusted && [...dataset.caseAsserts.values()].some((list) => list.some((a) => splitType(a.type).base === 'javascript'))) {
    throw new UntrustedWorkspaceError(`${path.basename(dataset.path ?? suite.filePath)}: the javascript scorer`);
  }
  let checked = false;
  const checkData = (): void => {
    if (!checker || checked) return;
    checked = true;
    if (!checkWhileReading) for (const c of dataset.cases) checker.row(c);
    finishSuiteDataCheck(checker, dataset, suite.filePath);
    const tokens = checker.inputTokens();
    prompts.forEach((p, k) => { p.inputTokens = tokens[k]; });
  };
  if (!opts.deferDataCheck) checkData();
  const repeat = opts.repeat ?? suite.spec.repeat ?? 1;
  const concurrency = opts.concurrency ?? suite.spec.concurrency ?? DEFAULT_CONCURRENCY;
  const models = suite.spec.models.filter((m) => !opts.models || opts.models.includes(modelLabel(m)));
  const caseScorers = new Map<number, Scorer[]>();
  for (const [i, list] of dataset.caseAsserts) caseScorers.set(i, list.map((a) => createScorer(a, { baseDir: suite.baseDir })));
  const suiteRel = relTo(opts.workspaceRoot, suite.filePath);
  const thresholds: Record<string, number> = {};
  for (const [k, v] of Object.entries(suite.spec.thresholds ?? {})) if (v !== undefined) thresholds[k] = v;
  if (opts.minPassRate !== undefined) thresholds.pass_rate = opts.minPassRate;

  const pairs = prompts.flatMap((prompt) => models.map((model) => ({ prompt, model })));
  const runs: PlannedRun[] = pairs.map(({ prompt, model }) => {
    const label = modelLabel(model);
    const runName = pairs.length > 1 && prompts.length > 1 ? `${suite.name} · ${prompt.parsed.name} · ${label}` : `${suite.name} · ${label}`;
    const id: RunIdentity = {
      suite, suiteRel, promptPath: prompt.path, promptRel: prompt.rel, promptName: prompt.parsed.name, promptHash: prompt.hash,
      git: prompt.git, model, params: mergeParams(prompt.parsed.model?.parameters, model.params), dataset,
      datasetRel: dataset.path ? relTo(opts.workspaceRoot, dataset.path) : undefined,
      scorerNames: suite.scorers.map((s) => s.scorer.name), repeat, thresholds, partial,
    };
    return { id, runName, prompt, model, label, total: dataset.cases.length * repeat };
  });
  return {
    suite, suiteRel, suiteHash: suiteFileHash(suite.filePath), dataset, repeat, concurrency, caseScorers, thresholds,
    user: currentUser(opts.env), runs, checkData: opts.deferDataCheck ? checkData : undefined,
  };
}
