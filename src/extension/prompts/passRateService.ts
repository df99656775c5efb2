// The pass-rate line of each prompt's CodeLens and hover (core/eval/promptPassRate.ts).
import * as vscode from 'vscode';
import { shortHash } from '../../core/prompts/contentHash';
import { promptPassRate, type PassRateStatus } from '../../core/eval/promptPassRate';
import type { PromptInfo } from './labelService';
import { StoreLookupCache } from './storeLookupCache';

export const STALE_TEXT = 'edited — not evaluated';

/** What the line shows: the store's answer, or — the text no longer being the one last shown evaluated — that it is stale. */
export type ShownPassRate = PassRateStatus & { since?: { passRate: number; contentHash: string } };

export class PassRateService extends StoreLookupCache<PassRateStatus> {
  /** Per file: the last evaluated result shown, and the content hash it was for. */
  private readonly lastEvaluated = new Map<string, { contentHash: string; status: Extract<PassRateStatus, { kind: 'evaluated' }> }>();

  /**
   * Cached per file and content; undefined until the lookup lands (onDidChange fires then). While
   * the lookup for edited text is on its way, a file whose last shown result was for other text
   * reads `edited — not evaluated` at once: that result does not speak for this text.
   */
  get(uri: vscode.Uri, info: PromptInfo): ShownPassRate | undefined {
    const relPath = vscode.workspace.asRelativePath(uri, false);
    const found = this.cached(`${relPath}\u0000${info.contentHash}`, (store) => promptPassRate(store, { name: info.parsed.name, contentHash: info.contentHash, relPath }));
    const last = this.lastEvaluated.get(relPath);
    if (found?.kind === 'evaluated') { this.lastEvaluated.set(relPath, { contentHash: info.contentHash, status: found }); return found; }
    if (!last || last.contentHash === info.contentHash) return found;
    return { kind: 'stale', text: STALE_TEXT, lastRunId: last.status.runId, since: { passRate: last.status.passRate, contentHash: last.contentHash } };
  }
}

/** The hover's words for a stale line: what was evaluated, and that this text is not. */
export function staleDetail(s: ShownPassRate): string | undefined {
  if (s.kind !== 'stale' || !s.since) return undefined;
  return `last evaluated text ${shortHash(s.since.contentHash)}: pass ${Math.round(s.since.passRate * 100)} %; this text has no eval run yet`;
}
