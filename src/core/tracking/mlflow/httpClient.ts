// HTTP transport for an MLflow server: node:http/https (no dependencies, works in Node, Electron
// and code-server), auth and TLS options like MLflow's Python client, timeouts, retries with
// exponential backoff + jitter, and mapping of every failure to a TrackingError.
import http from 'node:http';
import https from 'node:https';
import fs from 'node:fs';
import { TrackingError } from '../types';
import type { TrackingErrorCode } from '../types';
import { backoffDelayMs, DEFAULT_RETRY_POLICY, parseRetryAfter } from '../../providers/retry';

export interface MlflowCredentials {
  token?: string;
  username?: string;
  password?: string;
}

export interface MlflowHttpOptions {
  /** Server base URL, e.g. http://127.0.0.1:5000 (a path prefix is kept). */
  url: string;
  /** Environment to read MLFLOW_* settings from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Credentials from the caller (the extension reads SecretStorage); win over the environment. */
  credentials?: MlflowCredentials;
  /** Per-request timeout; default MLFLOW_HTTP_REQUEST_TIMEOUT seconds or 120 s. */
  timeoutMs?: number;
  /** Retries for retryable failures; default MLFLOW_HTTP_REQUEST_MAX_RETRIES or 4. */
  maxRetries?: number;
  /** First backoff delay; default MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR seconds or 0.5 s. */
  retryBaseMs?: number;
  /** Upper bound for a single backoff delay (default 30 s). */
  retryMaxDelayMs?: number;
  /** Named in 401 messages as the way to enter credentials, e.g. the VS Code command title. */
  credentialsHint?: string;
}

/**
 * How safe a request is to repeat:
 * 'always'   – reads and idempotent writes (set tag, update, log params, alias moves);
 * 'unsent'   – only when the request certainly did not reach the server (connection refused,
 *              DNS failure) or the server refused it up front (429/503): creates.
 */
export type RetryPolicy = 'always' | 'unsent';

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined | string[]>;
  json?: unknown;
  body?: Uint8Array;
  contentType?: string;
  retry?: RetryPolicy;
  /** Return the raw body instead of parsed JSON. */
  raw?: boolean;
  /** Extra request headers (e.g. OTLP's x-mlflow-experiment-id). */
  headers?: Record<string, string>;
}

const MLFLOW_CODES: Record<string, TrackingErrorCode> = {
  RESOURCE_DOES_NOT_EXIST: 'RESOURCE_DOES_NOT_EXIST',
  NOT_FOUND: 'RESOURCE_DOES_NOT_EXIST',
  ENDPOINT_NOT_FOUND: 'RESOURCE_DOES_NOT_EXIST',
  RESOURCE_ALREADY_EXISTS: 'RESOURCE_ALREADY_EXISTS',
  ALREADY_EXISTS: 'RESOURCE_ALREADY_EXISTS',
  INVALID_PARAMETER_VALUE: 'INVALID_PARAMETER_VALUE',
  BAD_REQUEST: 'INVALID_PARAMETER_VALUE',
  INVALID_STATE: 'INVALID_PARAMETER_VALUE',
  MALFORMED_REQUEST: 'INVALID_PARAMETER_VALUE',
  INVALID_REQUEST: 'INVALID_PARAMETER_VALUE',
  RESOURCE_CONFLICT: 'INVALID_PARAMETER_VALUE',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  PERMISSION_DENIED: 'PERMISSION_DENIED',
  TEMPORARILY_UNAVAILABLE: 'UNAVAILABLE',
  REQUEST_LIMIT_EXCEEDED: 'UNAVAILABLE',
  INTERNAL_ERROR: 'INTERNAL_ERROR',
};

const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);
const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);

