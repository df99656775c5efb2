// The alias audit trail, stored on the server as registered-model tags so every client sees it.
// Budget: MLflow validates registry tag values up to 100,000 characters, but its SQL schema
// (mlflow/store/model_registry/dbmodels/models.py, SqlRegisteredModelTag.value = String(5000))
// makes PostgreSQL/MySQL refuse anything over 5,000. So `promptledger.audit` holds the newest
// entries as a JSON list of at most AUDIT_TAG_BUDGET characters; when the next entry would
// overflow it, the current list is first copied to `promptledger.audit.<n>` (n = 1, 2, … oldest
// first) and the live tag restarts with the new entry. Readers concatenate .1, .2, …, then the live
// tag, dropping exact duplicates (a crash between the two writes leaves one copy in each).
import type { Tag } from '../tracking/types';
import { TAG } from './registryTags';

export const AUDIT_TAG_BUDGET = 5000;
export const MAX_NOTE_LENGTH = 1000;
export const MAX_AUTHOR_LENGTH = 200;

export interface AuditEntry {
  /** ISO 8601 time of the change. */
  at: string;
  author: string;
  /** request/approve/reject: the two-person approval of a governed alias (approvals.ts). */
  action: 'move' | 'rollback' | 'delete' | 'request' | 'approve' | 'reject';
  alias: string;
  /** Version the alias pointed to before, null when the alias was new. */
  from: string | null;
  /** Version the alias points to after, null when deleted. */
  to: string | null;
  note: string;
  evidenceRunId: string | null;
  /** The approval request this entry belongs to. */
  requestId?: string;
  /** On a move that an approval made: who asked for it. */
  requestedBy?: string;
}

const ARCHIVE_KEY = new RegExp(`^${TAG.audit.replace(/\./g, '\\.')}\\.(\\d+)$`);

export function readAuditTags(tags: Tag[]): AuditEntry[] {
  const archives = tags
    .flatMap((t) => { const m = ARCHIVE_KEY.exec(t.key); return m ? [{ n: Number(m[1]), value: t.value }] : []; })
    .sort((a, b) => a.n - b.n);
  const live = tags.find((t) => t.key === TAG.audit)?.value;
  const seen = new Set<string>();
  const out: AuditEntry[] = [];
  for (const value of [...archives.map((a) => a.value), live]) {
    for (const e of parseList(value)) {
      const id = JSON.stringify(e);
      if (!seen.has(id)) { seen.add(id); out.push(e); }
    }
  }
  return out;
}

/** The tag writes (in order) that append `entry`; archive first so a crash never loses entries. */
export function planAuditAppend(tags: Tag[], entry: AuditEntry): Tag[] {
  const liveValue = tags.find((t) => t.key === TAG.audit)?.value;
  const live = parseList(liveValue);
  const appended = JSON.stringify([...live, entry]);
  if (appended.length <= AUDIT_TAG_BUDGET) return [{ key: TAG.audit, value: appended }];
  const single = JSON.stringify([entry]);
  if (single.length > AUDIT_TAG_BUDGET) {
    throw new Error(`Audit entry is ${single.length} characters, over the ${AUDIT_TAG_BUDGET}-character tag limit; shorten the note`);
  }
  const next = 1 + Math.max(0, ...tags.flatMap((t) => { const m = ARCHIVE_KEY.exec(t.key); return m ? [Number(m[1])] : []; }));
  return [
    { key: `${TAG.audit}.${next}`, value: JSON.stringify(live) },
    { key: TAG.audit, value: single },
  ];
}

function parseList(value: string | undefined): AuditEntry[] {
  if (!value) return [];
  try {
    const v = JSON.parse(value) as unknown;
    return Array.isArray(v) ? v.filter(isEntry) : [];
  } catch {
    return []; // a hand-edited, broken tag must not block alias moves; the rest of the trail still reads
  }
}

function isEntry(v: unknown): v is AuditEntry {
  const e = v as Partial<AuditEntry>;
  return !!e && typeof e === 'object' && typeof e.alias === 'string' && typeof e.at === 'string';
}
