// Tag keys the prompt registry reads and writes: the one home for them. `mlflow.*` and
// `_mlflow_*` keys are MLflow's own conventions (mlflow/prompt/constants.py, MLflow 3.17);
// `promptledger.*` keys are ours.
export const TAG = {
  // ---- MLflow's prompt registry
  /** On the registered model and on each version: this is a prompt. */
  isPrompt: 'mlflow.prompt.is_prompt',
  /** The template: text, or for chat prompts Python's json.dumps of the [{role, content}] list. */
  promptText: 'mlflow.prompt.text',
  /** 'text' | 'chat'. */
  promptType: '_mlflow_prompt_type',
  /** JSON: provider, model_name, temperature, max_tokens, top_p, top_k, penalties, stop_sequences, extras. */
  modelConfig: '_mlflow_prompt_model_config',
  /** JSON Schema (JSON) of the expected response. */
  responseFormat: '_mlflow_prompt_response_format',
  /** Run and trace tag: JSON list of {name, version} the run used. */
  linkedPrompts: 'mlflow.linkedPrompts',

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
