// An eval of a file pulled from the registry links its run to that registry version
// (mlflow.linkedPrompts), though the file's text was generated and has no content-hash tag.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findRegisteredPromptVersion } from '../../../src/core/eval/runLinks';
import { normalizedContentHash } from '../../../src/core/prompts/contentHash';
import { planPull } from '../../../src/core/registry/promptFileRegistration';
import { registerPrompt } from '../../../src/core/registry/promptStore';
import { openEmbeddedStore } from '../../../src/core/tracking/local/embeddedStore';

describe('registry link of a pulled prompt file', () => {
  it('finds the version by its MLflow form, and not once the file says something else', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-link-'));
    const store = await openEmbeddedStore(path.join(dir, '.promptledger'));
    try {
      await registerPrompt(store, 'greeter', { type: 'text', template: 'old {{ x }}' });
      await registerPrompt(store, 'greeter', { type: 'chat', messages: [{ role: 'system', content: 'Greet {{ name }}.' }], modelConfig: { temperature: 0.1 } });
      const plan = await planPull(store, 'greeter', { version: '2' }, { root: dir });
      const file = { text: plan.text, path: 'prompts/greeter.prompty' };
      assert.deepEqual(await findRegisteredPromptVersion(store, 'greeter', normalizedContentHash(plan.text), file), { name: 'greeter', version: '2' });
      const edited = plan.text.replace('Greet', 'Welcome');
      assert.equal(await findRegisteredPromptVersion(store, 'greeter', normalizedContentHash(edited), { ...file, text: edited }), undefined);
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
