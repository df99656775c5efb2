/** Shapes shared by prompt parsing, rendering and everyone who consumes a parsed prompt. */
import type { SamplingParams } from '../providers/types';

export type PromptFormat = 'prompty-v1' | 'prompty-v2' | 'template';
export type TemplateEngine = 'jinja2' | 'mustache' | 'mlflow';
export type ModelApi = 'chat' | 'completion' | 'responses' | 'embedding' | 'image';
export type MessageRole = 'system' | 'user' | 'assistant' | 'developer';
export type DiagnosticSeverity = 'error' | 'warning' | 'info';

/** Codes are stable: the extension maps them to quick fixes and tests assert them. */
export type PromptDiagnosticCode =
  | 'yaml-syntax'
  | 'yaml-warning'
  | 'frontmatter-not-object'
  | 'unterminated-frontmatter'
  | 'unknown-field'
  | 'wrong-type'
  | 'mixed-version'
  | 'undeclared-variable'
  | 'unused-input'
  | 'duplicate-input'
  | 'template-syntax';

/** 0-based lines and columns over the whole file, end exclusive (VS Code's Range convention). */
export interface PromptDiagnostic {
  message: string;
  severity: DiagnosticSeverity;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  code: PromptDiagnosticCode | string;
}

/** A prompt's model parameters are exactly what providers send: one shape for both. */
export type ModelParameters = SamplingParams;

/** Provider-neutral model settings; never carries connection secrets (api keys, endpoints). */
export interface NormalizedModel {
  id?: string;
  provider?: string;
  api: ModelApi;
  parameters: ModelParameters;
}

export interface PromptInput {
  name: string;
  type?: string;
  description?: string;
  default?: unknown;
  sample?: unknown;
  /** Explicit `required` when the file says so, else true when there is no default. */
  required: boolean;
}

export interface ParsedPrompt {
  format: PromptFormat;
  /** Frontmatter `name`, else the file's base name without extension. */
  name: string;
  description?: string;
  /** The frontmatter as plain data ({} when absent or unreadable). */
  frontmatter: Record<string, unknown>;
  body: string;
  /** 0-based line of the file where `body` starts. */
  bodyStartLine: number;
  model?: NormalizedModel;
  inputs: PromptInput[];
  /** Example values: top-level `sample` merged with per-input `sample`/`example`. */
  sample?: Record<string, unknown>;
  templateEngine: TemplateEngine;
  /** Top-level variables the body references, in order of first use. */
  variables: string[];
  diagnostics: PromptDiagnostic[];
  /** The path given to parsePromptFile, used in error messages. */
  filePath: string;
}

export interface RenderedMessage {
  role: MessageRole;
  content: string;
}

export interface RenderedPrompt {
  messages: RenderedMessage[];
  /** The whole rendered body (before splitting into messages), blank edge lines trimmed. */
  text: string;
}
