import assert from 'node:assert/strict';
import { main } from '../../src/cli/main';

describe('cli', () => {
  it('prints its version', async () => {
    assert.equal(await main(['--version']), 0);
  });
  it('exits 2 on an unknown command', async () => {
    assert.equal(await main(['frobnicate']), 2);
  });
});
