// Per-case ✓/✗ on a suite's dataset lines (inline cases in the suite YAML, or the JSONL/CSV file),
// from the latest run of that suite: one run in this window — Test Explorer or "Run Eval" (both
// finish in executeSuite, which hands the result here) — or, for a file this window has not run
// yet, the latest run recorded in the store (core/eval/latestCaseResults.ts). Each case's line
// comes from the mapping the Test Explorer uses (core/eval/testCases.ts); hovers show text only.
import path from 'node:path';
import * as vscode from 'vscode';
import { latestCaseResults } from '../../core/eval/latestCaseResults';
import type { SuiteResult } from '../../core/eval/runner';
import { isSuitePath } from './targetUri';
import { loadSuite, type LoadedSuite } from '../../core/eval/suiteLoader';
import { caseOutcome, suiteTestCases } from '../../core/eval/testCases';
import type { TrackingStore } from '../../core/tracking/types';
import { SUITE_GLOB } from './suiteFinder';

/** One case's latest result on its dataset line (1-based, as testCases.ts gives it). */
export interface CaseMark {
  caseId: string;
  line: number;
  passed: boolean;
  /** Per model: `model: ✗ scorer: reason` lines. */
  message: string;
  runId: string;
}

export class CaseDecorations implements vscode.Disposable {
  /** File → case id → its latest mark. A partial run replaces only the cases it ran. */
  private readonly marks = new Map<string, Map<string, CaseMark>>();
  private readonly pass = vscode.window.createTextEditorDecorationType({
    after: { contentText: ' ✓', color: new vscode.ThemeColor('testing.iconPassed'), margin: '0 0 0 1em' },
  });
  private readonly fail = vscode.window.createTextEditorDecorationType({
    after: { contentText: ' ✗', color: new vscode.ThemeColor('testing.iconFailed'), margin: '0 0 0 1em' },
  });
  private readonly subscription = vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach((e) => this.show(e)));
  /** Files already looked up in the store (once per window; a run in this window replaces them). */
  private readonly lookedUp = new Set<string>();

  /** `getStore`: where a file this window has not run yet finds its suite's latest run. */
  constructor(private readonly getStore?: () => Promise<TrackingStore>) {
    for (const e of vscode.window.visibleTextEditors) this.show(e);
  }

  /** Takes a finished suite run: every case that ran gets its outcome on its line. */
  record(suite: LoadedSuite, result: SuiteResult): void {
    const byCase = new Map<string, { passed: boolean; lines: string[]; runId: string }>();
    for (const run of result.runs) {
      for (const row of run.rows) {
        const o = caseOutcome(row);
        const seen = byCase.get(row.caseId) ?? { passed: true, lines: [], runId: run.runId };
        // With several models (or repeats) a case passes only when every one of them passes.
        seen.passed &&= o.passed;
        seen.lines.push(`${run.model}${row.repeat ? ` #${row.repeat + 1}` : ''}: ${o.passed ? 'passed' : 'failed'}\n${o.message}`);
        byCase.set(row.caseId, seen);
      }
    }
    this.mark(suite, new Map([...byCase].map(([id, o]) => [id, { passed: o.passed, message: o.lines.join('\n\n'), runId: o.runId }])));
  }

  private mark(suite: LoadedSuite, byCase: Map<string, { passed: boolean; message: string; runId: string }>): void {
    if (byCase.size === 0) return;
    let entries;
    try { entries = suiteTestCases(suite); } catch { return; } // the dataset changed under the run: nothing to point at
    const touched = new Set<string>();
    for (const e of entries) {
      const outcome = byCase.get(e.id);
      if (!outcome) continue;
      const key = vscode.Uri.file(e.file).toString();
      let file = this.marks.get(key);
      if (!file) { file = new Map(); this.marks.set(key, file); }
      file.set(e.id, { caseId: e.id, line: e.line, ...outcome });
      touched.add(key);
      this.lookedUp.add(key);
    }
    for (const editor of vscode.window.visibleTextEditors) if (touched.has(editor.document.uri.toString())) this.apply(editor);
  }

  /** Marks for a visible file: known ones now; for a suite or dataset not seen yet, its latest recorded run. */
  private show(editor: vscode.TextEditor): void {
    const uri = editor.document.uri;
    if (this.marks.has(uri.toString())) { this.apply(editor); return; }
    if (!this.getStore || uri.scheme !== 'file' || this.lookedUp.has(uri.toString())) return;
    this.lookedUp.add(uri.toString());
    void this.fromStore(uri.fsPath);
  }

  private async fromStore(file: string): Promise<void> {
    const suites = await suitesOf(file);
    const store = suites.length ? await this.getStore!().catch(() => undefined) : undefined;
    if (!store) return;
    for (const suite of suites) {
      const results = await latestCaseResults(store, vscode.workspace.asRelativePath(suite.filePath, false));
      if (results) this.mark(suite, new Map(results.map((r) => [r.caseId, { passed: r.passed, message: `(recorded run)\n${r.message}`, runId: r.runId }])));
    }
  }

  /** The marks of a file, in line order (the extension-host tests read them here). */
  marksOf(uri: vscode.Uri): CaseMark[] {
    return [...(this.marks.get(uri.toString())?.values() ?? [])].sort((a, b) => a.line - b.line);
  }

  private apply(editor: vscode.TextEditor): void {
    const marks = this.marksOf(editor.document.uri);
    if (marks.length === 0 && !this.marks.has(editor.document.uri.toString())) return;
    const lastLine = editor.document.lineCount - 1;
    const options = (passed: boolean) => marks.filter((m) => m.passed === passed && m.line - 1 <= lastLine).map((m) => {
      const line = editor.document.lineAt(m.line - 1);
      const hover = new vscode.MarkdownString();
      hover.appendMarkdown(`**Case \`${m.caseId.replace(/`/g, "'")}\`** — ${passed ? '✓ passed' : '✗ failed'} in the latest run\n\n`);
      // Scorer reasons quote model output: shown as text, never as Markdown.
      hover.appendCodeblock(m.message, 'text');
      return { range: line.range, hoverMessage: hover };
    });
    editor.setDecorations(this.pass, options(true));
    editor.setDecorations(this.fail, options(false));
  }

  dispose(): void { this.subscription.dispose(); this.pass.dispose(); this.fail.dispose(); }
}

/** The suites whose cases live in `file`: the suite itself, or those whose dataset it is. */
async function suitesOf(file: string): Promise<LoadedSuite[]> {
  const load = (f: string) => { try { return loadSuite(f); } catch { return undefined; } };
  if (isSuitePath(file)) { const s = load(file); return s ? [s] : []; }
  if (!/\.(jsonl|csv|json)$/i.test(file)) return [];
  const suites = (await vscode.workspace.findFiles(SUITE_GLOB, '**/node_modules/**', 200)).map((u) => load(u.fsPath));
  return suites.filter((s): s is LoadedSuite => !!s && !!s.datasetPath && path.resolve(s.datasetPath) === path.resolve(file));
}
