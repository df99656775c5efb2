// "Run Eval on This Prompt": pick the suite (the one that uses the prompt, a choice among several,
// or a new one from a template), run it under a cancellable progress notification, refresh the
// Runs view as soon as the run exists, and report pass rate and thresholds per model. Resume Run
// and Retry Errors continue an existing run through the same path (runner option `resume`).
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { loadSuite, type LoadedSuite } from '../../core/eval/suiteLoader';
import { ResumeRefusedError, runSuite, type EvalProgress, type ResumeRequest, type RunSuiteOptions, type SuiteResult } from '../../core/eval/runner';
import type { PlanOverrides } from '../../core/eval/runPlan';
import { TAGS } from '../../core/eval/runContext';
import { formatEstimate, type CostEstimate } from '../../core/eval/costEstimate';
import { parsePromptFile } from '../../core/prompts/promptFile';
import { DEFAULT_PRICES, mergePrices } from '../../core/providers/prices';
import { EMBEDDED_DIR_NAME } from '../../core/tracking/trackingUri';
import { readConfig, workspaceRoot } from '../config';
import type { Services } from '../services';
import { summarizeSuiteResult } from './evalSummary';
import { findSuitesForPrompt } from './suiteFinder';
import { suiteFileFor, suiteTemplate } from './suiteTemplate';
import { isSuitePath, targetUri } from './targetUri';
import { evalRefusal } from './trustGate';

export const OPEN_PREVIOUS = 'Open comparison with previous run';
export const SHOW_RUN = 'Show run';

export interface RunEvalOptions {
  /** Skip the closing notification (tests). */
  quiet?: boolean;
  /** Where progress shows (default a cancellable notification; watch mode: the status bar). */
  progressLocation?: vscode.ProgressLocation;
}

/** Runs the eval for a prompt or suite URI; resolves with the result, or undefined when nothing ran. */
export async function runEvalCommand(services: Services, arg?: unknown, opts: RunEvalOptions = {}): Promise<SuiteResult | undefined> {
  const refusal = evalRefusal(vscode.workspace.isTrusted);
  if (refusal) {
    void vscode.window.showErrorMessage(`Prompt Ledger: ${refusal}`);
    return undefined;
  }
  const uri = targetUri(arg);
  if (!uri || uri.scheme !== 'file') throw new Error('Open a prompt file or an *.eval.yaml suite first (or right-click one in the Explorer).');
  const suiteFile = isSuitePath(uri.fsPath) ? uri.fsPath : await chooseSuite(uri);
  if (!suiteFile) return undefined;
  await saveIfDirty(suiteFile);
  const suite = loadSuite(suiteFile);
  for (const p of suite.promptPaths) await saveIfDirty(p);
  return executeSuite(services, suiteFile, opts);
}

async function chooseSuite(promptUri: vscode.Uri): Promise<string | undefined> {
  const suites = await findSuitesForPrompt(promptUri.fsPath);
  if (suites.length === 1) return suites[0];
  if (suites.length > 1) {
    const pick = await vscode.window.showQuickPick(
      suites.map((s) => ({ label: path.basename(s), description: vscode.workspace.asRelativePath(s), file: s })),
      { title: `Run which eval suite on ${path.basename(promptUri.fsPath)}?`, placeHolder: 'Several suites use this prompt' },
    );
    return pick?.file;
  }
  await offerTemplate(promptUri);
  return undefined;
}

async function offerTemplate(promptUri: vscode.Uri): Promise<void> {
  const target = suiteFileFor(promptUri.fsPath);
  const create = `Create ${path.basename(target)}`;
  const answer = await vscode.window.showInformationMessage(
    `No eval suite uses ${vscode.workspace.asRelativePath(promptUri)} yet. Create one next to it (echo model, one example case, a contains check)?`,
    create,
  );
  if (answer !== create) return;
  if (!fs.existsSync(target)) {
    let parsed;
    try { parsed = parsePromptFile(fs.readFileSync(promptUri.fsPath, 'utf8'), promptUri.fsPath); } catch { parsed = undefined; }
    fs.writeFileSync(target, suiteTemplate(promptUri.fsPath, parsed));
  }
  await vscode.window.showTextDocument(vscode.Uri.file(target));
  void vscode.window.showInformationMessage(`Edit the cases in ${path.basename(target)}, then run the eval again.`);
}

