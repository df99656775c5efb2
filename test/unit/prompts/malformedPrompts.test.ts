import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parsePromptFile } from '../../../src/core/prompts/promptFile';
import type { ParsedPrompt, PromptDiagnostic } from '../../../src/core/prompts/promptTypes';

const dir = join(__dirname, '../../fixtures/prompts/malformed');

function parseFixture(file: string): ParsedPrompt {
  return parsePromptFile(readFileSync(join(dir, file), 'utf8'), `prompts/${file}`);
}

interface Expected {
  file: string;
  code: string;
  severity: PromptDiagnostic['severity'];
  line: number;
  column: number;
  /** A fragment the message must contain (what to fix). */
  says: string;
}

// Positions are 0-based over the whole file (frontmatter delimiters included).
const cases: Expected[] = [
  { file: 'bad-yaml.prompty', code: 'yaml-syntax', severity: 'error', line: 5, column: 0, says: 'Flow sequence' },
  { file: 'duplicate-key.prompty', code: 'yaml-syntax', severity: 'error', line: 2, column: 0, says: 'unique' },
  { file: 'unterminated-frontmatter.prompty', code: 'unterminated-frontmatter', severity: 'error', line: 0, column: 0, says: "add a line containing only '---'" },
  { file: 'unterminated-plus.prompty', code: 'unterminated-frontmatter', severity: 'error', line: 0, column: 0, says: "'+++'" },
  { file: 'not-an-object.md', code: 'frontmatter-not-object', severity: 'error', line: 1, column: 0, says: 'it is a list' },
  { file: 'wrong-type-v1.prompty', code: 'wrong-type', severity: 'error', line: 5, column: 4, says: "'model.parameters.temperature': expected a number" },
  { file: 'wrong-type-v1.prompty', code: 'wrong-type', severity: 'error', line: 6, column: 4, says: 'whole number (found 12.5)' },
  { file: 'wrong-type-v2.prompty', code: 'wrong-type', severity: 'error', line: 8, column: 4, says: '"strng"' },
  { file: 'wrong-type-v2.prompty', code: 'wrong-type', severity: 'error', line: 9, column: 4, says: 'true or false' },
  { file: 'crlf-wrong-type.prompty', code: 'wrong-type', severity: 'error', line: 5, column: 4, says: '"warm"' },
  { file: 'unknown-field-v1.prompty', code: 'unknown-field', severity: 'warning', line: 2, column: 0, says: "Did you mean 'description'?" },
  { file: 'unknown-field-v1.prompty', code: 'unknown-field', severity: 'warning', line: 5, column: 2, says: "'temprature' in 'model'" },
  { file: 'unknown-field-v1.prompty', code: 'unknown-field', severity: 'warning', line: 9, column: 4, says: "Did you mean 'sample'?" },
  { file: 'bom-unknown-field.prompty', code: 'unknown-field', severity: 'warning', line: 2, column: 0, says: "'flavour'" },
  { file: 'undeclared-variable.prompty', code: 'undeclared-variable', severity: 'warning', line: 7, column: 9, says: "Did you mean 'name'?" },
  { file: 'unused-input.md', code: 'unused-input', severity: 'warning', line: 4, column: 10, says: "Input 'tone' is declared but never used" },
  { file: 'unclosed-expression.prompty', code: 'template-syntax', severity: 'error', line: 8, column: 0, says: "add '}}'" },
  { file: 'unclosed-block.prompty', code: 'template-syntax', severity: 'error', line: 6, column: 0, says: "add '{% endif %}'" },
  { file: 'mismatched-end.md', code: 'template-syntax', severity: 'error', line: 3, column: 0, says: "'{% endfor %}' was expected (for the '{% for %}' on line 2)" },
  { file: 'bad-expression.txt', code: 'template-syntax', severity: 'error', line: 0, column: 12, says: 'unexpected token' },
  { file: 'unclosed-comment.md', code: 'template-syntax', severity: 'error', line: 1, column: 0, says: "add '#}'" },
  { file: 'mustache-unclosed-section.prompty', code: 'template-syntax', severity: 'error', line: 6, column: 0, says: "add '{{/items}}'" },
  { file: 'mustache-partial.prompty', code: 'template-syntax', severity: 'error', line: 7, column: 0, says: "partial '{{> footer}}' is not supported" },
  { file: 'mixed-version.prompty', code: 'mixed-version', severity: 'info', line: 4, column: 2, says: "spells it 'options'" },
];

