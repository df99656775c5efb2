// The contract between model providers and whatever calls them (the eval runner, the CLI,
// the extension's "try this prompt" command). Nothing here knows about VS Code.
//
// Where things live:
//   createProvider(cfg, ctx)        → ./createProvider.ts
//   ProviderError, isProviderError  → ./providerError.ts
//   withRetry, DEFAULT_RETRY_POLICY → ./retry.ts
//   DEFAULT_PRICES, mergePrices, costFor → ./prices.ts
//   ResponseCache, withCache, cacheKeyFor → ./responseCache.ts
//   rpm/tpm limits: RateLimiter, withRateLimit → ./rateLimiter.ts (applied by createProvider)
//   providerConfigSchema (zod, for YAML/settings) → ./providerConfigSchema.ts

export type ChatRole = 'system' | 'user' | 'assistant' | 'developer';

export interface ChatMessage {
  role: ChatRole;
  content: string;
}

/** Sampling parameters; every field is optional and only sent when set. */
export interface SamplingParams {
  temperature?: number;
  top_p?: number;
  /** OpenAI: `max_tokens`; Anthropic: `max_tokens` (required there, defaults to 1024). */
  max_tokens?: number;
  /** OpenAI: `stop`; Anthropic: `stop_sequences`. */
  stop?: string[];
  /** OpenAI-compatible only; ignored by Anthropic. */
  seed?: number;
  /** OpenAI-compatible only (e.g. `{ type: 'json_object' }`); ignored by Anthropic. */
  response_format?: unknown;
}

