// Tag keys the prompt registry reads and writes. `mlflow.*` keys are MLflow's own conventions
// (mlflow/prompt/constants.py, MLflow 3.17); `promptledger.*` keys are ours.
export const TAG = {
  isPrompt: 'mlflow.prompt.is_prompt',
  promptText: 'mlflow.prompt.text',
  linkedPrompts: 'mlflow.linkedPrompts',
  gitCommit: 'promptledger.gitCommit',
  contentHash: 'promptledger.contentHash',
  sourcePath: 'promptledger.sourcePath',
  /** Run tag: content hash of the prompt the run evaluated. */
  promptHash: 'promptledger.promptHash',
  /** Run tag: 'true'/'false', whether the suite's thresholds passed. */
  passed: 'promptledger.passed',
  /** Registered-model tag holding the newest audit entries (JSON list). */
  audit: 'promptledger.audit',
} as const;

/** Run param the eval runner logs with the prompt's content hash. */
export const PROMPT_HASH_PARAM = 'prompt_hash';
/** Run param the eval runner logs with the suite's pass-rate threshold. */
export const PASS_RATE_THRESHOLD_PARAM = 'threshold.pass_rate';
export const PASS_RATE_METRIC = 'pass_rate';
