// Tag keys the prompt registry reads and writes. MLflow's own (`mlflow.*`, `_mlflow_*`) are
// spelled once in tracking/mlflowTags.ts and only named here; the `promptledger.*` keys are ours.
import { MLFLOW_TAG } from '../tracking/mlflowTags';

export const TAG = {
  // ---- MLflow's (spelled in tracking/mlflowTags.ts)
  isPrompt: MLFLOW_TAG.isPrompt,
  promptText: MLFLOW_TAG.promptText,
  promptType: MLFLOW_TAG.promptType,
  modelConfig: MLFLOW_TAG.modelConfig,
  responseFormat: MLFLOW_TAG.responseFormat,
  linkedPrompts: MLFLOW_TAG.linkedPrompts,

  // ---- ours, on prompt versions
  gitCommit: 'promptledger.gitCommit',
  contentHash: 'promptledger.contentHash',
  sourcePath: 'promptledger.sourcePath',
  /** The prompt file's text as registered, so a pull gives back the very file (comments included). */
  sourceText: 'promptledger.source',
  /** The file's description, tags and inputs (with defaults and samples), JSON. */
  description: 'promptledger.description',
  fileTags: 'promptledger.tags',
  inputs: 'promptledger.inputs',

  // ---- ours, on runs and registered models
  /** Run tag: content hash of the prompt the run evaluated. */
  promptHash: 'promptledger.promptHash',
  /** Run tag: 'true'/'false', whether the suite's thresholds passed. */
  passed: 'promptledger.passed',
  /** Registered-model tag holding the newest audit entries (JSON list). */
  audit: 'promptledger.audit',
  /** Registered-model tag prefix: `promptledger.request.<id>` holds one alias-move request (JSON). */
  request: 'promptledger.request',
} as const;

/** The CreateModelVersion source MLflow's client and UI send for prompts; the server refuses others. */
export const PROMPT_SOURCE_PLACEHOLDER = 'dummy-source';

/** Tags MLflow uses internally on prompt versions, hidden from the user's tag list. */
export function isInternalPromptTag(key: string): boolean {
  return key === TAG.isPrompt || key === TAG.promptText || key.startsWith('_mlflow_') || key.startsWith('mlflow.prompt.');
}

/** Run param the eval runner logs with the prompt's content hash. */
export const PROMPT_HASH_PARAM = 'prompt_hash';
/** Run param the eval runner logs with the suite's pass-rate threshold. */
export const PASS_RATE_THRESHOLD_PARAM = 'threshold.pass_rate';
export const PASS_RATE_METRIC = 'pass_rate';
