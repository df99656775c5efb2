// The registry line of each prompt's CodeLens and hover (core/registry/registryStatus.ts).
import * as vscode from 'vscode';
import { registryStatusOf, type RegistryStatus } from '../../core/registry/registryStatus';
import type { PromptInfo } from './labelService';
import { StoreLookupCache } from './storeLookupCache';

export class RegistryStatusService extends StoreLookupCache<RegistryStatus> {
  /** Cached per prompt and content; undefined until the lookup lands (onDidChange fires then). */
  get(uri: vscode.Uri, info: PromptInfo, text: string): RegistryStatus | undefined {
    const path = vscode.workspace.asRelativePath(uri, false);
    return this.cached(`${info.parsed.name}\u0000${info.contentHash}`, (store) => registryStatusOf(store, info.parsed.name, { text, path, contentHash: info.contentHash }));
  }
}
