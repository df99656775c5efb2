// "Open Run Details": a read-only Markdown document (a content provider's documents cannot be
// edited) with the run's status, metrics, params, tags and artifacts, read fresh from the store.
import * as vscode from 'vscode';
import type { Run, TrackingStore } from '../../core/tracking/types';
import { formatNumber } from './runPresentation';

export const RUN_DETAILS_SCHEME = 'promptledger-run';

export function runDetailsUri(run: { runId: string; runName?: string }): vscode.Uri {
  const name = (run.runName || run.runId).replace(/[^\w.-]+/g, '-').slice(0, 60);
  return vscode.Uri.from({ scheme: RUN_DETAILS_SCHEME, path: `/${run.runId}/${name}.md` });
}

export class RunDetailsProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly store: () => Promise<TrackingStore>) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const runId = uri.path.split('/')[1];
    const store = await this.store();
    const run = await store.getRun(runId);
    const artifacts = await store.listArtifacts(runId).catch(() => []);
    return renderRunMarkdown(run, artifacts.map((a) => `${a.path}${a.isDir ? '/' : ''}`), store.location);
  }
}

export function renderRunMarkdown(run: Run, artifacts: string[], location: string): string {
  const t = cell;
  const lines = [
    `# ${t(run.info.runName || run.info.runId)}`,
    '',
    `- Run id: \`${run.info.runId}\``,
    `- Experiment: ${t(run.info.experimentId)}`,
    `- Status: ${run.info.status}`,
    `- Started: ${new Date(run.info.startTime).toISOString()}`,
    ...(run.info.endTime ? [`- Ended: ${new Date(run.info.endTime).toISOString()} (${Math.round((run.info.endTime - run.info.startTime) / 100) / 10} s)`] : []),
    `- Store: ${t(location)}`,
    '',
    '## Metrics',
    '',
    '| metric | value |',
    '|---|---|',
    ...[...run.data.metrics].sort((a, b) => a.key.localeCompare(b.key)).map((m) => `| ${t(m.key)} | ${formatNumber(m.value)} |`),
    '',
    '## Params',
    '',
    '| param | value |',
    '|---|---|',
    ...[...run.data.params].sort((a, b) => a.key.localeCompare(b.key)).map((p) => `| ${t(p.key)} | ${t(p.value)} |`),
    '',
    '## Tags',
    '',
    '| tag | value |',
    '|---|---|',
    ...[...run.data.tags].sort((a, b) => a.key.localeCompare(b.key)).map((x) => `| ${t(x.key)} | ${t(x.value.slice(0, 300))} |`),
    '',
    '## Artifacts',
    '',
    ...(artifacts.length ? artifacts.map((a) => `- ${t(a)}`) : ['(none)']),
    '',
  ];
  return lines.join('\n');
}

/** The document is read as text in an editor: keep values legible, only keep tables intact. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
