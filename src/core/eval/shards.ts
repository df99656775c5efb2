// `--shard i/n --group <id>`: which rows of a run one shard takes. A case belongs to shard
// (caseIndex mod n) + 1, with all its repeats, so the slice depends only on the dataset's order:
// every machine computes the same slices, the shards together cover each case exactly once, and
// sizes differ by at most one case.

export interface ShardSpec {
  /** 1-based. */
  index: number;
  count: number;
  /** Shared by every shard of one eval (e.g. the CI pipeline id): how they find their parent run. */
  group: string;
}

export const MAX_SHARDS = 1000;
const GROUP_ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}$/;

/** `2/4` → {index: 2, count: 4}; throws with what is wrong. */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new Error(`--shard takes i/n (this shard's number and how many there are), e.g. 2/4; got '${text}'`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > MAX_SHARDS) throw new Error(`--shard ${text}: the number of shards must be 1..${MAX_SHARDS}`);
  if (index < 1 || index > count) throw new Error(`--shard ${text}: the shard number must be 1..${count}`);
  return { index, count };
}

export function checkGroupId(group: string): string {
  if (!GROUP_ID.test(group)) throw new Error(`--group '${group}': use letters, digits and . _ : / - (up to 200), e.g. the CI pipeline id`);
  return group;
}

export function shardLabel(s: Pick<ShardSpec, 'index' | 'count'>): string {
  return `${s.index}/${s.count}`;
}

export function caseInShard(caseIndex: number, s: Pick<ShardSpec, 'index' | 'count'>): boolean {
  return caseIndex % s.count === s.index - 1;
}

/** Row indexes (caseIndex × repeat + sample) of this shard, ascending. */
export function* shardRows(totalRows: number, repeat: number, s: Pick<ShardSpec, 'index' | 'count'> | undefined): Iterable<number> {
  for (let i = 0; i < totalRows; i++) if (!s || caseInShard(Math.floor(i / repeat), s)) yield i;
}

/** How many rows of `totalRows` the shard has. */
export function shardRowCount(totalRows: number, repeat: number, s: Pick<ShardSpec, 'index' | 'count'> | undefined): number {
  if (!s) return totalRows;
  const cases = totalRows / repeat;
  const mine = Math.floor(cases / s.count) + (s.index - 1 < cases % s.count ? 1 : 0);
  return mine * repeat;
}
