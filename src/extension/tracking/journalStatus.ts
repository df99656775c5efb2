// While the MLflow server is unreachable, run writes wait in an on-disk journal. Show how many
// are pending in the status bar, and deliver them when the server is back (every 15 s).
import * as vscode from 'vscode';
import type { TrackingStore } from '../../core/tracking/types';
import type { Services } from '../services';

interface Journaled { pendingCount(): number; flushJournal(): Promise<number> }
const isJournaled = (s: TrackingStore): s is TrackingStore & Journaled =>
  typeof (s as Partial<Journaled>).pendingCount === 'function' && typeof (s as Partial<Journaled>).flushJournal === 'function';

export function registerJournalStatus(services: Services, intervalMs = 15_000): vscode.Disposable[] {
  const item = vscode.window.createStatusBarItem('promptLedger.journal', vscode.StatusBarAlignment.Left, 49);
  item.name = 'Prompt Ledger: writes waiting for the MLflow server';
  item.command = 'promptLedger.showTrackingInfo';
  let busy = false;
  const tick = async () => {
    if (busy || services.tracking.resolveSafe()?.kind !== 'mlflow') { item.hide(); return; }
    busy = true;
    try {
      const store = await services.tracking.getStore();
      if (!isJournaled(store) || store.pendingCount() === 0) { item.hide(); return; }
      const delivered = await store.flushJournal().catch(() => 0);
      const left = store.pendingCount();
      if (delivered > 0) services.tracking.notifyChanged();
      if (left === 0) { item.hide(); return; }
      item.text = `$(cloud-upload) ${left} pending`;
      item.tooltip = `${left} run write(s) are saved on disk and will be sent to ${services.tracking.describe()} when it is reachable. Nothing is lost.`;
      item.show();
    } catch {
      item.hide(); // the store could not be opened; the views say why
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  return [item, { dispose: () => clearInterval(timer) }, services.tracking.onDidChange(() => void tick())];
}
