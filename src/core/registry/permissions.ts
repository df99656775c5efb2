// Who is acting on the registry and what they may do. On an MLflow server with users (its
// basic-auth app) the actor is the signed-in user and the grants come from its permissions API;
// where no grant names a resource, only the server's default permission applies, which the API
// does not tell — that case is learned from the 403s the server gives (PermissionMemo).
// Without users (embedded store, server without auth) the actor is the git author and every
// action is allowed. Refusals name the grant that would fix them and how to switch user.
import type { PermissionGrant, ServerAuth, TrackingStore } from '../tracking/types';
import { isTrackingError } from '../tracking/types';

export type Need = 'read' | 'edit' | 'manage';
export type ResourceType = 'prompt' | 'experiment';
export interface Resource { type: ResourceType; id: string }

/** MLflow's permission names, lowest first; DENY vetoes everything. */
const RANK: Record<string, number> = { DENY: -1, NO_PERMISSIONS: 0, READ: 1, USE: 2, EDIT: 3, MANAGE: 4 };
const NEEDED: Record<Need, { level: string; rank: number }> = {
  read: { level: 'READ', rank: 1 }, edit: { level: 'EDIT', rank: 3 }, manage: { level: 'MANAGE', rank: 4 },
};

export interface Access {
  /** Name in the audit trail: the MLflow user when the server has users, else the git author. */
  actor: string;
  /** Present when the server enforces users. */
  auth?: ServerAuth;
  /** How to sign in as someone else, named in refusals (the VS Code command or the env vars). */
  switchUserHint: string;
  /** Denials the server gave earlier in this session. */
  memo?: PermissionMemo;
}

export type Verdict = { ok: true } | { ok: false; reason: string };

export async function resolveAccess(store: TrackingStore, fallbackActor: string, switchUserHint: string, memo?: PermissionMemo): Promise<Access> {
  const auth = await store.serverAuth?.();
  return { actor: auth?.username ?? fallbackActor, auth, switchUserHint, memo };
}

/** The user's permission on a resource from the grants: admin, exact grant, then '*'; undefined = server default. */
export function grantedPermission(auth: ServerAuth, r: Resource): string | undefined {
  if (auth.isAdmin) return 'MANAGE';
  const of = (g: PermissionGrant[]) => g.some((x) => x.permission === 'DENY') ? 'DENY' : g.map((x) => x.permission).sort((a, b) => (RANK[b] ?? 0) - (RANK[a] ?? 0))[0];
  const exact = auth.grants.filter((g) => g.resourceType === r.type && g.pattern === r.id);
  if (exact.length) return of(exact);
  const wildcard = auth.grants.filter((g) => g.resourceType === r.type && g.pattern === '*');
  return wildcard.length ? of(wildcard) : undefined;
}

/**
 * Whether `access` may do something needing `need` on `r`. `strict` (used for MANAGE, which the
 * server itself never checks for our writes) refuses when no grant says so.
 */
export function check(access: Access, need: Need, r: Resource, what: string, opts: { strict?: boolean } = {}): Verdict {
  const learned = access.memo?.denied(r, need);
  if (learned) return { ok: false, reason: learned };
  const auth = access.auth;
  if (!auth) return { ok: true };
  const has = grantedPermission(auth, r);
  const want = NEEDED[need];
  if (has !== undefined && (RANK[has] ?? 0) >= want.rank) return { ok: true };
  if (has === undefined && !opts.strict) return { ok: true }; // the server's default decides; a 403 will tell
  return { ok: false, reason: refusal(access, auth.username, has, want.level, r, what) };
}

export function refusal(access: Access, username: string, has: string | undefined, level: string, r: Resource, what: string): string {
  const holds = has === undefined ? 'has no grant on' : `has ${has} on`;
  const label = r.type === 'prompt' ? `prompt '${r.id}'` : `experiment ${r.id}`;
  const body = JSON.stringify({ username, resource_type: r.type, resource_id: r.id, permission: level });
  return `You are signed in to MLflow as '${username}', who ${holds} ${label}; ${what} needs ${level}. `
    + `An MLflow admin can grant it (POST /api/3.0/mlflow/users/permissions/grant ${body}), or sign in as another user: ${access.switchUserHint}.`;
}

/** Remembers what the server refused (403) so the same action shows as unavailable, with why. */
export class PermissionMemo {
  private readonly refused = new Map<string, string>();
  private key(r: Resource, need: Need): string { return `${r.type}\u0000${r.id}\u0000${need}`; }

  denied(r: Resource, need: Need): string | undefined {
    // A denial of a lower need implies the higher ones are denied too.
    for (const n of ['read', 'edit', 'manage'] as Need[]) {
      const hit = this.refused.get(this.key(r, n));
      if (hit) return hit;
      if (n === need) break;
    }
    return undefined;
  }

  /** Call with the error of a write; records it when it is a 403 and returns whether it was. */
  learn(e: unknown, r: Resource, need: Need, access: Access, what: string): boolean {
    if (!isTrackingError(e, 'PERMISSION_DENIED')) return false;
    const who = access.auth?.username ?? access.actor;
    this.refused.set(this.key(r, need), refusal(access, who, access.auth ? grantedPermission(access.auth, r) : undefined, NEEDED[need].level, r, what));
    return true;
  }

  clear(): void { this.refused.clear(); }
}

/** A 403 from a write as the refusal that names the fix (remembered in the memo); other errors rethrow. */
export function learnDenial(e: unknown, r: Resource, access: Access, what: string, need: Need = 'edit'): string {
  if (!isTrackingError(e, 'PERMISSION_DENIED')) throw e;
  const memo = access.memo ?? new PermissionMemo();
  memo.learn(e, r, need, access, what);
  return memo.denied(r, need)!;
}
