// Reproduce Run, Run Eval on This Version and Compare with Production: the same eval path as Run
// Eval (runEval.ts executeSuite: progress, cancel, cost check, Runs view refresh) with the inputs
// swapped — a run's recorded inputs (core/eval/reproduce.ts), the prompt at a git version
// (core/eval/promptAtRevision.ts), or the registry's production version — then the comparison.
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { planReproduction, reproduceRun, type ReproduceResult } from '../../core/eval/reproduce';
import { promptAtRevision } from '../../core/eval/promptAtRevision';
import { TAGS } from '../../core/eval/runContext';
import { loadSuite, type LoadedSuite } from '../../core/eval/suiteLoader';
import type { SuiteResult } from '../../core/eval/runner';
import { parsePromptFile } from '../../core/prompts/promptFile';
import { getPrompt } from '../../core/registry/promptStore';
import { promptFileFromMlflow } from '../../core/registry/promptFromMlflow';
import { TAG } from '../../core/registry/registryTags';
import { isTrackingError } from '../../core/tracking/types';
import { workspaceRoot } from '../config';
import { openComparePanel } from '../panels/comparePanel';
import type { Services } from '../services';
import { executeSuite, type RunEvalOptions } from './runEval';
import { findSuitesForPrompt } from './suiteFinder';
import { evalRefusal } from './trustGate';

function refuseUntrusted(): boolean {
  const refusal = evalRefusal(vscode.workspace.isTrusted);
  if (refusal) void vscode.window.showErrorMessage(`Prompt Ledger: ${refusal}`);
  return !!refusal;
}

function tagged(suite: LoadedSuite, key: string, value: string, promptPath?: string): LoadedSuite {
  return { ...suite, promptPaths: promptPath ? [promptPath] : suite.promptPaths, spec: { ...suite.spec, tags: { ...(suite.spec.tags ?? {}), [key]: value } } };
}

/**
 * Reproduce Run: rebuilds the run from what it recorded, says what was missing (output channel and
 * notification), runs it (from the response cache where the answers are there), and opens the
 * comparison with the original.
 */
export async function reproduceRunCommand(services: Services, runId: string, opts: RunEvalOptions = {}): Promise<ReproduceResult | undefined> {
  if (refuseUntrusted()) return undefined;
  const root = workspaceRoot();
  if (!root) throw new Error('Open the workspace folder the run was recorded in to reproduce it.');
  const store = await services.tracking.getStore();
  const plan = await planReproduction(store, runId, root);
  const name = plan.original.info.runName || runId;
  const log = (m: string) => services.output.appendLine(`reproduce ${name}: ${m}`);
  log(`suite: ${plan.sources.suite} · prompt: ${plan.sources.prompt} · dataset: ${plan.sources.dataset}`);
  for (const n of plan.notes) log(n);
  if (plan.notes.length && !opts.quiet) void vscode.window.showWarningMessage(`Prompt Ledger: reproducing ${name}: ${plan.notes[0]}${plan.notes.length > 1 ? ` (+${plan.notes.length - 1} more in the output)` : ''}`);
  let outcome: ReproduceResult | undefined;
  const result = await executeSuite(services, plan.suite.filePath, { quiet: true }, undefined, {
    suite: plan.suite,
    title: `Reproduce ${name}`,
    run: async (_suite, o) => (outcome = await reproduceRun(plan, o)).suiteResult,
  });
  if (!result || !outcome?.run) return outcome;
  log(`new run ${outcome.run.runId}: ${outcome.identical ? 'identical outputs and metrics' : 'differs'}; ${outcome.cases.identical}/${outcome.cases.compared} cases identical; ${outcome.servedFromCache}/${outcome.rowCount} answers from the cache`);
  openComparePanel(services.context, store, [runId, outcome.run.runId], { baselineRunId: runId, log });
  if (!opts.quiet) {
    const how = outcome.offline ? 'every answer from the response cache' : `${outcome.rowCount - outcome.servedFromCache} of ${outcome.rowCount} answers sent to the model again`;
    void vscode.window.showInformationMessage(`Prompt Ledger: reproduced ${name}: ${outcome.identical ? 'identical outputs and metrics' : `${outcome.cases.identical}/${outcome.cases.compared} cases identical`} (${how}).`);
  }
  return outcome;
}

