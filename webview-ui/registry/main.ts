// Registry panel: prompt versions with commit, content hash, linked eval runs and pass rates;
// the selected version as MLflow serves it (versionDetails.ts); aliases as badges (legacy stages
// read-only); register (naming what MLflow's forms could not carry), move alias (note required),
// rollback, and the audit trail. Strings from the server are rendered as text only.
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import {
  aliasChangeResultSchema, copiedResultSchema, registerResultSchema, registryToWebviewSchema, stateResultSchema,
  type RegistryState, type RegistryToWebview,
} from '../../src/protocol/registryProtocol';
import type { RegistryResults, RegistryToHost } from '../../src/protocol/registryProtocol';
import { append, clear, el, formatNumber } from '../shared/dom';
import { HostClient } from '../shared/hostClient';
import { shareNonceWithLit, vscodeApi } from '../shared/vscodeApi';
import { versionDetails } from './versionDetails';
import { gated, requestButton, requestsSection, teamHeader, type RegistryClient } from './teamView';

const AUDIT_VERB = { move: 'moved', rollback: 'rolled back', delete: 'deleted', request: 'requested', approve: 'approved', reject: 'rejected' } as const;

/** The last registration from this panel, so what was not carried stays visible after re-renders. */
interface Registration { name: string; version: string; reused: boolean; notCarried: string[] }
/**
 * What survives hiding the tab and "Reload Window" (the host's serializer reads `selected` and
 * `activeSourcePath`): kept small on purpose — the registry itself is fetched fresh each time.
 */
interface SavedState { selected: string | null; activeSourcePath?: string; form: { alias: string; version: string; note: string }; registration?: Registration }

shareNonceWithLit();
const api = vscodeApi<SavedState>();
const app = document.getElementById('app')!;
let state: RegistryState | undefined;
let form = { alias: 'staging', version: '', note: '' };
let registration: Registration | undefined;

const status = el('div', { id: 'status', class: 'status', role: 'status', 'aria-live': 'polite' });
const outcome = el('div', { id: 'outcome', 'aria-live': 'assertive' });
const main = el('div', { id: 'registry' });
append(app, [el('h1', {}, 'Prompt registry'), status, outcome, main]);

const client: RegistryClient = new HostClient<RegistryToWebview, RegistryToHost, RegistryResults>(api as never, registryToWebviewSchema, (msg) => {
  if (msg.type === 'init') status.textContent = '';
  if (msg.type === 'init' || msg.type === 'update') setState(msg.state);
  else if (msg.type === 'error') showOutcome(msg.message, 'error');
}, (err) => showOutcome(err, 'error'));
const teamDeps = { client, showOutcome, withBusy };

function setState(s: RegistryState): void {
  state = s;
  if (!form.version && s.versions[0]) form.version = s.versions[0].version;
  if (!s.versions.some((v) => v.version === form.version)) form.version = s.versions[0]?.version ?? '';
  save();
  render();
}

function save(): void {
  if (state) api.setState({ selected: state.selected, activeSourcePath: state.activePrompt?.sourcePath, form, registration });
}

function showOutcome(text: string, kind: 'ok' | 'refused' | 'error'): void {
  clear(outcome);
  outcome.appendChild(el('p', { class: `outcome ${kind}`, role: kind === 'ok' ? 'status' : 'alert' }, kind === 'refused' ? '⛔ ' : kind === 'error' ? '⚠ ' : '✓ ', text));
}

function button(label: string, attrs: Record<string, string | boolean>, onClick: () => void): HTMLElement {
  const b = el('vscode-button', attrs, label);
  b.addEventListener('click', () => { if (!b.hasAttribute('disabled')) onClick(); });
  return b;
}

async function withBusy<T>(label: string, work: () => Promise<T>): Promise<T | undefined> {
  status.textContent = label;
  try { return await work(); } catch (e) { showOutcome((e as Error).message, 'error'); return undefined; } finally { status.textContent = ''; }
}

