// What a run records about itself before any case runs: params and tags (DESIGN.md "What a run
// records"). Secrets never appear: no API keys, base URLs, headers or command arguments.
import os from 'node:os';
import path from 'node:path';
import type { Param, Tag } from '../tracking/types';
import type { SamplingParams } from '../providers/types';
import type { LoadedSuite } from './suiteLoader';
import type { LoadedDataset } from './dataset';
import type { ModelSpec } from './suiteSchema';
import type { PromptGitInfo } from './gitInfo';
import { modelLabel, modelName } from './modelConfig';
import { MLFLOW_TAG } from '../tracking/mlflowTags';

export const TAGS = {
  suite: 'promptledger.suite',
  model: 'promptledger.model',
  promptPath: 'promptledger.promptPath',
  promptHash: 'promptledger.promptHash',
  datasetHash: 'promptledger.datasetHash',
  passed: 'promptledger.passed',
  kind: 'promptledger.runKind',
  /** Content hash of the suite file (resume refuses a changed suite). */
  suiteHash: 'promptledger.suiteHash',
  /** Who fills the run: pid and host of the process, and its last heartbeat (epoch ms). */
  ownerPid: 'promptledger.ownerPid',
  ownerHost: 'promptledger.ownerHost',
  heartbeat: 'promptledger.heartbeat',
  /** Rows recorded in the case journal so far, and in all (cases × repeat). */
  casesDone: 'promptledger.casesDone',
  casesTotal: 'promptledger.casesTotal',
  /** Why a KILLED run stopped early when nobody cancelled it: `budget` (the spend limit was reached). */
  stopReason: 'promptledger.stopReason',
  /** Shards: the group id all shards of one eval share, and this run's slice (`2/4`). */
  group: 'promptledger.group',
  shard: 'promptledger.shard',
  /** On a reproduced run: the id of the run it reproduces. */
  reproducedFrom: 'promptledger.reproducedFrom',
  /** On a run of an older version (`eval --at <rev>`, Run Eval on This Version): the revision asked for. */
  promptAt: 'promptledger.promptAt',
  /**
   * On a run of only some of the suite's cases (Test Explorer, watch mode): `cases/of`. Such a run
   * is no baseline and no "previous run" (runLinks.ts isPartialRun).
   */
  partial: 'promptledger.partial',
} as const;

const MAX_PARAM = 6000;
const MAX_TAG = 8000;

export interface RunIdentity {
  suite: LoadedSuite;
  suiteRel: string;
  promptPath: string;
  promptRel: string;
  promptName: string;
  promptHash: string;
  git: PromptGitInfo;
  model: ModelSpec;
  params: SamplingParams;
  dataset: LoadedDataset;
  datasetRel?: string;
  scorerNames: string[];
  repeat: number;
  thresholds: Record<string, number>;
  /** Only some cases run (caseSelection.ts). */
  partial?: { cases: number; of: number };
}

export function relTo(root: string, file: string): string {
  const rel = path.relative(root, file);
  return (rel.startsWith('..') || path.isAbsolute(rel) ? file : rel).split(path.sep).join('/');
}

export function currentUser(env: NodeJS.ProcessEnv = process.env): string {
  try {
    return os.userInfo().username;
  } catch {
    return env.USER ?? env.USERNAME ?? 'unknown';
  }
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export function runParams(id: RunIdentity): Param[] {
  const p: Record<string, string | number | undefined> = {
    suite: id.suiteRel,
    prompt_path: id.promptRel,
    prompt_name: id.promptName,
    prompt_hash: id.promptHash,
    prompt_version: id.git.version,
    git_commit: id.git.commit,
    model: modelLabel(id.model),
    model_name: modelName(id.model),
    provider: id.model.provider,
    dataset_path: id.datasetRel ?? '(inline)',
    dataset_hash: id.dataset.hash,
    dataset_size: id.dataset.cases.length,
    scorers: id.scorerNames.join(','),
    repeat: id.repeat,
  };
  for (const [k, v] of Object.entries(id.params)) {
    if (v !== undefined) p[k] = typeof v === 'string' || typeof v === 'number' ? v : JSON.stringify(v);
  }
  for (const [k, v] of Object.entries(id.thresholds)) p[`threshold.${k}`] = v;
  return Object.entries(p).filter(([, v]) => v !== undefined && v !== '').map(([key, value]) => ({ key, value: clip(String(value), MAX_PARAM) }));
}

/**
 * The tags MLflow's own client sets on a run (name, source, git, user, parent), which its UI
 * shows: the same for eval runs, their parents and sweep parents. Undefined values are dropped.
 */
export function mlflowSourceTags(o: { runName: string; suiteRel: string; user: string; git: PromptGitInfo; parentRunId?: string }): Record<string, string | undefined> {
  return {
    [MLFLOW_TAG.runName]: o.runName,
    [MLFLOW_TAG.sourceName]: o.suiteRel,
    [MLFLOW_TAG.sourceType]: 'LOCAL',
    [MLFLOW_TAG.gitCommit]: o.git.headCommit ?? o.git.commit,
    [MLFLOW_TAG.gitBranch]: o.git.branch,
    [MLFLOW_TAG.user]: o.user,
    [MLFLOW_TAG.parentRunId]: o.parentRunId,
  };
}

/** Record → tags, leaving out what is unset and clipping values to MLflow's run-tag limit. */
export function tagList(t: Record<string, string | undefined>): Tag[] {
  return Object.entries(t).filter(([, v]) => v !== undefined && v !== '').map(([key, value]) => ({ key, value: clip(value!, MAX_TAG) }));
}

export function runTags(id: RunIdentity, runName: string, user: string, parentRunId?: string): Tag[] {
  const t: Record<string, string | undefined> = {
    ...mlflowSourceTags({ runName, suiteRel: id.suiteRel, user, git: id.git, parentRunId }),
    [TAGS.suite]: id.suiteRel,
    [TAGS.model]: modelLabel(id.model),
    [TAGS.promptPath]: id.promptRel,
    [TAGS.promptHash]: id.promptHash,
    [TAGS.datasetHash]: id.dataset.hash,
    [TAGS.kind]: 'eval',
    [TAGS.partial]: id.partial ? `${id.partial.cases}/${id.partial.of}` : undefined,
  };
  for (const [k, v] of Object.entries(id.suite.spec.tags ?? {})) t[k] = String(v);
  return tagList(t);
}

export function chunk<T>(xs: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}