export interface ProviderRequest {
  messages: ChatMessage[];
  params: SamplingParams;
  /** The whole rendered prompt as one string: what echo returns and what command receives. */
  renderedText: string;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

export interface ProviderResponse {
  text: string;
  usage?: TokenUsage;
  /** Computed from the price table when the model is known and usage was reported. */
  costUsd?: number;
  /**
   * Wall time of the successful attempt (ms), excluding retry waits. For a cache hit this is the
   * latency recorded when the response was first fetched (see `cached`).
   */
  latencyMs: number;
  /** True when served from the response cache (no request was made). */
  cached: boolean;
  /** How many HTTP/process attempts this call took (1 = no retry). Absent on cache hits. */
  attempts?: number;
  finishReason?: string;
  /** The provider's response body (parsed JSON) or, for command, `{ stdout, stderr, exitCode }`. */
  raw?: unknown;
}

export type ProviderKind = 'openai' | 'anthropic' | 'command' | 'echo';

export interface ModelProvider {
  /** Stable, human-readable id, e.g. 'openai:gpt-4o-mini', 'anthropic:claude-3-5-haiku-latest', 'command:python', 'echo'. */
  readonly id: string;
  readonly kind: ProviderKind;
  /** Model name for openai/anthropic (what the price table is looked up by); undefined otherwise. */
  readonly model?: string;
  /**
   * Everything besides the request that decides the answer (endpoint URL, model, API version,
   * command line…), for the response-cache key. Never contains keys or header values.
   */
  readonly cacheIdentity?: Readonly<Record<string, unknown>>;
  /**
   * Resolves with the response or rejects with a ProviderError (never anything else).
   * Retries (per ctx.retry) and the per-attempt timeout happen inside. Aborting `signal`
   * rejects promptly with kind 'cancelled' and closes the socket / kills the process group.
   */
  complete(req: ProviderRequest, signal: AbortSignal): Promise<ProviderResponse>;
}

export interface OpenAiProviderConfig {
  kind: 'openai';
  model: string;
  /** Default https://api.openai.com/v1. For Azure: the resource endpoint, e.g. https://x.openai.azure.com */
  baseUrl?: string;
  /** Env var holding the key; default OPENAI_API_KEY (AZURE_OPENAI_API_KEY when azureApiVersion is set). */
  apiKeyEnv?: string;
  /** An already-resolved key (e.g. from SecretStorage); wins over apiKeyEnv. */
  apiKey?: string;
  /** Extra headers (e.g. for gateways). Never logged. */
  headers?: Record<string, string>;
  /** Setting this switches to Azure OpenAI: {baseUrl}/openai/deployments/{deployment}/chat/completions?api-version=… with an `api-key` header. */
  azureApiVersion?: string;
  /** Azure deployment name; defaults to `model`. */
  deployment?: string;
  /** Local servers (Ollama, llama.cpp…) need no key: set true to send no Authorization header when no key is found. */
  noAuth?: boolean;
  /** Requests per minute this endpoint allows (rateLimiter.ts paces calls to it). */
  rpm?: number;
  /** Tokens (prompt + completion) per minute this endpoint allows. */
  tpm?: number;
}

export interface AnthropicProviderConfig {
  kind: 'anthropic';
  model: string;
  /** Default https://api.anthropic.com (the client appends /v1/messages). */
  baseUrl?: string;
  /** Default ANTHROPIC_API_KEY. */
  apiKeyEnv?: string;
  apiKey?: string;
  /** Default '2023-06-01'. */
  anthropicVersion?: string;
  headers?: Record<string, string>;
  /** Requests per minute this endpoint allows (rateLimiter.ts paces calls to it). */
  rpm?: number;
  /** Tokens (prompt + completion) per minute this endpoint allows. */
  tpm?: number;
}

export interface CommandProviderConfig {
  kind: 'command';
  /** Executable (resolved on PATH); no shell is involved unless you run one (`sh -c …`). */
  command: string;
  args?: string[];
  /** 'stdin': rendered prompt written to stdin; 'arg': appended as the last argument. */
  input: 'stdin' | 'arg';
  cwd?: string;
  /** Merged over ctx.env (or process.env). */
  env?: Record<string, string>;
}

export interface EchoProviderConfig {
  kind: 'echo';
}

export type ProviderConfig =
  | OpenAiProviderConfig
  | AnthropicProviderConfig
  | CommandProviderConfig
  | EchoProviderConfig;

export interface RetryPolicy {
  /** Retries after the first attempt. Default 4. */
  maxRetries: number;
  /** Backoff base: attempt n waits random(0, min(cap, base·2^n)) ("full jitter"). Default 500. */
  baseDelayMs: number;
  /** Cap of the backoff ceiling. Default 30 000. */
  maxDelayMs: number;
  /** Honour Retry-After / retry-after-ms headers when present (waits exactly that long). Default true. */
  respectRetryAfter: boolean;
  /** A server-requested wait longer than this fails the call instead of waiting. Default 120 000. */
  maxRetryAfterMs: number;
}

/** USD per 1M tokens. */
export interface ModelPrice {
  inputPerMTok: number;
  outputPerMTok: number;
}

/** Keyed by model name (exact), or a prefix ending in '*' (e.g. 'gpt-4.1-mini*'). */
export type PriceTable = Record<string, ModelPrice>;

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface RetryInfo {
  providerId: string;
  /** 1-based number of the retry about to happen. */
  retry: number;
  delayMs: number;
  error: { kind: string; status?: number; message: string };
}

export interface ProviderContext {
  /** Looks up a secret by name (the extension passes SecretStorage; the CLI passes nothing). Tried before env. */
  secrets?: (name: string) => Promise<string | undefined>;
  /** Environment for api-key lookup and the command provider; default process.env. */
  env?: Record<string, string | undefined>;
  /** Per-attempt timeout; default 60 000 ms. Timeout → ProviderError 'timeout' (retryable). */
  timeoutMs?: number;
  /** Partial overrides of DEFAULT_RETRY_POLICY. Use { maxRetries: 0 } to disable. */
  retry?: Partial<RetryPolicy>;
  /** Default DEFAULT_PRICES. */
  prices?: PriceTable;
  /** Default: the process's node:http fetch (nodeHttpFetch.ts). */
  fetchImpl?: FetchLike;
  /** Called before each retry wait (for progress/log output). */
  onRetry?: (info: RetryInfo) => void;
  /** Injected for tests: the abortable sleep used between retries, and a clock. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
}
