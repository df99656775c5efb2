// What the trace writer takes: a finished case row (what the runner already has per case) plus
// the run it belongs to. Nothing here is specific to a backend.
import type { CaseRow } from '../../eval/caseRow';
import type { ChatMessage } from '../../providers/types';

export interface PromptVersionRef { name: string; version: string }

/** The run every case of a batch belongs to. */
export interface CaseTraceRun {
  experimentId: string;
  runId: string;
  /** The prompt's name (root span and trace name). */
  promptName: string;
  /** Workspace-relative prompt path, shown on the render span. */
  promptPath?: string;
  /** e.g. `openai:gpt-4o-mini`. */
  modelLabel: string;
  provider: string;
  modelName: string;
  /** Sampling parameters sent with every call. */
  params?: object;
  /** The registered prompt version the prompt matches, when there is one. */
  linkedPrompt?: PromptVersionRef;
  /** mlflow.user on the trace (who ran the eval). */
  user?: string;
  /** mlflow.source.name on the trace (the suite file). */
  sourceName?: string;
  /**
   * The suite's scorers. A case that produced no output is not scored; each of these then gets an
   * errored feedback, as mlflow.genai.evaluate logs a scorer that could not score a failed row.
   */
  scorerNames?: readonly string[];
}

/** One case × repeat. */
export interface CaseTraceInput {
  row: CaseRow;
  /** The rendered messages sent to the model (absent when rendering failed). */
  messages?: ChatMessage[];
  /** When the case started and finished (epoch ms); defaults: finished now, started latency earlier. */
  startTime?: number;
  endTime?: number;
}