function numEnv(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

function truthy(v: string | undefined): boolean {
  return !!v && ['1', 'true', 'yes', 'on'].includes(v.toLowerCase());
}

export class MlflowHttp {
  readonly baseUrl: URL;
  private readonly env: NodeJS.ProcessEnv;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxDelayMs: number;
  private readonly agent: http.Agent;
  private readonly authHeader?: string;
  private readonly credentialsHint: string;

  constructor(opts: MlflowHttpOptions) {
    this.env = opts.env ?? process.env;
    const base = new URL(opts.url);
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new TrackingError('INVALID_PARAMETER_VALUE', `MLflow tracking URI '${opts.url}' must start with http:// or https://.`);
    }
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    // Credentials embedded in the URL are moved into the header, never echoed in messages.
    const urlUser = base.username ? decodeURIComponent(base.username) : undefined;
    const urlPass = base.password ? decodeURIComponent(base.password) : undefined;
    base.username = '';
    base.password = '';
    this.baseUrl = base;
    this.timeoutMs = opts.timeoutMs ?? (numEnv(this.env, 'MLFLOW_HTTP_REQUEST_TIMEOUT') ?? 120) * 1000;
    this.maxRetries = opts.maxRetries ?? numEnv(this.env, 'MLFLOW_HTTP_REQUEST_MAX_RETRIES') ?? 4;
    this.retryBaseMs = opts.retryBaseMs ?? (numEnv(this.env, 'MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR') ?? 0.5) * 1000;
    this.retryMaxDelayMs = opts.retryMaxDelayMs ?? 30_000;
    this.credentialsHint = opts.credentialsHint ?? 'the "Prompt Ledger: Set MLflow Credentials" command';

    const c = opts.credentials ?? {};
    const token = c.token ?? this.env.MLFLOW_TRACKING_TOKEN;
    const user = c.username ?? this.env.MLFLOW_TRACKING_USERNAME ?? urlUser;
    const pass = c.password ?? this.env.MLFLOW_TRACKING_PASSWORD ?? urlPass;
    if (c.token || (!c.username && token)) this.authHeader = `Bearer ${token}`;
    else if (user !== undefined && pass !== undefined) this.authHeader = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

    if (base.protocol === 'https:') {
      const insecure = truthy(this.env.MLFLOW_TRACKING_INSECURE_TLS);
      const certPath = this.env.MLFLOW_TRACKING_SERVER_CERT_PATH;
      const clientCert = this.env.MLFLOW_TRACKING_CLIENT_CERT_PATH;
      if (insecure && certPath) {
        throw new TrackingError('INVALID_PARAMETER_VALUE', 'MLFLOW_TRACKING_INSECURE_TLS and MLFLOW_TRACKING_SERVER_CERT_PATH are both set; unset one of them.');
      }
      this.agent = new https.Agent({
        keepAlive: true,
        rejectUnauthorized: !insecure,
        ca: certPath ? fs.readFileSync(certPath) : undefined,
        cert: clientCert ? fs.readFileSync(clientCert) : undefined,
        key: clientCert ? fs.readFileSync(clientCert) : undefined,
      });
    } else {
      this.agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    }
  }

  get hasCredentials(): boolean {
    return this.authHeader !== undefined;
  }

  /** The URL as shown in messages (no credentials). */
  get displayUrl(): string {
    return this.baseUrl.toString().replace(/\/$/, '');
  }

  close(): void {
    this.agent.destroy();
  }

  async request<T = unknown>(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, opts: RequestOptions = {}): Promise<T> {
    const retry = opts.retry ?? (method === 'GET' ? 'always' : 'unsent');
    for (let attempt = 0; ; attempt++) {
      try {
        return (await this.once(method, path, opts)) as T;
      } catch (e) {
        const err = e as AttemptError;
        const canRetry = attempt < this.maxRetries && err.retryable !== undefined && (retry === 'always' ? true : err.retryable === 'unsent');
        if (!canRetry) throw err.error;
        const backoff = backoffDelayMs(attempt, { ...DEFAULT_RETRY_POLICY, baseDelayMs: this.retryBaseMs, maxDelayMs: this.retryMaxDelayMs });
        await new Promise((r) => setTimeout(r, Math.max(err.retryAfterMs ?? 0, backoff)));
      }
    }
  }

  private buildUrl(path: string, query?: RequestOptions['query']): URL {
    const url = new URL(path.replace(/^\//, ''), this.baseUrl);
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v === undefined) continue;
      if (Array.isArray(v)) for (const item of v) url.searchParams.append(k, item);
      else url.searchParams.set(k, String(v));
    }
    return url;
  }

  private once(method: string, path: string, opts: RequestOptions): Promise<unknown> {
    const url = this.buildUrl(path, opts.query);
    const body = opts.json !== undefined ? Buffer.from(JSON.stringify(opts.json)) : opts.body;
    const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': 'prompt-ledger', ...opts.headers };
    if (body) {
      headers['Content-Type'] = opts.json !== undefined ? 'application/json' : (opts.contentType ?? 'application/octet-stream');
      headers['Content-Length'] = String(body.byteLength);
    }
    if (this.authHeader) headers.Authorization = this.authHeader;
    const mod = url.protocol === 'https:' ? https : http;
    const where = `${method} ${url.pathname}`;
    return new Promise((resolve, reject) => {
      let sent = false;
      const req = mod.request(url, { method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => reject(this.networkError(e, where, true)));
        res.on('end', () => {
          const buf = Buffer.concat(chunks);
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            if (opts.raw) return resolve(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
            if (buf.length === 0) return resolve({});
            try {
              return resolve(JSON.parse(buf.toString('utf8')));
            } catch {
              return reject({ error: new TrackingError('INTERNAL_ERROR', `${this.displayUrl} answered ${where} with something that is not JSON (${snippet(buf)}). Is the tracking URI an MLflow server?`, status) } satisfies AttemptError);
            }
          }
          reject(this.httpError(status, buf, res.headers, where));
        });
      });
      req.setTimeout(this.timeoutMs, () => {
        req.destroy(Object.assign(new Error('timeout'), { code: 'PL_TIMEOUT' }));
      });
      req.on('error', (e: NodeJS.ErrnoException) => reject(this.networkError(e, where, sent)));
      req.on('finish', () => { sent = true; });
      req.end(body);
    });
  }

  private networkError(e: NodeJS.ErrnoException, where: string, sent: boolean): AttemptError {
    const code = e.code ?? '';
    if (code === 'PL_TIMEOUT') {
      return {
        error: new TrackingError('UNAVAILABLE', `The MLflow server at ${this.displayUrl} did not answer ${where} within ${Math.round(this.timeoutMs / 1000)} s. Raise MLFLOW_HTTP_REQUEST_TIMEOUT (seconds) or check the server.`),
        retryable: 'always',
      };
    }
    if (/CERT|SSL|TLS|SELF_SIGNED/i.test(code) || /certificate/i.test(e.message)) {
      return {
        error: new TrackingError('UNAVAILABLE', `TLS verification failed for ${this.displayUrl} (${code || e.message}). Set MLFLOW_TRACKING_SERVER_CERT_PATH to the CA bundle, or MLFLOW_TRACKING_INSECURE_TLS=true to skip verification (not recommended).`),
      };
    }
    const unsent = CONNECT_ERRORS.has(code) || (!sent && code !== 'ECONNRESET');
    const msg = CONNECT_ERRORS.has(code)
      ? `Cannot reach the MLflow server at ${this.displayUrl} (${code}). Check the tracking URI (setting promptLedger.trackingUri or MLFLOW_TRACKING_URI) and that the server is running.`
      : `The connection to the MLflow server at ${this.displayUrl} failed during ${where} (${code || e.message}).`;
    return { error: new TrackingError('UNAVAILABLE', msg), retryable: unsent ? 'unsent' : 'always' };
  }

  private httpError(status: number, buf: Buffer, headers: http.IncomingHttpHeaders, where: string): AttemptError {
    const retryAfterMs = retryAfterOf(headers);
    const retryable: AttemptError['retryable'] = status === 429 || status === 503 ? 'unsent' : RETRY_STATUSES.has(status) ? 'always' : undefined;
    let body: { error_code?: unknown; message?: unknown } | undefined;
    try {
      body = JSON.parse(buf.toString('utf8'));
    } catch {
      body = undefined;
    }
    if (status === 401) {
      const how = this.hasCredentials
        ? 'The credentials sent were refused; fix MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD'
        : 'No credentials were sent; set MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD';
      return { error: new TrackingError('UNAUTHENTICATED', `The MLflow server at ${this.displayUrl} requires authentication (401 on ${where}). ${how}, or enter them with ${this.credentialsHint}.`, status) };
    }
    if (body && typeof body.error_code === 'string') {
      const code = MLFLOW_CODES[body.error_code] ?? byStatus(status);
      const message = typeof body.message === 'string' ? body.message : body.error_code;
      return { error: new TrackingError(code, `${message}`, status), retryable, retryAfterMs };
    }
    const text = snippet(buf);
    if (status === 403) {
      return {
        error: new TrackingError('PERMISSION_DENIED', /host|cors|origin/i.test(text)
          ? `The MLflow server at ${this.displayUrl} refused ${where} (403: ${text}). Start the server with --allowed-hosts including this host.`
          : `The MLflow server at ${this.displayUrl} refused ${where} (403: ${text}): ${this.hasCredentials ? 'the signed-in user lacks the permission' : 'no credentials were sent, and anonymous access may not do this'}. An MLflow admin can grant it (POST /api/3.0/mlflow/users/permissions/grant, or MLflow's UI), or sign in as a user who has it: ${this.credentialsHint}.`, status),
      };
    }
    if (status === 404) {
      return { error: new TrackingError('RESOURCE_DOES_NOT_EXIST', `${this.displayUrl} has no endpoint ${where} (404: ${text}). Is the tracking URI an MLflow server, and is its version 2.x or later?`, status) };
    }
    return {
      error: new TrackingError(byStatus(status), `The MLflow server at ${this.displayUrl} answered ${where} with HTTP ${status}: ${text}`, status),
      retryable,
      retryAfterMs,
    };
  }
}

interface AttemptError {
  error: TrackingError;
  retryable?: 'always' | 'unsent';
  retryAfterMs?: number;
}

function byStatus(status: number): TrackingErrorCode {
  if (status === 400) return 'INVALID_PARAMETER_VALUE';
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'PERMISSION_DENIED';
  if (status === 404) return 'RESOURCE_DOES_NOT_EXIST';
  if (status === 409) return 'RESOURCE_ALREADY_EXISTS';
  if (status === 429 || status === 502 || status === 503 || status === 504) return 'UNAVAILABLE';
  return 'INTERNAL_ERROR';
}

/** The server's Retry-After, read by the one parser the providers use too, capped at 2 min. */
function retryAfterOf(headers: http.IncomingHttpHeaders): number | undefined {
  const ms = parseRetryAfter({ get: (name) => { const v = headers[name]; return (Array.isArray(v) ? v[0] : v) ?? null; } });
  return ms === undefined ? undefined : Math.min(ms, 120_000);
}

function snippet(buf: Buffer): string {
  const s = buf.toString('utf8').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
  return s.length > 200 ? `${s.slice(0, 200)}…` : s || '(empty body)';
}