function render(): void {
  if (!state) return;
  const s = state;
  clear(main);

  // store + prompt picker
  const pick = el('select', { id: 'prompt-select', 'aria-label': 'Prompt' });
  for (const name of s.prompts) { const o = el('option', {}, name); o.value = name; o.selected = name === s.selected; pick.appendChild(o); }
  pick.addEventListener('change', () => void withBusy('Loading…', async () => setState((await client.request({ type: 'selectPrompt', name: pick.value }, stateResultSchema)).state)));
  main.appendChild(el('div', { class: 'toolbar' },
    el('span', { class: 'muted' }, `${s.storeKind === 'mlflow' ? 'MLflow server' : 'Embedded store'}: ${s.storeLocation}`),
    s.prompts.length ? pick : el('span', { class: 'muted' }, 'No prompts registered yet.'),
    button('Refresh', { secondary: true, id: 'refresh' }, () => void withBusy('Refreshing…', async () => setState((await client.request({ type: 'refresh' }, stateResultSchema)).state)))));

  if (s.team) main.appendChild(teamHeader(s.team));

  // active prompt
  if (s.activePrompt) {
    const a = s.activePrompt;
    main.appendChild(el('section', { id: 'active', class: 'card', 'aria-label': 'Prompt in the editor' },
      el('h2', {}, 'In the editor'),
      el('p', {}, el('strong', {}, a.name), ` · hash ${a.contentHash.slice(0, 12)}`, a.gitCommit ? ` · commit ${a.gitCommit.slice(0, 7)}` : '', a.sourcePath ? ` · ${a.sourcePath}` : ''),
      a.registeredVersion
        ? el('p', { id: 'active-registered' }, `Registered as version ${a.registeredVersion}.`)
        : gated(button('Register this version', { id: 'register' }, () => void withBusy('Registering…', async () => {
          const r = await client.request({ type: 'register' }, registerResultSchema);
          registration = { name: a.name, version: r.version, reused: r.reused, notCarried: r.notCarried };
          form.version = r.version;
          showOutcome(r.reused ? `Same content as version ${r.version}; nothing new registered.` : `Registered version ${r.version}${r.notCarried.length ? ' (see what MLflow does not hold, below)' : ''}.`, 'ok');
          save();
          render();
        })), s.team?.can.register),
      registration && registration.name === a.name && registration.version === a.registeredVersion ? notCarriedNote(registration) : null));
  }

  // aliases
  const governed = new Set(s.governedAliases);
  const aliasList = el('ul', { id: 'aliases', class: 'badges' });
  for (const a of s.aliases.slice().sort((x, y) => x.alias.localeCompare(y.alias))) {
    aliasList.appendChild(el('li', {}, el('vscode-badge', { variant: 'default' }, `${a.alias} → v${a.version}`), governed.has(a.alias) ? el('span', { title: 'needs a passing eval run', class: 'muted' }, ' (governed)') : null));
  }
  main.appendChild(el('section', { 'aria-label': 'Aliases' }, el('h2', {}, 'Aliases'), s.aliases.length ? aliasList : el('p', { class: 'muted' }, 'No aliases set.'),
    s.governanceRequiresEval ? el('p', { class: 'muted' }, `Governance: ${s.governedAliases.join(', ')} needs a passing linked eval run.`) : null));

  // versions
  const body = el('tbody');
  for (const v of s.versions) {
    const runs = el('div', { class: 'runs' });
    for (const r of v.linkedRuns.slice(0, 8)) {
      const mark = r.passed === true ? '✓' : r.passed === false ? '✗' : '·';
      runs.appendChild(button(`${mark} ${r.runName} ${r.passRate === null ? '' : formatNumber(r.passRate)}`.trim(), { secondary: true, class: `run-link ${r.passed === true ? 'pass' : r.passed === false ? 'fail' : ''}` }, () => client.post({ type: 'openRun', runId: r.runId })));
    }
    if (v.linkedRuns.length > 8) runs.appendChild(el('span', { class: 'muted' }, ` +${v.linkedRuns.length - 8} more`));
    body.appendChild(el('tr', { 'data-version': v.version },
      el('th', { scope: 'row' }, `v${v.version}`),
      el('td', {}, ...v.aliases.map((a) => el('vscode-badge', {}, a)), v.legacyStage ? el('span', { class: 'muted', title: 'legacy stage (read-only)' }, ` stage: ${v.legacyStage}`) : null),
      el('td', { class: 'mono' }, v.gitCommit?.slice(0, 7) ?? '—'),
      el('td', { class: 'mono', title: v.contentHash ?? '' }, v.contentHash?.slice(0, 12) ?? '—'),
      el('td', {}, v.commitMessage ?? ''),
      el('td', {}, v.linkedRuns.length ? runs : el('span', { class: 'muted' }, 'no eval runs')),
      el('td', {}, button('Select', { secondary: true, 'aria-label': `Select version ${v.version}: its details, and the target of an alias move` }, () => { form.version = v.version; save(); render(); document.getElementById('version-details')?.scrollIntoView({ block: 'nearest' }); }),
        button('Monitor', { secondary: true, class: 'monitor', 'aria-label': `Monitor version ${v.version}: its production traces` }, () => client.post({ type: 'showMonitor', name: v.name, version: v.version })))));
  }
  for (const row of body.querySelectorAll<HTMLElement>(`tr[data-version="${CSS.escape(form.version)}"]`)) row.classList.add('selected');
  main.appendChild(el('section', { 'aria-label': 'Versions' }, el('h2', {}, `Versions of ${s.selected ?? '—'}`),
    el('table', { class: 'grid', id: 'versions' }, el('thead', {}, el('tr', {}, ...['Version', 'Aliases', 'Commit', 'Content hash', 'Message', 'Eval runs', ''].map((h) => el('th', { scope: 'col' }, h)))), body)));

  // the selected version as a serving app gets it
  const shown = s.versions.find((v) => v.version === form.version);
  if (shown) {
    main.appendChild(versionDetails(shown, {
      copySnippet: async () => { await client.request({ type: 'copyPythonSnippet', name: shown.name, version: shown.version }, copiedResultSchema); },
    }));
  }

  // move / rollback form
  if (s.selected && s.versions.length) {
    const aliasInput = el('input', { id: 'alias-input', type: 'text', list: 'alias-names', 'aria-label': 'Alias', required: true });
    aliasInput.value = form.alias;
    const names = el('datalist', { id: 'alias-names' }, ...[...new Set(['staging', 'production', ...s.aliases.map((a) => a.alias)])].map((a) => { const o = el('option'); o.value = a; return o; }));
    const versionSel = el('select', { id: 'version-select', 'aria-label': 'Version' });
    for (const v of s.versions) { const o = el('option', {}, `v${v.version}`); o.value = v.version; o.selected = v.version === form.version; versionSel.appendChild(o); }
    const evidence = el('select', { id: 'evidence-select', 'aria-label': 'Evidence run' });
    const fillEvidence = () => {
      clear(evidence);
      const auto = el('option', {}, 'Latest passing run (automatic)'); auto.value = ''; evidence.appendChild(auto);
      for (const r of s.versions.find((v) => v.version === versionSel.value)?.linkedRuns ?? []) { const o = el('option', {}, `${r.runName} (${r.passed === true ? 'passed' : r.passed === false ? 'failed' : 'no verdict'})`); o.value = r.runId; evidence.appendChild(o); }
    };
    fillEvidence();
    const note = el('textarea', { id: 'note-input', rows: 2, 'aria-label': 'Note (required)', placeholder: 'Why does the alias move? (required)' });
    note.value = form.note;
    const sync = () => { form = { alias: aliasInput.value.trim(), version: versionSel.value, note: note.value }; save(); };
    aliasInput.addEventListener('input', sync); note.addEventListener('input', sync);
    // The version chosen here is also the one whose details show above.
    versionSel.addEventListener('change', () => { sync(); render(); document.getElementById('version-select')?.focus(); });
    const needNote = () => { if (!note.value.trim()) { showOutcome('A note is required: say why the alias moves.', 'refused'); note.focus(); return true; } return false; };
    const move = button('Move alias', { id: 'move' }, () => {
      sync();
      if (needNote()) return;
      void withBusy('Moving alias…', async () => {
        const r = await client.request({ type: 'moveAlias', name: s.selected!, alias: form.alias, version: form.version, note: form.note, ...(evidence.value ? { evidenceRunId: evidence.value } : {}) }, aliasChangeResultSchema);
        if (r.ok) { form.note = ''; showOutcome(`${r.entry.alias}: ${r.entry.from ? `v${r.entry.from}` : 'unset'} → v${r.entry.to}`, 'ok'); }
        else showOutcome(r.reason, 'refused');
      });
    });
    const rollback = button('Roll back alias', { id: 'rollback', secondary: true }, () => {
      sync();
      if (needNote()) return;
      void withBusy('Rolling back…', async () => {
        const r = await client.request({ type: 'rollback', name: s.selected!, alias: form.alias, note: form.note }, aliasChangeResultSchema);
        if (r.ok) { form.note = ''; showOutcome(`${r.entry.alias} rolled back: v${r.entry.from} → v${r.entry.to}`, 'ok'); }
        else showOutcome(r.reason, 'refused');
      });
    });
    main.appendChild(el('section', { id: 'move-form', class: 'card', 'aria-label': 'Move or roll back an alias' },
      el('h2', {}, 'Move alias'),
      el('div', { class: 'form-row' }, el('label', { for: 'alias-input' }, 'Alias'), aliasInput, names, el('label', { for: 'version-select' }, 'to'), versionSel),
      el('div', { class: 'form-row' }, el('label', { for: 'evidence-select' }, 'Evidence'), evidence),
      el('div', { class: 'form-row' }, el('label', { for: 'note-input' }, 'Note'), note),
      el('div', { class: 'form-row' }, gated(move, s.team?.can.move), gated(rollback, s.team?.can.move),
        requestButton(s, teamDeps, () => { sync(); return { ...form, evidenceRunId: evidence.value || undefined }; }),
        el('span', { class: 'muted' }, `as ${s.author}`))));
  }

  {
    const requests = requestsSection(s, teamDeps);
    if (requests) main.appendChild(requests);
  }

  // audit
  const list = el('ol', { id: 'audit', reversed: true });
  for (const e of s.audit.slice().reverse()) {
    list.appendChild(el('li', {},
      el('span', { class: 'muted' }, new Date(e.at).toLocaleString()), ' ', el('strong', {}, e.author), ` ${AUDIT_VERB[e.action]} `,
      el('vscode-badge', {}, e.alias), ` ${e.from ? `v${e.from}` : 'unset'} → ${e.to ? `v${e.to}` : 'unset'}: `, el('q', {}, e.note), e.requestedBy ? ` (requested by ${e.requestedBy}, request ${e.requestId ?? ''})` : '',
      e.evidenceRunId ? button(`evidence ${e.evidenceRunId.slice(0, 8)}`, { secondary: true }, () => client.post({ type: 'openRun', runId: e.evidenceRunId! })) : null));
  }
  main.appendChild(el('section', { 'aria-label': 'Audit trail' }, el('h2', {}, 'Audit trail'), s.audit.length ? list : el('p', { class: 'muted' }, 'No alias changes recorded.')));
  app.dataset.ready = 'true';
}

/** Said next to the registration, because these fields reach MLflow only inside the source text. */
function notCarriedNote(r: Registration): HTMLElement | null {
  if (!r.notCarried.length) return el('p', { id: 'not-carried', class: 'muted' }, 'Every field of the file is carried into MLflow\'s prompt form.');
  return el('div', { id: 'not-carried', class: 'not-carried', role: 'note' },
    el('p', {}, `Not carried into MLflow's prompt form (kept only in the registered source text of v${r.version}; a Python app loading it will not see them):`),
    el('ul', {}, ...r.notCarried.map((f) => el('li', {}, f))));
}

const saved = api.getState();
if (saved?.form) {
  form = saved.form; registration = saved.registration;
  status.textContent = `Loading ${saved.selected ?? 'the registry'}…`;
}
client.post({ type: 'ready' });