describe('prompts: malformed corpus', () => {
  for (const c of cases) {
    it(`${c.file} → ${c.code} at ${c.line}:${c.column}`, () => {
      const parsed = parseFixture(c.file);
      const hit = parsed.diagnostics.find((d) => d.code === c.code && d.line === c.line && d.column === c.column);
      assert.ok(hit, `expected ${c.code} at ${c.line}:${c.column}, got ${JSON.stringify(parsed.diagnostics, null, 1)}`);
      assert.equal(hit.severity, c.severity);
      assert.ok(hit.message.includes(c.says), `message "${hit.message}" should include "${c.says}"`);
    });
  }

  it('every fixture is covered by an expectation and reports nothing unexpected', () => {
    for (const file of readdirSync(dir)) {
      const expected = cases.filter((c) => c.file === file);
      assert.ok(expected.length > 0, `no expectation for ${file}`);
      const parsed = parseFixture(file);
      const unexpected = parsed.diagnostics.filter((d) => !expected.some((c) => c.code === d.code && c.line === d.line && c.column === d.column));
      assert.deepEqual(unexpected, [], file);
    }
  });

  it('undeclared variables are reported at every usage, mapped to file lines', () => {
    const parsed = parseFixture('undeclared-variable.prompty');
    const d = parsed.diagnostics.find((x) => x.code === 'undeclared-variable');
    assert.ok(d);
    assert.deepEqual([d.line, d.column, d.endLine, d.endColumn], [7, 9, 7, 13]);
    const text = readFileSync(join(dir, 'undeclared-variable.prompty'), 'utf8').split('\n');
    assert.equal(text[d.line].slice(d.column, d.endColumn), 'nmae');
  });

  it('never throws and keeps every range inside the file, even for mangled input', () => {
    // Deterministic mutations (delete/duplicate/insert syntax characters) of every fixture and example.
    const sources = [...readdirSync(dir).map((f) => join(dir, f)), ...readdirSync(join(__dirname, '../../../examples/prompts')).map((f) => join(__dirname, '../../../examples/prompts', f))];
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const noise = ['{{', '}}', '{%', '%}', ':', '\n', '---\n', '- ', '"', '[', '\t', '\uFEFF', '\r\n'];
    for (const path of sources) {
      const original = readFileSync(path, 'utf8');
      for (let round = 0; round < 25; round++) {
        let text = original;
        for (let edit = 0; edit < 3; edit++) {
          const at = Math.floor(random() * (text.length + 1));
          text = random() < 0.5 ? text.slice(0, at) + noise[Math.floor(random() * noise.length)] + text.slice(at) : text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 5));
        }
        const name = path.endsWith('.prompty') ? 'x.prompty' : 'prompts/x.md';
        const parsed = parsePromptFile(text, name);
        const lineCount = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/).length;
        for (const d of parsed.diagnostics) {
          assert.notEqual(d.code, 'internal', `${d.message}\n--- input ---\n${text}`);
          assert.ok(d.line >= 0 && d.line < lineCount && d.endLine >= d.line && d.endLine < lineCount, `range ${JSON.stringify(d)} outside ${lineCount} lines`);
          assert.ok(d.column >= 0 && (d.endLine > d.line || d.endColumn >= d.column), JSON.stringify(d));
        }
      }
    }
  });
});
