// `prompt-ledger prompt promote|approve|reject|requests`: governed alias moves from a terminal or
// CI, under the same rules as the editor (the workspace's .vscode/settings.json), acting as the
// MLflow user of MLFLOW_TRACKING_USERNAME/PASSWORD or MLFLOW_TRACKING_TOKEN.
import { approvalsRequired, approveRequest, openRequests, rejectRequest, requestAliasMove, type DecisionResult } from '../core/registry/approvals';
import type { AuditEntry } from '../core/registry/auditLog';
import { currentAuthor } from '../core/registry/author';
import { readWorkspaceGovernance } from '../core/registry/governanceSettings';
import { resolveAccess, type Access } from '../core/registry/permissions';
import { moveAlias } from '../core/registry/promptRegistry';
import type { TrackingStore } from '../core/tracking/types';
import { EXIT, type CliIo } from './evalCommand';

/** The alias needs approval: a request was opened, the alias did not move yet. */
export const EXIT_PENDING = 3;
export const CLI_SWITCH_USER_HINT = 'set MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD (or MLFLOW_TRACKING_TOKEN) to that user';

export const APPROVAL_USAGE = `  prompt-ledger prompt promote <name> --to <alias> --version V [--evidence <run-id>] --note N
  prompt-ledger prompt approve|reject <name> <request-id> --note N
  prompt-ledger prompt requests <name>

promote   moves the alias to version V under the workspace's governance (.vscode/settings.json:
          promptLedger.governance.*). Where the alias needs a passing eval, --evidence names the
          run; where it needs approval, a request is opened for another user to approve.
approve   approves an open request (needs MANAGE on the prompt; not your own request); the last
          approval needed moves the alias. reject closes it. Both print the audit entry.
requests  open requests of a prompt, with the reason a request went stale.
`;

export const APPROVAL_EXITS = 'promote: 0 moved (prints the audit entry), 1 refused (the reason), 3 approval requested.';

export interface ApprovalValues { to?: string; version?: string; evidence?: string; note?: string }

export async function approvalCommand(sub: string, store: TrackingStore, positionals: string[], values: ApprovalValues, io: CliIo): Promise<number | string> {
  if (sub === 'promote' && (positionals.length !== 1 || !values.to || !values.version)) return 'promote needs <name> --to <alias> --version <V> --note "why"';
  if ((sub === 'approve' || sub === 'reject') && positionals.length !== 2) return `${sub} needs <name> <request-id> --note "why"`;
  if (sub === 'requests' && positionals.length !== 1) return 'requests needs <name>';
  if (sub !== 'requests' && !values.note?.trim()) return `${sub} needs --note "why" (it goes into the audit trail)`;
  const governance = readWorkspaceGovernance(io.cwd);
  const access = await resolveAccess(store, await currentAuthor(io.cwd), CLI_SWITCH_USER_HINT);
  const name = positionals[0];
  if (sub === 'requests') return listOpen(store, name, io);
  if (sub === 'promote') return promote(store, name, values as Required<Pick<ApprovalValues, 'to' | 'version'>> & ApprovalValues, access, governance, io);
  const input = { name, requestId: positionals[1], note: values.note!, governance, access };
  const r = sub === 'approve' ? await approveRequest(store, input) : await rejectRequest(store, input);
  return decided(r, name, io);
}

async function promote(store: TrackingStore, name: string, v: ApprovalValues & { to: string; version: string }, access: Access, governance: ReturnType<typeof readWorkspaceGovernance>, io: CliIo): Promise<number> {
  const common = { name, alias: v.to, version: v.version, note: v.note!, evidenceRunId: v.evidence, governance, access, requireExplicitEvidence: true };
  if (approvalsRequired(governance, v.to) > 0) {
    const r = await requestAliasMove(store, common);
    if (!r.ok) return refused(r.reason, io);
    io.stdout.write(`${name}: '${v.to}' needs approval by another user; request ${r.request.id} opened to move it to v${v.version} as ${access.actor}.\n`);
    io.stdout.write(`audit: ${JSON.stringify(r.entry)}\n`);
    io.stdout.write(`A reviewer with MANAGE approves with: prompt-ledger prompt approve ${name} ${r.request.id} --note "…"\n`);
    return EXIT_PENDING;
  }
  const r = await moveAlias(store, { ...common, author: access.actor });
  if (!r.ok) return refused(r.reason, io);
  io.stdout.write(`${name}: @${v.to} ${r.entry.from ? `v${r.entry.from}` : 'unset'} → v${r.entry.to}\n`);
  io.stdout.write(`audit: ${JSON.stringify(r.entry)}\n`);
  return EXIT.ok;
}

function decided(r: DecisionResult, name: string, io: CliIo): number {
  if (!r.ok) return refused(r.reason, io);
  const e: AuditEntry = r.entry;
  const approvals = r.request.decisions.filter((d) => d.verdict === 'approve').length;
  io.stdout.write(r.moved
    ? `${name}: request ${r.request.id} approved; @${e.alias} ${e.from ? `v${e.from}` : 'unset'} → v${e.to} (requested by ${r.request.requester}, approved by ${e.author})\n`
    : r.request.status === 'rejected'
      ? `${name}: request ${r.request.id} rejected by ${e.author}; @${e.alias} stays where it is\n`
      : `${name}: approval ${approvals} of ${r.request.required} recorded on request ${r.request.id}\n`);
  io.stdout.write(`audit: ${JSON.stringify(e)}\n`);
  return EXIT.ok;
}

async function listOpen(store: TrackingStore, name: string, io: CliIo): Promise<number> {
  const open = await openRequests(store, name);
  if (!open.length) { io.stdout.write(`${name}: no open requests\n`); return EXIT.ok; }
  for (const r of open) {
    io.stdout.write(`${r.id}\t@${r.alias} → v${r.version}\tby ${r.requester} at ${r.requestedAt}\t${r.decisions.filter((d) => d.verdict === 'approve').length}/${r.required} approvals\t${r.stale ? `STALE: ${r.stale}` : 'open'}\t${r.note}\n`);
  }
  return EXIT.ok;
}

function refused(reason: string, io: CliIo): number {
  io.stderr.write(`refused: ${reason}\n`);
  return EXIT.thresholds;
}
