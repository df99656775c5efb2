// "Sync Workspace Runs to MLflow Server": pushes the embedded store (<workspace>/.promptledger) to
// a server, with progress and cancel; a second sync resumes and skips what is already there.
import path from 'node:path';
import * as vscode from 'vscode';
import { openEmbeddedStore, type EmbeddedStore } from '../../core/tracking/local/embeddedStore';
import { describeSyncReport, SyncAbortedError, syncStore, type SyncReport } from '../../core/tracking/sync/syncToServer';
import { EMBEDDED_DIR_NAME, openTrackingStore, resolveTrackingUri } from '../../core/tracking/trackingUri';
import { CREDENTIALS_HINT } from '../trackingService';
import { workspaceRoot } from '../config';
import type { Services } from '../services';

export function defaultServerUrl(env: NodeJS.ProcessEnv, setting: string): string {
  for (const v of [setting, env.MLFLOW_TRACKING_URI ?? '']) if (/^https?:\/\//i.test(v.trim())) return v.trim();
  return 'http://127.0.0.1:5000';
}

export async function syncCommand(services: Services, urlArg?: unknown): Promise<SyncReport | undefined> {
  const root = workspaceRoot();
  if (!root) throw new Error('Open a workspace folder: sync pushes its .promptledger store.');
  const setting = vscode.workspace.getConfiguration('promptLedger').get<string>('trackingUri') ?? '';
  const url = typeof urlArg === 'string' ? urlArg : await vscode.window.showInputBox({
    title: 'Sync workspace runs to an MLflow server',
    prompt: 'MLflow server URL',
    value: defaultServerUrl(process.env, setting),
    validateInput: (v) => (/^https?:\/\/[^\s]+$/i.test(v.trim()) ? undefined : 'An http(s):// URL, e.g. http://127.0.0.1:5000'),
  });
  if (!url) return undefined;
  const target = resolveTrackingUri({ setting: url.trim(), env: {}, workspaceRoot: root });
  if (target.kind !== 'mlflow') throw new Error(`${url} is not an MLflow server URL.`);

  const current = await services.tracking.getStore().catch(() => undefined);
  const localDir = path.join(root, EMBEDDED_DIR_NAME);
  const reuse = current?.kind === 'embedded' && path.resolve(current.location) === path.resolve(localDir);
  const from = reuse ? (current as EmbeddedStore) : await openEmbeddedStore(localDir);
  const to = await openTrackingStore(target, {
    env: process.env, credentials: await services.tracking.credentials(), credentialsHint: CREDENTIALS_HINT,
  });
  try {
    const report = await vscode.window.withProgress({
      location: vscode.ProgressLocation.Notification, title: `Sync to ${to.location}`, cancellable: true,
    }, async (progress, cancel) => {
      const abort = new AbortController();
      const sub = cancel.onCancellationRequested(() => abort.abort());
      try {
        return await syncStore(from, to, {
          signal: abort.signal,
          onProgress: (p) => progress.report({ message: `${p.phase} ${p.done}/${p.total}${p.item ? ` · ${p.item}` : ''}` }),
        });
      } finally {
        sub.dispose();
      }
    });
    for (const w of report.warnings) services.output.appendLine(`sync: ${w}`);
    void vscode.window.showInformationMessage(`Prompt Ledger: ${describeSyncReport(report)}`);
    return report;
  } catch (e) {
    if (e instanceof SyncAbortedError) {
      void vscode.window.showWarningMessage(`Prompt Ledger: sync cancelled after ${describeSyncReport(e.report)} Run it again to resume.`);
      return e.report;
    }
    throw e;
  } finally {
    await to.close().catch(() => undefined);
    if (!reuse) await from.close().catch(() => undefined);
  }
}