async function saveIfDirty(file: string): Promise<void> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
  if (doc?.isDirty) await doc.save();
}

/** Evals in progress in this window (Cancel Running Eval aborts them). */
const running = new Set<AbortController>();

/** Cancels every eval running in this window; resolves with how many there were. */
export function cancelRunningEvals(): number {
  const n = running.size;
  for (const c of running) c.abort(new Error('cancelled by the user'));
  return n;
}

/**
 * Resume Run / Retry Errors: continues the run under the same id with the suite it recorded,
 * sending only the rows it has not recorded (or only its errored rows). A changed prompt, dataset
 * or suite is refused; the user may start a new run instead.
 */
export async function resumeRunCommand(services: Services, runId: string, mode: ResumeRequest['mode'], opts: RunEvalOptions = {}): Promise<SuiteResult | undefined> {
  const refusal = evalRefusal(vscode.workspace.isTrusted);
  if (refusal) {
    void vscode.window.showErrorMessage(`Prompt Ledger: ${refusal}`);
    return undefined;
  }
  const store = await services.tracking.getStore();
  const run = await store.getRun(runId);
  const suiteRel = run.data.tags.find((t) => t.key === TAGS.suite)?.value;
  const root = workspaceRoot();
  if (!suiteRel || !root) throw new Error(`Run ${run.info.runName} has no eval suite recorded (tag ${TAGS.suite}); only eval runs started by Prompt Ledger can be resumed.`);
  const suiteFile = path.isAbsolute(suiteRel) ? suiteRel : path.join(root, suiteRel);
  if (!fs.existsSync(suiteFile)) throw new Error(`The suite of run ${run.info.runName}, ${suiteRel}, is not in this workspace any more. Restore it to resume the run.`);
  try {
    return await executeSuite(services, suiteFile, opts, { mode, runId });
  } catch (e) {
    if (!(e instanceof ResumeRefusedError) || !e.changed || opts.quiet) throw e;
    const startNew = 'Start a new run';
    const choice = await vscode.window.showWarningMessage(`Prompt Ledger: ${e.message}`, { modal: true }, startNew);
    return choice === startNew ? executeSuite(services, suiteFile, opts, { mode, runId, forceNew: true }) : undefined;
  }
}

/** A run other than the suite file as it is: a prepared suite, plan overrides, another entry point (Reproduce). */
export interface CustomEval {
  suite?: LoadedSuite;
  title?: string;
  overrides?: PlanOverrides;
  run?(suite: LoadedSuite, opts: RunSuiteOptions): Promise<SuiteResult>;
}

