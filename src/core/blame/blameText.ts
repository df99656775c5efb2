// How a blamed line reads: the editor's after-line text (`a1b2c3d · pass 88 % ▼4`), its hover
// lines, and the CLI's columns. One wording for editor and CLI.
import { passRateDeltaText } from '../eval/promptPassRate';
import type { PromptBlameLine } from './promptBlame';

const pct = (x: number) => `${Math.round(x * 100)} %`;

/** The pass-rate part: `pass 88 % ▼4`, `pass 88 % · first version`, `not evaluated`… */
export function blameRateText(l: PromptBlameLine): string {
  switch (l.status) {
    case 'uncommitted': return 'not committed yet';
    case 'not-evaluated': return 'not evaluated';
    case 'first-version': return `pass ${pct(l.after!.run!.passRate)} · first version`;
    case 'parent-not-evaluated': return `pass ${pct(l.after!.run!.passRate)} · before: not evaluated`;
    case 'measured': return `pass ${pct(l.after!.run!.passRate)} ${passRateDeltaText(l.delta!)}`;
  }
}

/** The after-line decoration text. */
export function blameInlineText(l: PromptBlameLine): string {
  return l.commit ? `${l.commit.shortCommit} · ${blameRateText(l)}` : blameRateText(l);
}

/** The hover's lines, plain text (the editor renders them as markdown text). */
export function blameHoverLines(l: PromptBlameLine, ctx: { suite?: string; model?: string }): string[] {
  if (!l.commit) return ['Not committed yet: this line is an edit in the working copy.'];
  const c = l.commit;
  const rate = (v?: { run?: { passRate: number } }) => (v?.run ? pct(v.run.passRate) : 'not evaluated');
  const out = [
    `${c.shortCommit} ${c.subject}`,
    `${c.author}${c.authorMail ? ` <${c.authorMail}>` : ''}, ${c.date.slice(0, 16).replace('T', ' ')} UTC`,
    ctx.suite ? `Suite ${ctx.suite}${ctx.model ? ` · ${ctx.model}` : ''}` : 'No eval runs of this prompt yet',
    `Pass rate before: ${l.before ? `${rate(l.before)} (${l.before.commit.slice(0, 7)})` : '— (the file\'s first version)'}`,
    `Pass rate after: ${rate(l.after)} (${c.shortCommit})${l.delta !== undefined ? ` · ${passRateDeltaText(l.delta)}` : ''}`,
  ];
  return out;
}

/** One CLI row: `  12  a1b2c3d  ▼4    │ line text`. */
export function blameCliRow(l: PromptBlameLine, width: number): string {
  const commit = l.commit?.shortCommit ?? '0000000';
  const change = l.status === 'measured' ? passRateDeltaText(l.delta!) : l.status === 'first-version' ? 'first' : l.status === 'uncommitted' ? 'edited' : 'n/a';
  return `${String(l.line).padStart(width)}  ${commit}  ${change.padEnd(6)} ${blameRateText(l).padEnd(34)} │ ${l.text}`;
}
