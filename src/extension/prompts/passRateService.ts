// The pass-rate line of each prompt's CodeLens and hover (core/eval/promptPassRate.ts).
import * as vscode from 'vscode';
import { promptPassRate, type PassRateStatus } from '../../core/eval/promptPassRate';
import type { PromptInfo } from './labelService';
import { StoreLookupCache } from './storeLookupCache';

export class PassRateService extends StoreLookupCache<PassRateStatus> {
  /** Cached per file and content; undefined until the lookup lands (onDidChange fires then). */
  get(uri: vscode.Uri, info: PromptInfo): PassRateStatus | undefined {
    const relPath = vscode.workspace.asRelativePath(uri, false);
    return this.cached(`${relPath}\u0000${info.contentHash}`, (store) => promptPassRate(store, { name: info.parsed.name, contentHash: info.contentHash, relPath }));
  }
}
