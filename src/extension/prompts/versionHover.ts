// Hover on a prompt's frontmatter / first line: the version details that runs record.
import * as vscode from 'vscode';
import { shortHash } from '../../core/prompts/contentHash';
import type { PromptInfo } from './labelService';
import type { LabelService } from './labelService';
import type { RegistryStatusService } from './registryStatusService';
import { staleDetail, type PassRateService } from './passRateService';

export class PromptVersionHoverProvider implements vscode.HoverProvider {
  constructor(private readonly labels: LabelService, private readonly registry?: RegistryStatusService, private readonly passRate?: PassRateService) {}

  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const info = this.labels.get(doc.uri);
    if (!info) return undefined;
    // Only on the header: line 0, or inside the frontmatter block.
    const headerEnd = Math.max(0, info.parsed.bodyStartLine - 1);
    if (position.line > headerEnd) return undefined;
    const md = versionMarkdown(info);
    const status = this.registry?.get(doc.uri, info, doc.getText());
    if (status) md.appendMarkdown(`- Registry: \`${status.text.replace(/`/g, "'")}\`${status.aliases.length ? ` (${status.aliases.map((a) => `@${a.alias} → v${a.version}`).join(', ').replace(/`/g, "'")})` : ''}\n`);
    const quality = this.passRate?.get(doc.uri, info);
    const stale = quality && staleDetail(quality);
    if (quality) md.appendMarkdown(`- Evals: \`${quality.text}\`${quality.kind === 'evaluated' && quality.production ? ` (production = v${quality.production.version}, pass ${Math.round(quality.production.passRate * 100)} %)` : ''}${stale ? ` (${stale})` : ''}\n`);
    const version = status?.matchingVersions[0];
    return new vscode.Hover(version ? [md, monitorLink(info.parsed.name, version)] : md);
  }
}

/**
 * "Show Monitor" for the registered version this text is. In its own Markdown, trusted for that one
 * command only, so nothing from git in the other part can become a link that runs something.
 */
export function monitorLink(name: string, version: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.isTrusted = { enabledCommands: ['promptLedger.showMonitor'] };
  const args = encodeURIComponent(JSON.stringify([`${name}/${version}`]));
  md.appendMarkdown(`[Show Monitor](command:promptLedger.showMonitor?${args} "Production traces of v${version}") — how v${version} does in production\n`);
  return md;
}

export function versionMarkdown(info: PromptInfo): vscode.MarkdownString {
  const l = info.label;
  const md = new vscode.MarkdownString(undefined, true);
  md.isTrusted = false; // author names and subjects come from git: never run command links from them
  md.appendMarkdown(`**${escape(info.parsed.name)}** — ${escape(l.text)}\n\n`);
  const rows: [string, string | undefined][] = [
    ['Version', l.version ? `v${l.version}${l.shallow ? ' (shallow clone: count may be partial)' : ''}` : undefined],
    ['Commit', l.commit],
    ['Author', l.author],
    ['Date', l.date],
    ['Subject', l.subject],
    ['Branch', l.detached ? 'detached HEAD' : l.branch],
    ['State', l.edited ? 'edited since commit' : l.state],
    ['Git blob (HEAD)', l.headBlob],
    ['Git blob (working copy)', l.edited ? l.workingBlob : undefined],
    ['Content hash (runs record this)', `${shortHash(info.contentHash)} (sha256 ${info.contentHash})`],
    ['Format', info.parsed.format],
  ];
  // Inside a code span nothing is interpreted; only a backtick could end it early.
  for (const [k, v] of rows) if (v) md.appendMarkdown(`- ${k}: \`${v.replace(/`/g, "'")}\`\n`);
  return md;
}

function escape(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!<>|]/g, (c) => `\\${c}`);
}
