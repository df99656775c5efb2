// Opens the tracking store the settings name (MLflow's URI rules), lazily and once, and reopens it
// when the setting changes. Credentials come from SecretStorage or MLflow's env vars, never settings.
import path from 'node:path';
import * as vscode from 'vscode';
import { EMBEDDED_DIR_NAME, openTrackingStore, resolveTrackingUri, type ResolvedTrackingUri } from '../core/tracking/trackingUri';
import type { TrackingStore } from '../core/tracking/types';
import { readConfig, workspaceRoot } from './config';

const SECRET_TOKEN = 'promptLedger.mlflow.token';
const SECRET_USERNAME = 'promptLedger.mlflow.username';
const SECRET_PASSWORD = 'promptLedger.mlflow.password';
export const CREDENTIALS_HINT = 'run "Prompt Ledger: Set MLflow Credentials", or set MLFLOW_TRACKING_TOKEN / MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD';

export class TrackingService implements vscode.Disposable {
  private store: Promise<TrackingStore> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the store changes (setting edited) or new runs were recorded. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.disposables.push(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('promptLedger.trackingUri')) void this.reset();
    }));
  }

  resolve(): ResolvedTrackingUri {
    return resolveTrackingUri({ setting: readConfig().trackingUri, env: process.env, workspaceRoot: workspaceRoot() ?? process.cwd() });
  }

  /** The resolved URI, or undefined when the setting is invalid (views report that). */
  resolveSafe(): ResolvedTrackingUri | undefined {
    try {
      return this.resolve();
    } catch {
      return undefined;
    }
  }

  /** A short description for views and messages: the server URL or the store folder. */
  describe(): string {
    try {
      const r = this.resolve();
      return r.kind === 'mlflow' ? redactUrl(r.url) : `workspace store (${path.basename(r.dir)})`;
    } catch (e) {
      return `invalid tracking URI: ${(e as Error).message}`;
    }
  }

  /** The MLflow UI base URL when the backend is a server, for "Open in MLflow UI" links. */
  serverUrl(): string | undefined {
    try {
      const r = this.resolve();
      return r.kind === 'mlflow' ? redactUrl(r.url) : undefined;
    } catch {
      return undefined;
    }
  }

  getStore(): Promise<TrackingStore> {
    if (!this.store) {
      const opening = this.open();
      this.store = opening;
      opening.catch(() => { if (this.store === opening) this.store = undefined; });
    }
    return this.store;
  }

  /** Tell views that runs or registry entries changed. */
  notifyChanged(): void { this.changed.fire(); }

  async reset(): Promise<void> {
    const old = this.store;
    this.store = undefined;
    if (old) await old.then((s) => s.close(), () => undefined);
    this.changed.fire();
  }

  async setCredentials(creds: { token?: string; username?: string; password?: string }): Promise<void> {
    await Promise.all([
      creds.token ? this.secrets.store(SECRET_TOKEN, creds.token) : this.secrets.delete(SECRET_TOKEN),
      creds.username ? this.secrets.store(SECRET_USERNAME, creds.username) : this.secrets.delete(SECRET_USERNAME),
      creds.password ? this.secrets.store(SECRET_PASSWORD, creds.password) : this.secrets.delete(SECRET_PASSWORD),
    ]);
    await this.reset();
  }

  /** Credentials entered with "Set MLflow Credentials", if any (else MLflow's env vars apply). */
  async credentials(): Promise<{ token?: string; username?: string; password?: string } | undefined> {
    const [token, username, password] = await Promise.all([
      this.secrets.get(SECRET_TOKEN), this.secrets.get(SECRET_USERNAME), this.secrets.get(SECRET_PASSWORD),
    ]);
    return token || username ? { token, username, password } : undefined;
  }

  private async open(): Promise<TrackingStore> {
    const resolved = this.resolve();
    const root = workspaceRoot() ?? process.cwd();
    return openTrackingStore(resolved, {
      env: process.env,
      credentials: await this.credentials(),
      journalDir: path.join(root, EMBEDDED_DIR_NAME, 'journal'),
      credentialsHint: CREDENTIALS_HINT,
    });
  }

  dispose(): void {
    void this.store?.then((s) => s.close(), () => undefined);
    this.disposables.forEach((d) => d.dispose());
  }
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}
