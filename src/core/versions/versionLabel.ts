import { gitBlobHash, sameContentAsBlob } from './blobHash';

export type VersionState = 'committed' | 'untracked' | 'not-repo' | 'no-git' | 'no-commits';

/** What the editor shows above a prompt file: its git version and whether it has unsaved edits. */
export interface VersionLabel {
  state: VersionState;
  /** Non-merge commits that touched the file, following renames; 0 if none. */
  version: number;
  /** Last commit that touched the file. */
  commit?: string;
  shortCommit?: string;
  author?: string;
  /** Author date, ISO 8601. */
  date?: string;
  subject?: string;
  /** Blob id of the file in HEAD. */
  headBlob?: string;
  /** Blob id of the current content (file on disk, or editor text after refreshLabelForText). */
  workingBlob?: string;
  /** Content differs from HEAD (unsaved editor text, saved edits, staged edits, deletion). */
  edited: boolean;
  /** True when the file is tracked but missing from the working tree. */
  deleted?: boolean;
  /** Left undefined here; the caller fills it with the prompt content hash that runs record. */
  contentHash?: string;
  /** Shallow clone: history is cut, so `version` may be lower than the true count. */
  shallow: boolean;
  detached: boolean;
  branch?: string;
  /** One-line summary, e.g. `v7 · 3f2a9c1 · edited`, `v3+ · 3f2a9c1`, `untracked`. */
  text: string;
}

export function labelText(label: Omit<VersionLabel, 'text'>): string {
  switch (label.state) {
    case 'no-git': return 'git not found';
    case 'not-repo': return 'not in git';
    case 'no-commits': return 'no commits yet';
    case 'untracked': return 'untracked';
    case 'committed': {
      const parts = [`v${label.version}${label.shallow ? '+' : ''}`];
      if (label.shortCommit) parts.push(label.shortCommit);
      if (label.deleted) parts.push('deleted');
      else if (label.edited) parts.push('edited');
      return parts.join(' · ');
    }
  }
}

/** A label for a file that has no git version, with every flag at its neutral value. */
export function emptyLabel(state: Exclude<VersionState, 'committed'>, extra: Partial<VersionLabel> = {}): VersionLabel {
  const base = { state, version: 0, edited: false, shallow: false, detached: false, ...extra };
  return { ...base, text: labelText(base) };
}

/**
 * Recomputes `edited`, `workingBlob` and `text` for unsaved editor text, in process (no git):
 * called on every keystroke or save, so it only hashes.
 */
export function refreshLabelForText(label: VersionLabel, text: string): VersionLabel {
  const workingBlob = gitBlobHash(text);
  const edited = label.state === 'committed'
    ? !(label.headBlob !== undefined && (workingBlob === label.headBlob || sameContentAsBlob(text, label.headBlob)))
    : label.edited;
  const next = { ...label, workingBlob, edited, deleted: false };
  return { ...next, text: labelText(next) };
}
