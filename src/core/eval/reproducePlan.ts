// Step 1 of Reproduce Run: what the original run ran, rebuilt from what it recorded — the suite
// (working file if its hash is the run's, else the one at the run's commit), the prompt (at the
// run's commit, else the registered version it links, else its `prompt/` artifact; each checked
// against the run's content hash), the dataset (its `dataset/` snapshot, checked against the
// run's dataset hash), the model and the exact sampling params it logged. Git is read from its
// object store only: the user's working copy is never touched. Every substitution is a note that
// says what is missing and what is used instead.
import fs from 'node:fs';
import path from 'node:path';
import type { Run, TrackingStore } from '../tracking/types';
import { TAG } from '../registry/registryTags';
import { getPrompt } from '../registry/promptStore';
import { normalizedContentHash } from '../prompts/contentHash';
import { parsePromptFile } from '../prompts/promptFile';
import { fileAtCommit } from '../versions/history';
import { repoPathOf, resolveCommit } from '../versions/versionAtRevision';
import { parseSuite, loadSuiteDataset, type LoadedSuite } from './suiteLoader';
import { memoryDataset, parseCsvCases, parseJsonArray, parseJsonl, sha256, type LoadedDataset } from './dataset';
import type { ModelSpec } from './suiteSchema';
import type { SamplingParams } from '../providers/types';
import { mergeParams, modelLabel } from './modelConfig';
import { TAGS } from './runContext';
import type { PromptGitInfo } from './gitInfo';
import type { PlanOverrides } from './runPlan';
import { MLFLOW_TAG } from '../tracking/mlflowTags';

export interface ReproducePlan {
  original: Run;
  /** The suite to run: narrowed to the run's prompt and model, tagged with the original's id. */
  suite: LoadedSuite;
  overrides: Required<PlanOverrides>;
  /** Model label of the run (the runner's `models` filter). */
  model: string;
  repeat: number;
  /** Where each input came from, e.g. `git 3f2a9c1`, `run artifact dataset/cases.jsonl`. */
  sources: { suite: string; prompt: string; dataset: string };
  /** What is missing or different, and what is used instead. */
  notes: string[];
}

/** Nothing to reproduce from (not an eval run, suite gone everywhere, model no longer in the suite). */
export class ReproduceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReproduceError';
  }
}

const SAMPLING_KEYS = ['temperature', 'top_p', 'max_tokens', 'stop', 'seed', 'response_format'] as const;
const decoder = new TextDecoder();
const short = (c: string) => c.slice(0, 7);

