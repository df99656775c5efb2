// How a run looks in the Runs view: status icon, key metric and model in the description, and a
// tooltip of params and metrics. Everything from the store is escaped: run names, params and tags
// may carry model output or user text, and the tooltip Markdown is not trusted.
import * as vscode from 'vscode';
import type { Run, RunStatus } from '../../core/tracking/types';
import type { RunProgressView } from '../../core/eval/runLiveness';

const MODEL_KEYS = ['model', 'model_name'];

export function statusIcon(status: RunStatus, passed?: string, state?: RunProgressView['state']): vscode.ThemeIcon {
  // RUNNING in the store, but its process died: not spinning forever.
  if (state === 'interrupted') return new vscode.ThemeIcon('debug-disconnect', new vscode.ThemeColor('list.warningForeground'));
  switch (status) {
    case 'RUNNING':
    case 'SCHEDULED':
      return new vscode.ThemeIcon('sync~spin');
    case 'FINISHED':
      return new vscode.ThemeIcon('pass', new vscode.ThemeColor(passed === 'false' ? 'list.warningForeground' : 'testing.iconPassed'));
    case 'FAILED':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    case 'KILLED':
      return new vscode.ThemeIcon('circle-slash');
  }
}

export function metricOf(run: Run, key: string): number | undefined {
  return run.data.metrics.find((m) => m.key === key)?.value;
}

export function paramOf(run: Run, key: string): string | undefined {
  return run.data.params.find((p) => p.key === key)?.value;
}

export function tagOf(run: Run, key: string): string | undefined {
  return run.data.tags.find((t) => t.key === key)?.value;
}

function casesText(p: RunProgressView): string {
  return p.done !== undefined ? `${p.done}${p.total !== undefined ? `/${p.total}` : ''} cases` : '';
}

export function runDescription(run: Run, baselineRunId?: string, progress?: RunProgressView): string {
  const parts: string[] = [];
  const rate = metricOf(run, 'pass_rate');
  if (rate !== undefined) parts.push(`${formatPct(rate)} pass`);
  const model = MODEL_KEYS.map((k) => paramOf(run, k)).find(Boolean) ?? tagOf(run, 'promptledger.model');
  if (model) parts.push(model);
  if (progress?.state === 'interrupted') parts.push(['interrupted', casesText(progress)].filter(Boolean).join(' · '));
  else if (progress?.state === 'killed' && progress.done !== undefined && progress.done !== progress.total) parts.push(`cancelled · ${casesText(progress)}`);
  else if (run.info.status === 'RUNNING') parts.push(progress?.done !== undefined ? `running… ${casesText(progress)}` : 'running…');
  if (run.info.runId === baselineRunId) parts.push('baseline');
  return parts.join(' · ');
}

export function formatPct(v: number): string {
  return `${Math.round(v * 1000) / 10}%`;
}

/** Escapes text for Markdown (also inside table cells). */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+!|<>~&]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

function clip(s: string, n = 120): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

export function runTooltip(run: Run, progress?: RunProgressView): vscode.MarkdownString {
  const md = new vscode.MarkdownString('', false);
  md.isTrusted = false;
  md.supportHtml = false;
  md.supportThemeIcons = false;
  const started = new Date(run.info.startTime).toLocaleString();
  md.appendMarkdown(`**${escapeMarkdown(run.info.runName || run.info.runId)}**\n\n`);
  md.appendMarkdown(`${escapeMarkdown(run.info.status)} · ${escapeMarkdown(started)} · \`${run.info.runId.replace(/`/g, '')}\`\n\n`);
  if (progress?.state === 'interrupted') {
    md.appendMarkdown(`Interrupted: ${escapeMarkdown(progress.why ?? 'its process stopped')}; ${escapeMarkdown(casesText(progress) || 'no cases')} recorded. Resume Run continues it without sending those again.\n\n`);
  }
  const metrics = [...run.data.metrics].sort((a, b) => a.key.localeCompare(b.key));
  if (metrics.length) {
    md.appendMarkdown('| metric | value |\n|---|---|\n');
    for (const m of metrics.slice(0, 30)) md.appendMarkdown(`| ${escapeMarkdown(m.key)} | ${escapeMarkdown(formatNumber(m.value))} |\n`);
    md.appendMarkdown('\n');
  }
  const params = [...run.data.params].sort((a, b) => a.key.localeCompare(b.key));
  if (params.length) {
    md.appendMarkdown('| param | value |\n|---|---|\n');
    for (const p of params.slice(0, 30)) md.appendMarkdown(`| ${escapeMarkdown(p.key)} | ${escapeMarkdown(clip(p.value))} |\n`);
  }
  return md;
}

export function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(4).replace(/\.?0+$/, '');
}
