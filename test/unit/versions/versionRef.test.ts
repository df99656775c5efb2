import assert from 'node:assert/strict';
import { findVersion, formatVersionRef, parseVersionRef } from '../../../src/core/versions/versionRef';
import type { PromptVersionEntry } from '../../../src/core/versions/history';

describe('parseVersionRef', () => {
  it('tells versions, commits and aliases apart', () => {
    assert.deepEqual(parseVersionRef('summarize.prompty@v3'), { path: 'summarize.prompty', selector: { kind: 'version', version: 3 } });
    assert.deepEqual(parseVersionRef('summarize.prompty@3'), { path: 'summarize.prompty', selector: { kind: 'version', version: 3 } });
    assert.deepEqual(parseVersionRef('p/summarize.prompty@3F2A9C1'), { path: 'p/summarize.prompty', selector: { kind: 'commit', commit: '3f2a9c1' } });
    assert.deepEqual(parseVersionRef('summarize@production'), { path: 'summarize', selector: { kind: 'alias', alias: 'production' } });
    assert.deepEqual(parseVersionRef('summarize.prompty'), { path: 'summarize.prompty' });
    assert.deepEqual(parseVersionRef('@scope/x@v2'), { path: '@scope/x', selector: { kind: 'version', version: 2 } });
  });
  it('round-trips through formatVersionRef', () => {
    for (const s of ['a.prompty@v3', 'a.prompty@3f2a9c1', 'a@staging']) {
      const r = parseVersionRef(s);
      assert.equal(formatVersionRef(r.path, r.selector!), s);
    }
  });
  it('finds the history entry for a selector', () => {
    const entry = (version: number, commit: string): PromptVersionEntry =>
      ({ version, commit, shortCommit: commit.slice(0, 7), author: '', date: '', subject: '', pathAtCommit: 'a' });
    const history = [entry(2, 'bbbbbbbbbb'), entry(1, 'aaaaaaaaaa')];
    assert.equal(findVersion(history, { kind: 'version', version: 1 })?.commit, 'aaaaaaaaaa');
    assert.equal(findVersion(history, { kind: 'commit', commit: 'bbbb' })?.version, 2);
    assert.equal(findVersion(history, { kind: 'alias', alias: 'production' }), undefined);
  });
});
