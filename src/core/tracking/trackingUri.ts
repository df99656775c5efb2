// Where runs go, by MLflow's own rules: the promptLedger.trackingUri setting, else
// MLFLOW_TRACKING_URI, else the embedded store in <workspace>/.promptledger.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TrackingError } from './types';
import type { TrackingStore } from './types';
import { MlflowStore } from './mlflow/mlflowStore';
import type { MlflowCredentials } from './mlflow/httpClient';
import { openEmbeddedStore } from './local/embeddedStore';

export type ResolvedTrackingUri =
  | { kind: 'mlflow'; url: string; source: TrackingUriSource }
  | { kind: 'embedded'; dir: string; source: TrackingUriSource };

export type TrackingUriSource = 'setting' | 'env' | 'default';

export const EMBEDDED_DIR_NAME = '.promptledger';

const SQL_SCHEMES = /^(sqlite|postgresql|postgres|mysql|mssql)(\+\w+)?:/i;

export function resolveTrackingUri(opts: { setting?: string; env?: NodeJS.ProcessEnv; workspaceRoot?: string } = {}): ResolvedTrackingUri {
  const env = opts.env ?? process.env;
  const root = opts.workspaceRoot ?? process.cwd();
  const fromSetting = opts.setting?.trim();
  const fromEnv = env.MLFLOW_TRACKING_URI?.trim();
  const source: TrackingUriSource = fromSetting ? 'setting' : fromEnv ? 'env' : 'default';
  const raw = fromSetting || fromEnv;
  const where = source === 'setting' ? 'the promptLedger.trackingUri setting' : 'MLFLOW_TRACKING_URI';
  if (!raw) return { kind: 'embedded', dir: path.join(root, EMBEDDED_DIR_NAME), source };

  if (/^https?:\/\//i.test(raw)) {
    try {
      new URL(raw);
    } catch {
      throw new TrackingError('INVALID_PARAMETER_VALUE', `${where} is '${raw}', which is not a valid URL. Example: http://127.0.0.1:5000`);
    }
    return { kind: 'mlflow', url: raw.replace(/\/+$/, ''), source };
  }
  if (/^file:/i.test(raw)) {
    let dir: string;
    try {
      dir = fileURLToPath(raw);
    } catch {
      // file:relative/path (no slashes) is accepted by MLflow as a relative path.
      dir = raw.replace(/^file:/i, '');
    }
    return { kind: 'embedded', dir: path.resolve(root, dir), source };
  }
  if (/^databricks(-uc)?(:|$)/i.test(raw) || /^uc:/i.test(raw)) {
    throw new TrackingError('INVALID_PARAMETER_VALUE', `${where} is '${raw}': Databricks tracking is not supported. Use an MLflow server URL (http(s)://…) or leave it empty for the workspace store.`);
  }
  if (SQL_SCHEMES.test(raw)) {
    throw new TrackingError('INVALID_PARAMETER_VALUE', `${where} is '${raw}': a database URI needs an MLflow server in front of it. Run \`mlflow server --backend-store-uri ${raw}\` and set the server's http:// URL instead.`);
  }
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(raw);
  // One letter before ':' is a Windows drive (C:\runs), not a scheme.
  if (scheme && scheme[1].length > 1) {
    throw new TrackingError('INVALID_PARAMETER_VALUE', `${where} is '${raw}': the scheme '${scheme[1]}:' is not supported. Use http(s)://host:port for an MLflow server, or a folder path (or file: URI) for the embedded store.`);
  }
  return { kind: 'embedded', dir: path.resolve(root, raw), source };
}

export interface OpenTrackingStoreOptions {
  env?: NodeJS.ProcessEnv;
  /** From SecretStorage in the extension; wins over MLFLOW_TRACKING_TOKEN/USERNAME/PASSWORD. */
  credentials?: MlflowCredentials;
  /** Journal folder for run writes while the server is unreachable (e.g. <workspace>/.promptledger/journal). */
  journalDir?: string;
  timeoutMs?: number;
  maxRetries?: number;
  /** How a user enters credentials, named in 401 messages (e.g. the VS Code command title). */
  credentialsHint?: string;
}

export async function openTrackingStore(resolved: ResolvedTrackingUri, opts: OpenTrackingStoreOptions = {}): Promise<TrackingStore> {
  if (resolved.kind === 'mlflow') {
    return new MlflowStore({
      url: resolved.url,
      env: opts.env,
      credentials: opts.credentials,
      journalDir: opts.journalDir,
      timeoutMs: opts.timeoutMs,
      maxRetries: opts.maxRetries,
      credentialsHint: opts.credentialsHint,
    });
  }
  // Embedded store hook: src/core/tracking/local/embeddedStore.ts (owned by the embedded-store work).
  return openEmbeddedStore(resolved.dir);
}