export async function executeSuite(services: Services, suiteFile: string, opts: RunEvalOptions, resume?: ResumeRequest, custom: CustomEval = {}): Promise<SuiteResult | undefined> {
  const suite = custom.suite ?? loadSuite(suiteFile);
  const cfg = readConfig(vscode.Uri.file(suiteFile));
  const { prices, errors } = mergePrices(DEFAULT_PRICES, cfg.prices);
  for (const e of errors) services.output.appendLine(`promptLedger.prices: ${e}`);
  for (const w of suite.warnings) services.output.appendLine(`${vscode.workspace.asRelativePath(w.file)}:${w.line}:${w.column}: warning: ${w.message}`);
  const root = workspaceRoot() ?? path.dirname(suiteFile);
  const store = await services.tracking.getStore();
  // On a server the results show first; the case traces follow in the background.
  const deferTraces = store.kind === 'mlflow';
  const secrets = services.context.secrets;

  const result = await vscode.window.withProgress({
    location: opts.progressLocation ?? vscode.ProgressLocation.Notification,
    title: custom.title ?? (resume ? `${resume.mode === 'resume' ? 'Resume' : 'Retry errors of'} eval ${suite.name}` : `Eval ${suite.name}`),
    cancellable: true,
  }, async (progress, token) => {
    const abort = new AbortController();
    running.add(abort);
    const sub = token.onCancellationRequested(() => abort.abort(new Error('cancelled by the user')));
    const seenRuns = new Set<string>();
    let lastDone = 0;
    progress.report({ message: 'starting…' });
    try {
      return await (custom.run ?? runSuite)(suite, {
        ...custom.overrides,
        store,
        workspaceRoot: root,
        trusted: vscode.workspace.isTrusted,
        // The suite's own `concurrency` (tuned to its provider's rate limits) wins over the setting.
        concurrency: suite.spec.concurrency ?? cfg.evalConcurrency,
        cacheDir: path.join(root, EMBEDDED_DIR_NAME, 'cache'),
        signal: abort.signal,
        resume,
        deferTraces,
        confirmCost: (e) => confirmCost(services, suite.name, e, cfg.confirmCostAboveUsd),
        providerCtx: {
          secrets: async (name) => (await secrets.get(name)) || undefined,
          env: process.env,
          prices,
          onRetry: (i) => services.output.appendLine(`${i.providerId}: retry ${i.retry} in ${i.delayMs} ms (${i.error.kind}${i.error.status ? ` ${i.error.status}` : ''})`),
        },
        onProgress: (p: EvalProgress) => {
          const increment = p.total ? ((p.done - lastDone) / p.total) * 100 : 0;
          lastDone = p.done;
          progress.report({ increment, message: progressText(p) });
          // The Runs view shows a run as soon as it exists, not only when it ends.
          if (p.runId && !seenRuns.has(p.runId)) {
            seenRuns.add(p.runId);
            services.tracking.notifyChanged();
          }
        },
      });
    } finally {
      running.delete(abort);
      sub.dispose();
    }
  });

  services.tracking.notifyChanged();
  if (result.declined) return undefined;
  services.suiteRunFinished?.(suite, result);
  for (const r of result.runs) if (r.error) services.output.appendLine(`eval ${suite.name} · ${r.model}: ${r.error}`);
  if (result.runs.length) {
    if (deferTraces) vscode.window.setStatusBarMessage(`$(sync~spin) Prompt Ledger: writing the case traces of ${suite.name}…`, result.traces);
    void result.traces.then((d) => services.output.appendLine(`eval ${suite.name}: ${d.traces} case traces written${d.error ? `; some were not: ${d.error}` : ''}`));
  }
  if (!opts.quiet) void announce(result, suite.name);
  return result;
}

export const RUN_ANYWAY = 'Run';

/** The cost preflight: always in the output channel; a modal question above the threshold setting. */
async function confirmCost(services: Services, suiteName: string, e: CostEstimate, aboveUsd: number): Promise<boolean> {
  services.output.appendLine(`eval ${suiteName}: ${formatEstimate(e)}`);
  if (e.costUsd === 0 || e.costUsd <= aboveUsd) return true;
  const choice = await vscode.window.showWarningMessage(
    `Eval ${suiteName} will make ${formatEstimate(e)} (estimated from the rendered prompts and the price table). That is above promptLedger.eval.confirmCostAboveUsd ($${aboveUsd}).`,
    { modal: true }, RUN_ANYWAY,
  );
  return choice === RUN_ANYWAY;
}

export function progressText(p: EvalProgress): string {
  const rate = p.done ? `${Math.round(p.passRate * 100)}%` : '–';
  return `${p.done}/${p.total} cases · pass rate ${rate}${p.errors ? ` · ${p.errors} errors` : ''}${p.model ? ` · ${p.model}` : ''}`;
}

async function announce(result: SuiteResult, suiteName: string): Promise<void> {
  const { text, severity } = summarizeSuiteResult(result, suiteName);
  const withPrevious = result.runs.find((r) => r.previousRunId);
  const buttons = [...(withPrevious ? [OPEN_PREVIOUS] : []), ...(result.runs.length ? [SHOW_RUN] : [])];
  const show = severity === 'error' ? vscode.window.showErrorMessage : severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  const choice = await show(`Prompt Ledger: ${text}`, ...buttons);
  if (choice === OPEN_PREVIOUS && withPrevious) await vscode.commands.executeCommand('promptLedger.compareWithPreviousRun', withPrevious.runId);
  if (choice === SHOW_RUN) await vscode.commands.executeCommand('promptLedger.openRunDetails', result.runs[0].runId);
}