async function suiteFor(promptPath: string): Promise<string | undefined> {
  const suites = await findSuitesForPrompt(promptPath);
  if (suites.length === 0) throw new Error(`No eval suite uses ${vscode.workspace.asRelativePath(promptPath)} yet: run "Run Eval on This Prompt" once to create one.`);
  if (suites.length === 1) return suites[0];
  const pick = await vscode.window.showQuickPick(suites.map((s) => ({ label: path.basename(s), description: vscode.workspace.asRelativePath(s), file: s })), { title: `Run which eval suite on ${path.basename(promptPath)}?` });
  return pick?.file;
}

/**
 * Run Eval on This Version: the suite with this prompt as it was at `commit` (v`version`).
 * `knownSuiteFile` skips the pick when the caller knows the suite (prompt blame).
 */
export async function runEvalOnVersionCommand(services: Services, promptPath: string, commit: string, opts: RunEvalOptions = {}, knownSuiteFile?: string): Promise<SuiteResult | undefined> {
  if (refuseUntrusted()) return undefined;
  const suiteFile = knownSuiteFile ?? await suiteFor(promptPath);
  if (!suiteFile) return undefined;
  const at = await promptAtRevision(promptPath, commit);
  const label = `v${at.entry.version}`;
  const suite = tagged(loadSuite(suiteFile), TAGS.promptAt, label, promptPath);
  return executeSuite(services, suiteFile, opts, undefined, {
    suite, title: `Eval ${suite.name} on ${path.basename(promptPath)} ${label} (${at.entry.shortCommit})`,
    overrides: { promptAt: new Map([[promptPath, { text: at.text, git: at.git }]]) },
  });
}

/**
 * Compare with Production: the suite on the working file, then on the registry's `production`
 * version of the prompt, and the comparison of the two runs (production as the baseline).
 */
export async function compareWithProductionCommand(services: Services, promptPath: string, opts: RunEvalOptions = {}): Promise<{ working: SuiteResult; production: SuiteResult; panel: vscode.WebviewPanel } | undefined> {
  if (refuseUntrusted()) return undefined;
  const suiteFile = await suiteFor(promptPath);
  if (!suiteFile) return undefined;
  const name = parsePromptFile(fs.readFileSync(promptPath, 'utf8'), promptPath).name;
  const store = await services.tracking.getStore();
  let version;
  try {
    version = await getPrompt(store, name, { alias: 'production' });
  } catch (e) {
    if (isTrackingError(e, 'RESOURCE_DOES_NOT_EXIST')) throw new Error(`${(e as Error).message} Register ${path.basename(promptPath)} and set its production alias first (Registry view).`);
    throw e;
  }
  const text = promptFileFromMlflow({ name, version: version.version, form: version.form, tags: version.allTags }).text;
  const suite = loadSuite(suiteFile);
  const working = await executeSuite(services, suiteFile, { quiet: true }, undefined, { suite: { ...suite, promptPaths: [promptPath] } });
  if (!working?.runs.length || working.cancelled) return undefined;
  const commit = version.allTags.find((t) => t.key === TAG.gitCommit)?.value;
  const production = await executeSuite(services, suiteFile, { quiet: true }, undefined, {
    suite: tagged(suite, TAGS.promptAt, `${name}@production`, promptPath),
    title: `Eval ${suite.name} on ${name}@production (v${version.version})`,
    overrides: { promptAt: new Map([[promptPath, { text, git: { commit, version: `production (v${version.version})` } }]]) },
  });
  if (!production?.runs.length) return undefined;
  const pairs = working.runs.map((w) => [production.runs.find((p) => p.model === w.model)?.runId, w.runId]).flat().filter((x): x is string => !!x);
  const panel = openComparePanel(services.context, store, pairs.slice(0, 10), { baselineRunId: production.runs[0].runId, log: (m) => services.output.appendLine(m) });
  if (!opts.quiet) void vscode.window.showInformationMessage(`Prompt Ledger: ${path.basename(promptPath)} (working copy) against ${name}@production v${version.version}: pass rate ${fmtRate(working.runs[0].metrics.pass_rate)} vs ${fmtRate(production.runs[0].metrics.pass_rate)}.`);
  return { working, production, panel };
}

function fmtRate(x: number | undefined): string {
  return x === undefined ? '—' : `${Math.round(x * 100)}%`;
}
