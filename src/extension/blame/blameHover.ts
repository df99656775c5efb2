// The hover on a blamed line: the commit (subject, author, date), the pass rate before and after
// it on the suite, and — when versions lack a run — a command link that evaluates them. Commit
// subjects and names are user data: added as text, never as markdown.
import * as vscode from 'vscode';
import { blameHoverLines } from '../../core/blame/blameText';
import type { PromptBlame, PromptBlameLine } from '../../core/blame/promptBlame';

export const EVALUATE_MISSING_COMMAND = 'promptLedger.evaluateMissingBlameVersions';

export function blameHover(uri: vscode.Uri, blame: PromptBlame, line: PromptBlameLine, trusted: boolean): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown('**Prompt blame** — ');
  const [head, ...rest] = blameHoverLines(line, blame);
  md.appendText(head);
  for (const l of rest) { md.appendMarkdown('\n\n'); md.appendText(l); }
  if (blame.missing.length > 0) {
    md.appendMarkdown('\n\n---\n\n');
    const n = blame.missing.length;
    const what = `${n} version${n === 1 ? '' : 's'} of this prompt ${n === 1 ? 'has' : 'have'} no run`;
    if (trusted) {
      const args = encodeURIComponent(JSON.stringify([uri.toString()]));
      md.appendText(`${what}. `);
      md.appendMarkdown(`[Evaluate missing versions](command:${EVALUATE_MISSING_COMMAND}?${args} "Run the suite on each version in the background")`);
      md.isTrusted = { enabledCommands: [EVALUATE_MISSING_COMMAND] };
    } else {
      md.appendText(`${what}; evals do not run in an untrusted workspace (trust the folder to evaluate them).`);
    }
  }
  return md;
}
