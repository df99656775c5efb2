import type { PromptVersionEntry } from './history';

/** What follows the `@` in `summarize.prompty@v3`, `summarize.prompty@3f2a9c1`, `…@production`. */
export type VersionSelector =
  | { kind: 'version'; version: number }
  | { kind: 'commit'; commit: string }
  | { kind: 'alias'; alias: string };

export interface VersionRef {
  path: string;
  /** Undefined when there is no `@`: the working copy. */
  selector?: VersionSelector;
}

/**
 * Splits `path@selector`. `v3` or a number below 1000 is a version; 4 to 40 hex digits a
 * commit; any other word an alias (registry names like `production`). The last `@` splits,
 * so paths may contain `@`.
 */
export function parseVersionRef(ref: string): VersionRef {
  const at = ref.lastIndexOf('@');
  if (at <= 0) return { path: ref };
  const path = ref.slice(0, at);
  const sel = ref.slice(at + 1).trim();
  if (/^v\d+$/i.test(sel)) return { path, selector: { kind: 'version', version: Number(sel.slice(1)) } };
  if (/^\d{1,3}$/.test(sel)) return { path, selector: { kind: 'version', version: Number(sel) } };
  if (/^[0-9a-f]{4,40}$/i.test(sel)) return { path, selector: { kind: 'commit', commit: sel.toLowerCase() } };
  if (/^[A-Za-z][\w.-]*$/.test(sel)) return { path, selector: { kind: 'alias', alias: sel } };
  return { path: ref };
}

/** The history entry a version or commit selector points at (aliases are the registry's job). */
export function findVersion(history: PromptVersionEntry[], selector: VersionSelector): PromptVersionEntry | undefined {
  if (selector.kind === 'version') return history.find((e) => e.version === selector.version);
  if (selector.kind === 'commit') return history.find((e) => e.commit.startsWith(selector.commit));
  return undefined;
}

export function formatVersionRef(path: string, selector: VersionSelector): string {
  const s = selector.kind === 'version' ? `v${selector.version}` : selector.kind === 'commit' ? selector.commit : selector.alias;
  return `${path}@${s}`;
}
