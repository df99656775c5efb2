// In a real VS Code (code-server + Chromium): a suite whose dataset has a row without the
// template's variable shows `3 cases · 2 problems` above its first line; clicking it opens the
// Problems panel, which lists the problem under the dataset file at its JSONL line, and clicking
// the problem puts the cursor on that line. Screenshots go to test-output/e2e/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openFile, screenshotDir, useWorkbench } from '../helpers/codeServer';
import { makeExampleWorkspace } from '../helpers/exampleWorkspace';

const SUITE = 'prompt: prompts/summarize.prompty\ndataset: datasets/typo.jsonl\nmodels:\n  - provider: echo\nscorers:\n  - type: contains\n    value: release\n';
const DATASET = [
  '{"id": "a", "vars": {"text": "Alpha release is out."}}',
  '{"id": "b", "vars": {"text": "Beta release is delayed."}}',
  '{"id": "c", "vars": {"txt": "Gamma has a typo in its column name."}}',
].join('\n') + '\n';

describe('Validate before spending in the real VS Code UI', function () {
  const ui = useWorkbench({
    workspace: () => {
      const ws = makeExampleWorkspace();
      fs.writeFileSync(path.join(ws.dir, 'typo.eval.yaml'), SUITE);
      fs.writeFileSync(path.join(ws.dir, 'datasets', 'typo.jsonl'), DATASET);
      return ws;
    },
    failureShot: 'validation-failure.png',
  });
  const shots = screenshotDir('e2e');

  it('suite CodeLens counts the problems; the Problems panel shows the dataset row at its line', async () => {
    const { page } = ui;
    await openFile(page, 'typo.eval.yaml');
    const lens = page.locator('.codelens-decoration a', { hasText: '3 cases · 2 problems' }).first();
    await lens.waitFor({ timeout: 30_000 });
    await lens.click();

    const panel = page.locator('.markers-panel');
    await panel.waitFor({ timeout: 15_000 });
    const fileRow = panel.locator('.monaco-list-row', { hasText: 'typo.jsonl' }).first();
    await fileRow.waitFor({ timeout: 15_000 });
    const problem = panel.locator('.monaco-list-row', { hasText: 'case c: no value for' }).first();
    await problem.waitFor({ timeout: 15_000 });
    const text = await problem.innerText();
    assert.match(text, /no value for `text`, which the template needs/);
    assert.match(text, /\[Ln 3, Col 1\]/);
    assert.ok(await panel.locator('.monaco-list-row', { hasText: '`txt` is not used by the prompt' }).count() > 0, 'the unused column is listed too');
    await page.screenshot({ path: path.join(shots, 'validation-problems-panel.png') });

    // Clicking the problem opens the dataset with the row selected (the problem's range is the line).
    await problem.click();
    await page.locator('.tab.active[data-resource-name="typo.jsonl"]').waitFor({ timeout: 15_000 });
    await page.locator('.statusbar-item', { hasText: /Ln 3, Col \d+ \(\d+ selected\)/ }).first().waitFor({ timeout: 15_000 });
    await page.mouse.move(700, 300);
    await page.screenshot({ path: path.join(shots, 'validation-dataset-line.png') });
  });
});
