// The editor and the CLI register and pull prompt files the same way: a file becomes a
// RegisterInput (name, text, content hash, git commit when the text is that commit's, path), and
// a registry version becomes a file plan (where it goes, its text, whether that changes a file).
import fs from 'node:fs';
import path from 'node:path';
import { normalizedContentHash } from '../prompts/contentHash';
import { parsePromptFile } from '../prompts/promptFile';
import type { TrackingStore } from '../tracking/types';
import type { RegisterInput } from './promptRegistry';
import { promptFileFromMlflow } from './promptFromMlflow';
import { getPrompt, type PromptRef, type RegistryPromptVersion } from './promptStore';

export interface FileGit { commit?: string; edited?: boolean }

/** `relPath` is recorded ('/'-separated, relative to the workspace). */
export function registerInputFromFile(text: string, relPath: string, git: FileGit = {}): RegisterInput {
  const parsed = parsePromptFile(text, relPath);
  return {
    name: parsed.name,
    sourceText: text,
    contentHash: normalizedContentHash(text),
    // Text edited since the last commit is not that commit's version: record no commit for it
    // (the content hash still identifies it exactly).
    gitCommit: git.edited ? undefined : git.commit,
    sourcePath: relPath.split('\\').join('/'),
  };
}

export interface PullPlan {
  version: RegistryPromptVersion;
  /** Absolute path the file goes to. */
  target: string;
  text: string;
  /** The registered file itself (source tag), not one generated from MLflow's form. */
  original: boolean;
  /** 'create' a new file, 'update' a different one, or 'same' (nothing to write). */
  change: 'create' | 'update' | 'same';
  /** The current text of the target when it exists. */
  currentText?: string;
}

/**
 * Plans a pull of `name` at `ref` into `out` (a file, or a folder to put `<name>.prompty|md`
 * into; default `<root>/prompts/`). Writes nothing.
 */
export async function planPull(store: TrackingStore, name: string, ref: PromptRef, opts: { root: string; out?: string }): Promise<PullPlan> {
  const version = await getPrompt(store, name, ref);
  const pulled = promptFileFromMlflow({ name, version: version.version, form: version.form, tags: version.allTags });
  const out = opts.out ? path.resolve(opts.root, opts.out) : path.join(opts.root, 'prompts');
  const isDir = opts.out === undefined || opts.out.endsWith('/') || opts.out.endsWith(path.sep) || (fs.existsSync(out) && fs.statSync(out).isDirectory());
  const target = isDir ? path.join(out, pulled.fileName) : out;
  const currentText = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
  const change = currentText === undefined ? 'create' : normalizedContentHash(currentText) === normalizedContentHash(pulled.text) ? 'same' : 'update';
  return { version, target, text: pulled.text, original: pulled.original, change, currentText };
}
