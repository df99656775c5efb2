import assert from 'node:assert/strict';
import { DEFAULT_PROMPT_GLOBS, globToRegExp, isEvalSuitePath, isPromptPath } from '../../../src/core/prompts/promptGlobs';

describe('prompts: globs', () => {
  it('claims .prompty anywhere and .md/.txt under a prompts folder at any depth', () => {
    for (const p of ['a.prompty', 'x/y/summarize.prompty', 'prompts/t.md', 'prompts/sub/t.txt', 'app/prompts/deep/er/t.md', '.\\prompts\\win.md', './prompts/dot.md']) {
      assert.ok(isPromptPath(p, DEFAULT_PROMPT_GLOBS), p);
    }
  });

  it('does not claim VS Code chat files, even inside a prompts folder', () => {
    for (const p of ['prompts/fix.prompt.md', '.github/prompts/review.prompt.md', 'prompts/style.instructions.md', 'prompts/x.chatmode.md', 'prompts/x.agent.md']) {
      assert.equal(isPromptPath(p, DEFAULT_PROMPT_GLOBS), false, p);
    }
  });

  it('does not claim other files', () => {
    for (const p of ['README.md', 'docs/t.md', 'myprompts/t.md', 'prompts/t.json', 'prompts.md', 'a.prompty.bak']) {
      assert.equal(isPromptPath(p, DEFAULT_PROMPT_GLOBS), false, p);
    }
  });

  it('supports *, ?, ** and {a,b} in custom globs', () => {
    assert.ok(globToRegExp('src/**/p?.{md,jinja}').test('src/p1.jinja'));
    assert.ok(globToRegExp('src/**/p?.{md,jinja}').test('src/a/b/p2.md'));
    assert.equal(globToRegExp('src/*.md').test('src/a/b.md'), false);
    assert.equal(globToRegExp('src/p?.md').test('src/p12.md'), false);
    assert.ok(isPromptPath('llm/templates/a.j2', ['llm/**/*.j2']));
    assert.equal(isPromptPath('llm/templates/a.j2', DEFAULT_PROMPT_GLOBS), false);
  });

  it('recognizes eval suites', () => {
    assert.ok(isEvalSuitePath('prompts/summarize.eval.yaml'));
    assert.ok(isEvalSuitePath('a\\b.eval.yml'));
    assert.equal(isEvalSuitePath('prompts/eval.yaml'), false);
    assert.equal(isEvalSuitePath('summarize.eval.json'), false);
  });
});
