// Tracking commands: MLflow credentials and model API keys into SecretStorage, sync of the
// workspace store to a server, and where runs go right now.
import * as vscode from 'vscode';
import { MlflowStore } from '../core/tracking/mlflow/mlflowStore';
import type { CommandHandlers, Services } from './services';
import { registerJournalStatus } from './tracking/journalStatus';
import { syncCommand } from './tracking/syncCommand';

export const API_KEY_NAMES = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'AZURE_OPENAI_API_KEY'];

export function trackingCommands(services: Services): CommandHandlers {
  return {
    'promptLedger.setMlflowCredentials': async () => {
      const kind = await vscode.window.showQuickPick([
        { label: 'Token', id: 'token', description: 'Bearer token (MLFLOW_TRACKING_TOKEN)' },
        { label: 'Username and password', id: 'basic', description: 'HTTP basic auth (MLFLOW_TRACKING_USERNAME / PASSWORD)' },
        { label: 'Clear stored credentials', id: 'clear' },
      ], { title: `MLflow credentials for ${services.tracking.describe()}` });
      if (!kind) return;
      if (kind.id === 'clear') {
        await services.tracking.setCredentials({});
        void vscode.window.showInformationMessage('Prompt Ledger: MLflow credentials cleared.');
        return;
      }
      if (kind.id === 'token') {
        const token = await vscode.window.showInputBox({ title: 'MLflow token', password: true, ignoreFocusOut: true, validateInput: required });
        if (!token) return;
        await services.tracking.setCredentials({ token: token.trim() });
      } else {
        const username = await vscode.window.showInputBox({ title: 'MLflow username', ignoreFocusOut: true, validateInput: required });
        if (!username) return;
        const password = await vscode.window.showInputBox({ title: `Password for ${username}`, password: true, ignoreFocusOut: true, validateInput: required });
        if (!password) return;
        await services.tracking.setCredentials({ username: username.trim(), password });
      }
      void vscode.window.showInformationMessage('Prompt Ledger: MLflow credentials saved in VS Code\'s secret storage.');
    },

    'promptLedger.setApiKey': async (nameArg?: unknown) => {
      let name = typeof nameArg === 'string' ? nameArg : undefined;
      if (!name) {
        const pick = await vscode.window.showQuickPick([...API_KEY_NAMES, 'Other environment variable name…'].map((label) => ({ label })), {
          title: 'Which API key? (stored under its environment variable name; suites name it with apiKeyEnv)',
        });
        if (!pick) return;
        name = pick.label.startsWith('Other') ? await vscode.window.showInputBox({
          title: 'Environment variable name', prompt: 'e.g. GROQ_API_KEY',
          validateInput: (v) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(v.trim()) ? undefined : 'Letters, digits and _, like an environment variable'),
        }).then((v) => v?.trim()) : pick.label;
        if (!name) return;
      }
      const key = await vscode.window.showInputBox({ title: `${name}`, prompt: 'Paste the key (empty removes it)', password: true, ignoreFocusOut: true });
      if (key === undefined) return;
      if (key.trim()) await services.context.secrets.store(name, key.trim());
      else await services.context.secrets.delete(name);
      void vscode.window.showInformationMessage(key.trim() ? `Prompt Ledger: ${name} saved in VS Code's secret storage.` : `Prompt Ledger: ${name} removed.`);
    },

    'promptLedger.syncToServer': (url?: unknown) => syncCommand(services, url),

    'promptLedger.showTrackingInfo': async () => {
      const lines = [`Runs are recorded in: ${services.tracking.describe()}`];
      try {
        const r = services.tracking.resolve();
        lines.push(`Backend: ${r.kind === 'mlflow' ? 'MLflow server' : 'embedded workspace store'} (from ${r.source === 'setting' ? 'promptLedger.trackingUri' : r.source === 'env' ? 'MLFLOW_TRACKING_URI' : 'the default'})`);
        const store = await services.tracking.getStore();
        lines.push(`Location: ${store.location}`);
        if (store instanceof MlflowStore) lines.push(`Writes waiting in the journal for the server: ${store.pendingCount()}`);
      } catch (e) {
        lines.push(`Problem: ${(e as Error).message}`);
      }
      for (const l of lines) services.output.appendLine(l);
      void vscode.window.showInformationMessage(`Prompt Ledger: ${lines.join(' · ')}`);
      return lines;
    },
  };
}

function required(v: string): string | undefined {
  return v.trim() ? undefined : 'Required';
}

export function registerTrackingFeature(services: Services): vscode.Disposable[] {
  return registerJournalStatus(services);
}
