// Sweeps in the editor: "Run Sweep" on a suite with a `sweep:` section (palette, explorer and
// editor menus) runs it under a cancellable progress notification and opens the sweep panel,
// which fills in as trials finish; "Open Sweep" on a sweep's parent run in the Runs view opens the
// panel on a recorded sweep.
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { loadSuite } from '../../core/eval/suiteLoader';
import { runSweep, type SweepResult } from '../../core/eval/sweep/sweepRunner';
import { DEFAULT_PRICES, mergePrices } from '../../core/providers/prices';
import { EMBEDDED_DIR_NAME } from '../../core/tracking/trackingUri';
import { readConfig, workspaceRoot } from '../config';
import type { CommandHandlers, Services } from '../services';
import { openComparePanel } from '../panels/comparePanel';
import { openSweepPanel, type OpenedSweepPanel } from '../panels/sweepPanel';
import { runIdOf } from '../runs/runsFeature';
import { findSuitesForPrompt } from './suiteFinder';
import { isSuitePath, targetUri } from './targetUri';
import { evalRefusal } from './trustGate';

export const COPY_BEST = 'Copy best config';

export function sweepCommands(services: Services): CommandHandlers {
  return {
    'promptLedger.runSweep': (arg?: unknown) => runSweepCommand(services, arg),
    'promptLedger.openSweep': async (arg?: unknown) => {
      const runId = runIdOf(arg) ?? services.selectedRunIds()[0];
      if (!runId) throw new Error('Select a sweep run in the Runs view first.');
      return openSweep(services, runId);
    },
  };
}

function panelOptions(services: Services, title: string, running = false) {
  const log = (m: string) => services.output.appendLine(m);
  return {
    title, running, log,
    openRun: (runId: string) => void vscode.commands.executeCommand('promptLedger.openRunDetails', runId),
    compareRuns: (runIds: string[]) => {
      void services.tracking.getStore().then((store) => openComparePanel(services.context, store, runIds, { baselineRunId: runIds[0], log }));
    },
  };
}

export async function openSweep(services: Services, parentRunId: string): Promise<vscode.WebviewPanel> {
  const store = await services.tracking.getStore();
  const run = await store.getRun(parentRunId);
  return openSweepPanel(services.context, store, parentRunId, panelOptions(services, run.info.runName || 'Sweep')).panel;
}

/** Which suite to sweep: the URI's suite, or among the suites of a prompt those with a `sweep:`. */
async function suiteToSweep(arg: unknown): Promise<string | undefined> {
  const uri = targetUri(arg);
  if (!uri || uri.scheme !== 'file') throw new Error('Open an *.eval.yaml suite with a `sweep:` section first (or right-click one in the Explorer).');
  if (isSuitePath(uri.fsPath)) return uri.fsPath;
  const suites = (await findSuitesForPrompt(uri.fsPath)).filter((f) => /^sweep:/m.test(fs.readFileSync(f, 'utf8')));
  if (suites.length <= 1) {
    if (!suites.length) throw new Error(`No suite with a \`sweep:\` section uses ${vscode.workspace.asRelativePath(uri)}; add one to its *.eval.yaml (see the README, "Sweeps").`);
    return suites[0];
  }
  const pick = await vscode.window.showQuickPick(suites.map((s) => ({ label: path.basename(s), description: vscode.workspace.asRelativePath(s), file: s })), { title: 'Run which sweep?' });
  return pick?.file;
}

export async function runSweepCommand(services: Services, arg?: unknown, opts: { quiet?: boolean } = {}): Promise<{ result: SweepResult; panel?: OpenedSweepPanel } | undefined> {
  const refusal = evalRefusal(vscode.workspace.isTrusted);
  if (refusal) {
    void vscode.window.showErrorMessage(`Prompt Ledger: ${refusal}`);
    return undefined;
  }
  const suiteFile = await suiteToSweep(arg);
  if (!suiteFile) return undefined;
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === suiteFile);
  if (doc?.isDirty) await doc.save();
  const suite = loadSuite(suiteFile);
  const cfg = readConfig(vscode.Uri.file(suiteFile));
  const { prices } = mergePrices(DEFAULT_PRICES, cfg.prices);
  const root = workspaceRoot() ?? path.dirname(suiteFile);
  const store = await services.tracking.getStore();
  const secrets = services.context.secrets;
  let panel: OpenedSweepPanel | undefined;

  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Sweep ${suite.name}`, cancellable: true }, async (progress, token) => {
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort(new Error('cancelled by the user')));
    let lastDone = 0;
    try {
      return await runSweep(suite, {
        store, workspaceRoot: root, trusted: vscode.workspace.isTrusted,
        concurrency: suite.spec.concurrency ?? cfg.evalConcurrency,
        cacheDir: path.join(root, EMBEDDED_DIR_NAME, 'cache'), signal: abort.signal,
        providerCtx: { secrets: async (name) => (await secrets.get(name)) || undefined, env: process.env, prices },
        onStarted: (parentRunId) => {
          panel = openSweepPanel(services.context, store, parentRunId, panelOptions(services, `Sweep ${suite.name}`, true));
          services.tracking.notifyChanged();
        },
        onProgress: (p) => {
          if (!p.finished || !p.report) return;
          panel?.session.push(p.report, true);
          progress.report({ increment: ((p.trialsDone - lastDone) / p.trialsPlanned) * 100, message: `${p.trialsDone}/${p.trialsPlanned} trials · best ${p.best?.value ?? '–'}` });
          lastDone = p.trialsDone;
          services.tracking.notifyChanged();
        },
      });
    } finally {
      sub.dispose();
    }
  });
  panel?.session.push(result.report, false);
  services.tracking.notifyChanged();
  const best = result.report.trials.find((t) => t.number === result.report.best);
  services.output.appendLine(`sweep ${suite.name}: ${result.report.trials.length} trials, ${result.status}; best ${best ? `trial ${best.number} (${JSON.stringify(best.params)}) ${result.report.objective.metric} = ${best.value}` : 'none'}`);
  if (!opts.quiet && best && result.report.bestYaml) {
    const text = `Prompt Ledger: sweep ${suite.name} — best ${result.report.objective.metric} ${best.value} at ${Object.entries(best.params).map(([k, v]) => `${k}=${v}`).join(', ')}${best.feasible ? '' : ' (no trial met the constraints)'}.`;
    void vscode.window.showInformationMessage(text, COPY_BEST).then((c) => { if (c === COPY_BEST) void vscode.env.clipboard.writeText(result.report.bestYaml!); });
  }
  return { result, panel };
}
