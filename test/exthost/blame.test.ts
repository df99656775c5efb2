// Prompt blame in the real extension host: Toggle Prompt Blame puts each line's commit and
// pass-rate change after the line and a hover on it; "Evaluate missing versions" runs the suite on
// every version without a run (Run Eval on This Version, echo provider) and the blame then shows
// the change each commit caused. The prompt lives in its own small repository inside the
// workspace, so the workspace's history (other tests' labels) is untouched.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { BlameView } from '../../src/extension/blame/blameFeature';
import { services, WS } from './evalHelpers';

const GIT_ENV = { GIT_AUTHOR_NAME: 'Ada Example', GIT_AUTHOR_EMAIL: 'ada@example.test', GIT_COMMITTER_NAME: 'Ada Example', GIT_COMMITTER_EMAIL: 'ada@example.test' };
const prompt = (task: string, extra = '') => `---\nname: blamed\n---\nsystem:\n${task}\n${extra}\nuser:\n{{ ticket }}\n`;
const SUITE = `prompt: prompts/blamed.prompty
models: [{ provider: echo }]
dataset:
  cases:
    - id: one
      vars: { ticket: "invoice" }
      assert: [{ type: contains, value: billing }]
`;

async function hoverText(uri: vscode.Uri, line: number): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(line - 1, 1));
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value))).filter((t) => t.includes('Prompt blame')).join('\n')
    // appendText escapes markdown: read it back as the text the user sees.
    .replace(/&nbsp;/g, ' ').replace(/\\([\\`*_{}[\]()#+\-.!<>])/g, '$1');
}

describe('Prompt blame (extension host)', () => {
  const dir = path.join(WS, 'blame-repo');
  const file = path.join(dir, 'prompts', 'blamed.prompty');
  const commits: string[] = [];
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } }).trim();
  const commit = (text: string, message: string) => {
    fs.writeFileSync(file, text);
    git('add', '-A');
    git('commit', '-q', '-m', message);
    commits.push(git('rev-parse', 'HEAD'));
  };
  before(async () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    git('init', '-q', '-b', 'main');
    git('config', 'commit.gpgsign', 'false');
    fs.writeFileSync(path.join(dir, 'blamed.eval.yaml'), SUITE);
    commit(prompt('Classify the ticket.'), 'Add the blamed prompt');
    commit(prompt('Classify the ticket.', 'Mention billing.\n'), 'Mention billing');
    commit(prompt('Classify the support ticket.', 'Mention billing.\n'), 'Reword the task');
    await services();
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows each line\'s commit, then evaluates the missing versions and shows the change each commit caused', async () => {
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    const short = commits.map((c) => c.slice(0, 7));

    const before = await vscode.commands.executeCommand<BlameView>('promptLedger.togglePromptBlame', doc.uri);
    assert.equal(before.on, true);
    assert.equal(before.missing, 3, 'no version has a run yet');
    assert.deepEqual(before.decorations.find((d) => d.line === 6), { line: 6, text: `${short[1]} · not evaluated` });
    let hover = await hoverText(doc.uri, 6);
    assert.match(hover, /Mention billing/);
    assert.match(hover, /Ada Example <ada@example\.test>/);
    assert.match(hover, /Pass rate before: not evaluated/);
    assert.match(hover, /\[Evaluate missing versions\]\(command:promptLedger\.evaluateMissingBlameVersions\?/);

    const evaluated = await vscode.commands.executeCommand<number>('promptLedger.evaluateMissingBlameVersions', doc.uri.toString());
    assert.equal(evaluated, 3);
    await vscode.commands.executeCommand('promptLedger.togglePromptBlame', doc.uri); // off
    const after = await vscode.commands.executeCommand<BlameView>('promptLedger.togglePromptBlame', doc.uri);
    const text = (line: number) => after.decorations.find((d) => d.line === line)?.text;
    assert.equal(text(5), `${short[2]} · pass 100 % ±0`, 'the reword changed nothing');
    assert.equal(text(6), `${short[1]} · pass 100 % ▲100`, '"Mention billing." made the case pass');
    assert.equal(text(8), `${short[0]} · pass 0 % · first version`);
    assert.equal(after.missing, 0);
    hover = await hoverText(doc.uri, 6);
    assert.match(hover, /Pass rate before: 0 %/);
    assert.match(hover, /Pass rate after: 100 %.*▲100/);
    assert.doesNotMatch(hover, /Evaluate missing versions/);

    const off = await vscode.commands.executeCommand<BlameView>('promptLedger.togglePromptBlame', doc.uri);
    assert.deepEqual(off, { on: false, decorations: [], missing: 0 });
    assert.equal(await hoverText(doc.uri, 6), '', 'no blame hover once toggled off');
  });
});
