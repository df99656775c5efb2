// The registry panel's team part: who is signed in, controls disabled with a tooltip saying why,
// "Request approval" for aliases that need it, and the open requests with Approve / Reject for
// reviewers. Every string from the server is rendered as text.
import type { RegistryResults, RegistryState, RegistryToHost, RegistryToWebview } from '../../src/protocol/registryProtocol';
import { decisionResultSchema, requestResultSchema, type Gate, type TeamState } from '../../src/protocol/registryTeamProtocol';
import { el } from '../shared/dom';
import type { HostClient } from '../shared/hostClient';

type Kind = 'ok' | 'refused' | 'error';
/** The registry panel's host client, typed by its protocol both ways. */
export type RegistryClient = HostClient<RegistryToWebview, RegistryToHost, RegistryResults>;
export interface TeamDeps {
  client: RegistryClient;
  showOutcome(text: string, kind: Kind): void;
  withBusy<T>(label: string, work: () => Promise<T>): Promise<T | undefined>;
}

/** "Signed in to MLflow as …" (or who acts when the server has no users). */
export function teamHeader(team: TeamState): HTMLElement {
  const who = team.signedIn ? `Signed in to MLflow as ${team.actor}${team.isAdmin ? ' (admin)' : ''}` : `Acting as ${team.actor} (this store has no users)`;
  const rules = Object.entries(team.approvalAliases).map(([a, n]) => `${a} needs ${n} approval${n === 1 ? '' : 's'} by another user`);
  return el('div', { id: 'identity', class: 'toolbar' },
    el('span', { id: 'identity-user' }, who),
    rules.length ? el('span', { class: 'muted' }, ` · ${rules.join('; ')}`) : null,
    team.problem ? el('span', { class: 'outcome error', role: 'alert' }, ` ⚠ ${team.problem}`) : null);
}

/** Disables `control` when the gate is closed, with the reason as its tooltip (on a wrapper, since disabled controls get no hover events). */
export function gated(control: HTMLElement, gate: Gate | undefined): HTMLElement {
  if (!gate || gate.ok) return control;
  control.setAttribute('disabled', '');
  control.setAttribute('aria-disabled', 'true');
  control.setAttribute('aria-description', gate.why ?? '');
  return el('span', { class: 'gated', title: gate.why ?? '', 'data-why': gate.why ?? '' }, control);
}

/** Shown in the move form when some alias needs approval. */
export function requestButton(s: RegistryState, deps: TeamDeps, current: () => { alias: string; version: string; note: string; evidenceRunId?: string }): HTMLElement | null {
  const team = s.team;
  if (!team || !Object.keys(team.approvalAliases).length || !s.selected) return null;
  const b = el('vscode-button', { id: 'request-approval' }, 'Request approval');
  b.addEventListener('click', () => {
    if (b.hasAttribute('disabled')) return;
    const f = current();
    if (!f.note.trim()) { deps.showOutcome('A note is required: say why the alias should move.', 'refused'); return; }
    void deps.withBusy('Requesting approval…', async () => {
      const r = await deps.client.request({ type: 'requestAlias', name: s.selected!, alias: f.alias, version: f.version, note: f.note, ...(f.evidenceRunId ? { evidenceRunId: f.evidenceRunId } : {}) }, requestResultSchema);
      if (r.ok) deps.showOutcome(`Request ${r.request.id} opened: ${r.request.alias} → v${r.request.version}, waiting for ${r.request.required} approval${r.request.required === 1 ? '' : 's'} by another user.`, 'ok');
      else deps.showOutcome(r.reason, 'refused');
    });
  });
  return gated(b, team.can.request);
}

/** Open requests of the selected prompt, with Approve / Reject for whoever may decide. */
export function requestsSection(s: RegistryState, deps: TeamDeps): HTMLElement | null {
  const team = s.team;
  if (!team || (!team.requests.length && !Object.keys(team.approvalAliases).length)) return null;
  const list = el('ul', { id: 'requests', class: 'requests' });
  for (const r of team.requests) {
    const approvals = r.decisions.filter((d) => d.verdict === 'approve').length;
    const note = el('input', { type: 'text', class: 'decision-note', 'aria-label': `Note for request ${r.id}`, placeholder: 'Note (required)' });
    const own = r.requester === team.actor;
    const gateFor = (verdict: 'approve' | 'reject'): Gate => {
      if (own) return { ok: false, why: `This is your request (${team.actor}): another user with MANAGE on '${s.selected}' must ${verdict} it.` };
      if (verdict === 'approve' && r.stale) return { ok: false, why: `Stale: ${r.stale}. It can only be rejected.` };
      return team.can.approve;
    };
    const decide = (verdict: 'approve' | 'reject') => {
      const b = el('vscode-button', { class: `decide-${verdict}`, ...(verdict === 'reject' ? { secondary: true } : {}) }, verdict === 'approve' ? 'Approve' : 'Reject');
      b.addEventListener('click', () => {
        if (b.hasAttribute('disabled')) return;
        if (!note.value.trim()) { deps.showOutcome(`A note is required to ${verdict}.`, 'refused'); note.focus(); return; }
        void deps.withBusy(verdict === 'approve' ? 'Approving…' : 'Rejecting…', async () => {
          const res = await deps.client.request({ type: verdict === 'approve' ? 'approveRequest' : 'rejectRequest', name: s.selected!, requestId: r.id, note: note.value }, decisionResultSchema);
          if (!res.ok) deps.showOutcome(res.reason, 'refused');
          else deps.showOutcome(res.moved ? `Approved: ${r.alias} → v${r.version} (requested by ${r.requester}).` : verdict === 'reject' ? `Rejected request ${r.id}.` : `Approval recorded (${approvals + 1} of ${r.required}).`, 'ok');
        });
      });
      return gated(b, gateFor(verdict));
    };
    list.appendChild(el('li', { 'data-request': r.id, class: r.stale ? 'stale' : '' },
      el('strong', {}, `${r.alias} → v${r.version}`), ` (from ${r.from ? `v${r.from}` : 'unset'}) requested by `, el('strong', { class: 'requester' }, r.requester),
      ` · ${new Date(r.requestedAt).toLocaleString()} · ${approvals}/${r.required} approvals`,
      r.evidenceRunId ? ` · evidence ${r.evidenceRunId.slice(0, 8)}` : '',
      el('div', {}, el('q', {}, r.note)),
      r.stale ? el('div', { class: 'outcome refused' }, `⛔ Stale: ${r.stale}`) : null,
      el('div', { class: 'form-row' }, note, decide('approve'), decide('reject'))));
  }
  return el('section', { id: 'approvals', 'aria-label': 'Approval requests' }, el('h2', {}, 'Approval requests'),
    team.requests.length ? list : el('p', { class: 'muted' }, 'No open requests.'));
}