export async function planReproduction(store: TrackingStore, runId: string, workspaceRoot: string): Promise<ReproducePlan> {
  const original = await store.getRun(runId);
  const tags = Object.fromEntries(original.data.tags.map((t) => [t.key, t.value]));
  const params = Object.fromEntries(original.data.params.map((p) => [p.key, p.value]));
  const name = original.info.runName || runId;
  if (tags[TAGS.kind] === 'eval-parent') throw new ReproduceError(`Run ${name} is the parent of a multi-model eval; reproduce one of its child runs (one per model).`);
  const suiteRel = tags[TAGS.suite] ?? params.suite;
  if (!suiteRel || !params.model || !params.prompt_hash) throw new ReproduceError(`Run ${name} is not an eval run recorded by Prompt Ledger (no ${TAGS.suite} tag or prompt_hash/model params), so there is nothing to rebuild it from.`);
  const notes: string[] = [];
  const abs = (rel: string) => path.isAbsolute(rel) ? rel : path.join(workspaceRoot, rel);
  const sourceCommit = tags[MLFLOW_TAG.gitCommit];
  const artifacts = await listArtifactPaths(store, runId);
  const artifact = async (p: string) => artifacts.has(p) ? store.downloadArtifact(runId, p) : undefined;

  // The suite: the working file when unchanged, else the run's commit.
  const suiteFile = abs(suiteRel);
  const suiteHash = tags[TAGS.suiteHash];
  let suite: LoadedSuite | undefined;
  let suiteSource = 'working copy';
  const working = fs.existsSync(suiteFile) ? fs.readFileSync(suiteFile) : undefined;
  if (working && (!suiteHash || sha256(working) === suiteHash)) {
    suite = parseSuite(working.toString('utf8'), suiteFile, { checkFiles: false });
  } else {
    const atCommit = sourceCommit ? await gitFile(suiteFile, sourceCommit) : { problem: 'the run recorded no git commit' };
    if (atCommit.text !== undefined && (!suiteHash || sha256(atCommit.text) === suiteHash)) {
      suite = parseSuite(atCommit.text, suiteFile, { checkFiles: false });
      suiteSource = `git ${short(sourceCommit!)}`;
      notes.push(`${suiteRel} ${working ? 'changed' : 'is gone'} since the run: using its text at the run's commit ${short(sourceCommit!)}.`);
    } else if (working) {
      suite = parseSuite(working.toString('utf8'), suiteFile, { checkFiles: false });
      const why = atCommit.text !== undefined ? `its text at ${short(sourceCommit!)} is not the run's either (uncommitted edits at run time)` : atCommit.problem;
      notes.push(`${suiteRel} changed since the run and ${why}: using the working suite, with the run's model, params, prompt and dataset.`);
    } else {
      throw new ReproduceError(`The suite of run ${name}, ${suiteRel}, is not in this workspace and ${atCommit.problem ?? `not the run's at ${short(sourceCommit!)}`}. Restore the suite file to reproduce the run.`);
    }
  }

  // The model and its exact sampling params.
  const label = params.model;
  const model = suite.spec.models.find((m) => modelLabel(m) === label);
  if (!model) throw new ReproduceError(`Model ${label} of run ${name} is not in ${suiteRel} any more (it has ${suite.spec.models.map(modelLabel).join(', ') || 'no models'}). Add it back to reproduce the run.`);

  // The prompt text, checked against the run's content hash.
  const promptRel = params.prompt_path ?? tags[TAGS.promptPath];
  const promptFile = abs(promptRel);
  const wantHash = params.prompt_hash;
  const tried: string[] = [];
  let promptText: string | undefined;
  let promptSource = '';
  const commit = params.git_commit;
  if (commit) {
    const got = await gitFile(promptFile, commit);
    if (got.text !== undefined && normalizedContentHash(got.text) === wantHash) { promptText = got.text; promptSource = `git ${short(commit)}`; }
    else tried.push(got.text !== undefined ? `at commit ${short(commit)} the prompt is not the text the run used (it ran uncommitted edits, ${params.prompt_version ?? 'edited'})` : got.problem!);
  } else tried.push('the run recorded no git commit for the prompt');
  if (promptText === undefined) {
    const reg = await registeredText(store, tags[TAG.linkedPrompts], wantHash);
    if (reg.text !== undefined) { promptText = reg.text; promptSource = reg.source!; }
    else if (reg.problem) tried.push(reg.problem);
  }
  if (promptText === undefined) {
    const artPath = `prompt/${path.basename(promptRel)}`;
    const bytes = await artifact(artPath);
    const text = bytes && decoder.decode(bytes);
    if (text !== undefined && normalizedContentHash(text) === wantHash) { promptText = text; promptSource = `run artifact ${artPath}`; }
    else tried.push(text === undefined ? `the run has no ${artPath} artifact` : `the run's ${artPath} artifact does not match its prompt_hash`);
  }
  if (promptText === undefined) {
    if (!fs.existsSync(promptFile)) throw new ReproduceError(`The prompt of run ${name} cannot be found: ${tried.join('; ')}; and ${promptRel} is not in the workspace.`);
    promptText = fs.readFileSync(promptFile, 'utf8');
    promptSource = 'working copy (differs from the run)';
    notes.push(`Prompt: ${tried.join('; ')}. Using the working ${promptRel} (content hash ${normalizedContentHash(promptText).slice(0, 10)}, the run's was ${wantHash.slice(0, 10)}): outputs may differ.`);
  } else if (!promptSource.startsWith('git')) {
    notes.push(`Prompt: ${tried.join('; ')}. Using the ${promptSource}, which has the run's content hash.`);
  }
  const git: PromptGitInfo = {
    commit, version: params.prompt_version, headCommit: sourceCommit, branch: tags[MLFLOW_TAG.gitBranch], edited: params.prompt_version?.endsWith('+edited'),
  };

  // The dataset snapshot, checked against the run's dataset hash.
  const inline = !params.dataset_path || params.dataset_path === '(inline)';
  const datasetFile = inline ? undefined : abs(params.dataset_path);
  const fileName = datasetFile ? path.basename(datasetFile) : 'cases.json';
  const snapPath = `dataset/${fileName}`;
  const size = params.dataset_size !== undefined ? Number(params.dataset_size) : undefined;
  let dataset: LoadedDataset | undefined;
  let datasetSource = `run artifact ${snapPath}`;
  const snap = await artifact(snapPath);
  if (snap && sha256(snap) === params.dataset_hash) {
    dataset = datasetFrom(snap, fileName, datasetFile, suite.filePath, size);
  } else {
    const missing = snap ? `the run's ${snapPath} artifact does not match its dataset_hash` : `the run has no ${snapPath} artifact`;
    const atCommit = datasetFile && sourceCommit ? await gitFile(datasetFile, sourceCommit) : undefined;
    if (atCommit?.text !== undefined && sha256(atCommit.text) === params.dataset_hash) {
      dataset = datasetFrom(Buffer.from(atCommit.text, 'utf8'), fileName, datasetFile, suite.filePath, size);
      datasetSource = `git ${short(sourceCommit!)}`;
      notes.push(`Dataset: ${missing}; using ${params.dataset_path} at the run's commit ${short(sourceCommit!)}, which has the run's hash.`);
    } else {
      dataset = loadSuiteDataset(suite);
      datasetSource = 'working copy';
      const same = dataset.hash === params.dataset_hash;
      notes.push(`Dataset: ${missing}${atCommit?.problem ? `, and ${atCommit.problem}` : ''}; using the suite's current dataset${same ? ', which has the run\'s hash' : ` (hash ${dataset.hash.slice(0, 10)}, the run's was ${params.dataset_hash?.slice(0, 10)}): cases may differ`}.`);
    }
  }

  // Exact params: the run's logged sampling params win over what the suite says now.
  const parsed = parsePromptFile(promptText, promptFile);
  const planned = mergeParams(parsed.model?.parameters, model.params);
  const logged = loggedSampling(params);
  const fixed: ModelSpec = { ...model, params: { ...(model.params ?? {}), ...logged } } as ModelSpec;
  for (const k of SAMPLING_KEYS) {
    const now = planned[k];
    if (JSON.stringify(now) !== JSON.stringify(logged[k])) {
      notes.push(`Param ${k}: the suite and prompt now give ${now === undefined ? 'none' : JSON.stringify(now)}, the run used ${logged[k] === undefined ? 'none' : JSON.stringify(logged[k])}: using the run's.`);
      if (logged[k] === undefined) delete (fixed.params as Record<string, unknown>)[k];
    }
  }
  const scorerNames = suite.scorers.map((s) => s.scorer.name).join(',');
  if (params.scorers !== undefined && params.scorers !== scorerNames) {
    notes.push(`Scorers: the run used ${params.scorers || 'none'}, the suite now has ${scorerNames || 'none'}; scores come from the suite's scorers.`);
  }

  const repeat = params.repeat ? Number(params.repeat) : 1;
  const reproSuite: LoadedSuite = {
    ...suite,
    promptPaths: [promptFile],
    spec: { ...suite.spec, models: [fixed], tags: { ...(suite.spec.tags ?? {}), [TAGS.reproducedFrom]: runId } },
  };
  return {
    original, suite: reproSuite, model: label, repeat,
    overrides: { promptAt: new Map([[promptFile, { text: promptText, git }]]), dataset },
    sources: { suite: suiteSource, prompt: promptSource, dataset: datasetSource }, notes,
  };
}

async function listArtifactPaths(store: TrackingStore, runId: string): Promise<Set<string>> {
  const out = new Set<string>();
  try {
    for (const dir of ['prompt', 'dataset']) for (const f of await store.listArtifacts(runId, dir)) if (!f.isDir) out.add(f.path);
  } catch {
    // no artifacts at all: every lookup below reports the artifact as missing
  }
  return out;
}

/** A file at a commit, or why it cannot be read (not in git, commit gone, path not in that commit). */
async function gitFile(file: string, commit: string): Promise<{ text?: string; problem?: string }> {
  const where = await repoPathOf(file);
  if (!where) return { problem: `${path.basename(file)} is not in a git repository here` };
  if (!(await resolveCommit(where.repoRoot, commit))) return { problem: `commit ${short(commit)} is not in this repository (rebased away, or a shallow clone)` };
  try {
    return { text: await fileAtCommit(where.repoRoot, commit, where.rel) };
  } catch {
    return { problem: `${where.rel} is not in commit ${short(commit)}` };
  }
}

/** The registered version the run links, when its `promptledger.source` text has the run's hash. */
async function registeredText(store: TrackingStore, linked: string | undefined, hash: string): Promise<{ text?: string; source?: string; problem?: string }> {
  let list: { name: string; version: string }[] = [];
  try { list = linked ? JSON.parse(linked) : []; } catch { return { problem: `its ${TAG.linkedPrompts} tag is not JSON` }; }
  if (!Array.isArray(list) || list.length === 0) return {};
  for (const p of list) {
    try {
      const v = await getPrompt(store, String(p.name), { version: String(p.version) });
      const text = v.allTags.find((t) => t.key === TAG.sourceText)?.value;
      if (text !== undefined && normalizedContentHash(text) === hash) return { text, source: `registered prompt ${p.name} v${p.version}` };
    } catch {
      // version deleted or registry unreachable: try the next source
    }
  }
  return { problem: `the registered version it links (${list.map((p) => `${p.name} v${p.version}`).join(', ')}) is gone or holds other text` };
}

function loggedSampling(params: Record<string, string>): SamplingParams {
  const out: Record<string, unknown> = {};
  for (const k of SAMPLING_KEYS) {
    const v = params[k];
    if (v === undefined) continue;
    if (k === 'stop' || k === 'response_format') {
      try { out[k] = JSON.parse(v); } catch { out[k] = v; }
    } else out[k] = Number(v);
  }
  return out as SamplingParams;
}

function datasetFrom(raw: Uint8Array, fileName: string, file: string | undefined, suiteFile: string, size?: number): LoadedDataset {
  const text = decoder.decode(raw);
  const where = file ?? suiteFile;
  const ext = path.extname(fileName).toLowerCase();
  let cases = !file || ext === '.json' ? parseJsonArray(text, where) : ext === '.csv' ? parseCsvCases(text, where) : parseJsonl(text, where);
  if (size !== undefined && Number.isFinite(size)) cases = cases.slice(0, size);
  const format = !file ? 'inline' : ext === '.json' ? 'json' : ext === '.csv' ? 'csv' : 'jsonl';
  return memoryDataset(cases, { hash: sha256(raw), path: file, raw, fileName, format });
}
