// MLflow's own tag names, the one place they are spelled (mlflow/utils/mlflow_tags.py and
// mlflow/prompt/constants.py, MLflow 3.17). Our `promptledger.*` names live in
// registry/registryTags.ts (registry) and eval/runContext.ts (runs); trace keys in traces/traceKeys.ts.
export const MLFLOW_TAG = {
  // ---- runs
  runName: 'mlflow.runName',
  sourceName: 'mlflow.source.name',
  sourceType: 'mlflow.source.type',
  gitCommit: 'mlflow.source.git.commit',
  gitBranch: 'mlflow.source.git.branch',
  user: 'mlflow.user',
  parentRunId: 'mlflow.parentRunId',
  /** JSON list of {path, type} artifacts MLflow's UI renders (eval_results_table.json). */
  loggedArtifacts: 'mlflow.loggedArtifacts',
  /** Run and trace tag: JSON list of {name, version} the run used. */
  linkedPrompts: 'mlflow.linkedPrompts',

  // ---- the prompt registry
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
  /** Registered-model tag: `,0,1,` — the experiments a prompt was registered or loaded in. */
  promptExperimentIds: '_mlflow_experiment_ids',
} as const;
