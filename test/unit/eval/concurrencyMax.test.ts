// One documented maximum for an eval's concurrency, held the same by the suite schema, the
// editor setting (package.json) and the JSON Schema the YAML extension reads.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { validateSuiteText } from '../../../src/core/eval/suiteLoader';
import { MAX_CONCURRENCY } from '../../../src/core/eval/suiteSchema';
import { evalSuiteJsonSchema } from '../../../src/core/eval/suiteJsonSchema';

const root = path.resolve(__dirname, '../../..');
const suite = (n: number) => `prompt: p.md\ndataset: cases.jsonl\nconcurrency: ${n}\n`;

describe('eval concurrency maximum', () => {
  it('is at least 1,024', () => {
    assert.ok(MAX_CONCURRENCY >= 1024);
  });

  it('a suite may ask for the maximum but not one more, with the line of the bad value', () => {
    const errors = (n: number) => validateSuiteText(suite(n), '/x/demo.eval.yaml').filter((d) => d.severity === 'error' && d.line === 3);
    assert.deepEqual(errors(MAX_CONCURRENCY), []);
    const bad = errors(MAX_CONCURRENCY + 1);
    assert.equal(bad.length, 1, JSON.stringify(validateSuiteText(suite(MAX_CONCURRENCY + 1), '/x/demo.eval.yaml')));
    assert.equal(bad[0]!.line, 3);
  });

  it('the promptLedger.eval.concurrency setting and the JSON Schema have the same maximum', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    assert.equal(pkg.contributes.configuration.properties['promptLedger.eval.concurrency'].maximum, MAX_CONCURRENCY);
    const props = (evalSuiteJsonSchema().properties as Record<string, { maximum?: number }>);
    assert.equal(props.concurrency!.maximum, MAX_CONCURRENCY);
  });
});
