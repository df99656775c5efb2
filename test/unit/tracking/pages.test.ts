import assert from 'node:assert/strict';
import { allItems, eachItem } from '../../../src/core/tracking/pages';

/** Three pages of two items; records which tokens were asked for. */
function pager() {
  const asked: (string | undefined)[] = [];
  const pages: Record<string, { items: number[]; nextPageToken?: string }> = { '': { items: [1, 2], nextPageToken: 'b' }, b: { items: [3, 4], nextPageToken: 'c' }, c: { items: [5] } };
  return { asked, fetch: async (token: string | undefined) => { asked.push(token); return pages[token ?? '']; } };
}

describe('paging through store searches', () => {
  it('follows next_page_token to the last page', async () => {
    const p = pager();
    assert.deepEqual(await allItems(p.fetch), [1, 2, 3, 4, 5]);
    assert.deepEqual(p.asked, [undefined, 'b', 'c']);
  });
  it('stops asking once the limit is reached', async () => {
    const p = pager();
    assert.deepEqual(await allItems(p.fetch, 3), [1, 2, 3]);
    assert.deepEqual(p.asked, [undefined, 'b']);
  });
  it('iterates lazily', async () => {
    const p = pager();
    for await (const x of eachItem(p.fetch)) if (x === 2) break;
    assert.deepEqual(p.asked, [undefined]);
  });
});
