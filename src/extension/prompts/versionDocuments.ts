// Read-only documents for older prompt versions (`promptledger-version:` URIs), served from git,
// so VS Code's own diff editor can compare any two versions.
import path from 'node:path';
import * as vscode from 'vscode';
import { fileAtCommit } from '../../core/versions/history';

export const VERSION_SCHEME = 'promptledger-version';

interface VersionQuery { repo: string; commit: string; path: string; version?: number }

export function versionUri(q: VersionQuery): vscode.Uri {
  // The path keeps the file name (tab title, language by extension); the query says where it comes from.
  return vscode.Uri.from({ scheme: VERSION_SCHEME, path: '/' + q.path, query: JSON.stringify(q) });
}

export function parseVersionUri(uri: vscode.Uri): VersionQuery {
  return JSON.parse(uri.query) as VersionQuery;
}

export class VersionContentProvider implements vscode.TextDocumentContentProvider {
  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const q = parseVersionUri(uri);
    return fileAtCommit(q.repo, q.commit, q.path);
  }
}

export function versionTitle(q: { path: string; version?: number; commit: string }): string {
  return `${path.basename(q.path)} @ ${q.version ? `v${q.version}` : ''} ${q.commit.slice(0, 7)}`.replace('@  ', '@ ');
}
