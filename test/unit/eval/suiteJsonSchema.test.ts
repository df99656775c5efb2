import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import YAML from 'yaml';
import { evalSuiteJsonSchema, evalSuiteJsonSchemaText } from '../../../src/core/eval/suiteJsonSchema';

const root = path.resolve(__dirname, '../../..');
const schemaFile = path.join(root, 'media/schemas/eval-suite.schema.json');

describe('eval suite JSON Schema', () => {
  it('media/schemas/eval-suite.schema.json is in sync with the zod schema', () => {
    const text = evalSuiteJsonSchemaText();
    if (process.env.UPDATE_SCHEMAS === '1') fs.writeFileSync(schemaFile, text);
    assert.equal(fs.readFileSync(schemaFile, 'utf8'), text, 'regenerate with UPDATE_SCHEMAS=1 npx mocha --config test/.mocharc.unit.json');
  });

  it('accepts the example suites and rejects an unknown key', () => {
    const validate = new Ajv2020({ strict: false, validateFormats: false }).compile(evalSuiteJsonSchema());
    for (const f of ['summarize.eval.yaml', 'classify.eval.yaml']) {
      const data = YAML.parse(fs.readFileSync(path.join(root, 'examples', f), 'utf8'));
      assert.ok(validate(data), `${f}: ${JSON.stringify(validate.errors)}`);
    }
    assert.equal(validate({ prompt: 'a', dataset: 'b.jsonl', bogus: 1 }), false);
  });
});
