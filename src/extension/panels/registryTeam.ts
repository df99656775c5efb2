// Host side of the registry panel's team part, free of VS Code: the signed-in user, what they may
// do on the selected prompt (each refusal worded for a tooltip), open requests, and the
// request/approve/reject messages. Refusals before any write; 403s are remembered per session.
import { approvalsRequired, approveRequest, openRequests, rejectRequest, requestAliasMove } from '../../core/registry/approvals';
import { check, PermissionMemo, resolveAccess, type Access } from '../../core/registry/permissions';
import type { Governance } from '../../core/registry/promptRegistry';
import type { TrackingStore } from '../../core/tracking/types';
import type { Gate, RequestViewMessage, TeamState, TeamToHost } from '../../protocol/registryTeamProtocol';
import type { RegistryResults } from '../../protocol/registryProtocol';
import type { RequestView } from '../../core/registry/approvals';

// The protocol's request shape is core's (checked here: the webview bundle must not import core's node code).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const requestMatchesCore: Same<RequestViewMessage, RequestView> = true;

export interface TeamOptions {
  governance: Governance;
  /** The git author: the actor when the server has no users. */
  author: string;
  /** How to sign in as someone else (named in refusals). */
  switchUserHint: string;
}

export class RegistryTeam {
  private readonly memo = new PermissionMemo();
  private access: Access | undefined;

  constructor(private readonly store: TrackingStore, private readonly opts: TeamOptions) {}

  /** Who acts; read once per refresh so grants changed by an admin show up. */
  async currentAccess(fresh = false): Promise<Access> {
    if (!this.access || fresh) this.access = await resolveAccess(this.store, this.opts.author, this.opts.switchUserHint, this.memo);
    return this.access;
  }

  async state(selected: string | null): Promise<TeamState> {
    const approvalAliases = this.opts.governance.approvals ?? {};
    let access: Access;
    try { access = await this.currentAccess(true); } catch (e) {
      const why = (e as Error).message;
      const no: Gate = { ok: false, why };
      return { actor: this.opts.author, signedIn: false, isAdmin: false, approvalAliases, can: { register: no, move: no, request: no, approve: no }, requests: [], problem: why };
    }
    const gate = (need: 'edit' | 'manage', what: string, strict = false): Gate => {
      if (!selected) return { ok: true };
      const v = check(access, need, { type: 'prompt', id: selected }, what, { strict });
      return v.ok ? { ok: true } : { ok: false, why: v.reason };
    };
    return {
      actor: access.actor,
      signedIn: !!access.auth,
      isAdmin: access.auth?.isAdmin ?? false,
      approvalAliases,
      can: {
        register: gate('edit', 'registering a version'),
        move: gate('edit', 'moving an alias'),
        request: gate('edit', 'requesting an alias move'),
        approve: gate('manage', 'approving or rejecting a request', true),
      },
      requests: selected ? await openRequests(this.store, selected) : [],
    };
  }

  async handle(msg: TeamToHost): Promise<RegistryResults[TeamToHost['type']]> {
    const access = await this.currentAccess(true);
    const governance = this.opts.governance;
    if (msg.type === 'requestAlias') {
      if (approvalsRequired(governance, msg.alias) < 1) return { ok: false, reason: `'${msg.alias}' needs no approval; use Move alias.` };
      return requestAliasMove(this.store, { name: msg.name, alias: msg.alias, version: msg.version, note: msg.note, evidenceRunId: msg.evidenceRunId, governance, access });
    }
    const input = { name: msg.name, requestId: msg.requestId, note: msg.note, governance, access };
    return msg.type === 'approveRequest' ? approveRequest(this.store, input) : rejectRequest(this.store, input);
  }
}

export function isTeamMessage(msg: { type: string }): msg is TeamToHost {
  return msg.type === 'requestAlias' || msg.type === 'approveRequest' || msg.type === 'rejectRequest';
}
