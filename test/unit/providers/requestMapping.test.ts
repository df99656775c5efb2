import assert from 'node:assert/strict';
import { buildAnthropicRequest, parseAnthropicResponse } from '../../../src/core/providers/anthropicProvider';
import { createProvider } from '../../../src/core/providers/createProvider';
import { buildOpenAiRequest, parseOpenAiResponse } from '../../../src/core/providers/openAiProvider';
import { providerConfigSchema } from '../../../src/core/providers/providerConfigSchema';
import type { ProviderError } from '../../../src/core/providers/providerError';
import type { ProviderRequest } from '../../../src/core/providers/types';

const req: ProviderRequest = {
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'developer', content: 'Answer in French.' },
    { role: 'user', content: 'Hi' },
    { role: 'assistant', content: 'Bonjour' },
    { role: 'user', content: 'Summarise: cats' },
  ],
  params: { temperature: 0.2, top_p: 0.9, max_tokens: 64, stop: ['\n\n'], seed: 7, response_format: { type: 'json_object' } },
  renderedText: 'irrelevant here',
};

describe('providers/request mapping', () => {
  describe('OpenAI-compatible', () => {
    it('maps messages and every set param', () => {
      const spec = buildOpenAiRequest({ kind: 'openai', model: 'gpt-4o-mini', baseUrl: 'http://127.0.0.1:9/v1/' }, req);
      assert.equal(spec.url, 'http://127.0.0.1:9/v1/chat/completions');
      assert.deepEqual(spec.body, {
        model: 'gpt-4o-mini',
        messages: req.messages,
        temperature: 0.2,
        top_p: 0.9,
        max_tokens: 64,
        stop: ['\n\n'],
        seed: 7,
        response_format: { type: 'json_object' },
      });
    });
    it('sends no param that is not set', () => {
      const spec = buildOpenAiRequest({ kind: 'openai', model: 'm' }, { ...req, params: {} });
      assert.deepEqual(Object.keys(spec.body).sort(), ['messages', 'model']);
      assert.equal(spec.url, 'https://api.openai.com/v1/chat/completions');
    });
    it('builds the Azure deployment URL', () => {
      const spec = buildOpenAiRequest(
        { kind: 'openai', model: 'gpt-4o', baseUrl: 'https://res.openai.azure.com/', azureApiVersion: '2024-10-21', deployment: 'my dep' },
        req,
      );
      assert.equal(spec.url, 'https://res.openai.azure.com/openai/deployments/my%20dep/chat/completions?api-version=2024-10-21');
    });
    it('rejects Azure without an endpoint', () => {
      assert.throws(
        () => createProvider({ kind: 'openai', model: 'gpt-4o', azureApiVersion: '2024-10-21' }),
        (e: ProviderError) => e.kind === 'config' && /baseUrl/.test(e.message),
      );
    });
    it('parses text, usage, finish reason and cost', () => {
      const out = parseOpenAiResponse(
        { choices: [{ index: 0, message: { role: 'assistant', content: 'Salut' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1000, completion_tokens: 100 } },
        'gpt-4o-mini',
        {},
      );
      assert.equal(out.text, 'Salut');
      assert.deepEqual(out.usage, { inputTokens: 1000, outputTokens: 100 });
      assert.equal(out.finishReason, 'stop');
      assert.ok(Math.abs(out.costUsd! - (1000 * 0.15 + 100 * 0.6) / 1e6) < 1e-15);
    });
    it('tolerates missing usage and null content', () => {
      const out = parseOpenAiResponse({ choices: [{ message: { content: null }, finish_reason: 'length' }] }, 'llama3', {});
      assert.equal(out.text, '');
      assert.equal(out.usage, undefined);
      assert.equal(out.costUsd, undefined);
    });
    it('reports a wrong shape as bad_response with a snippet', () => {
      assert.throws(
        () => parseOpenAiResponse({ object: 'list', data: [] }, 'm', {}),
        (e: ProviderError) => e.kind === 'bad_response' && /choices/.test(e.message) && /"object":"list"/.test(e.message),
      );
    });
  });

  describe('Anthropic', () => {
    it('moves system/developer to `system`, renames stop, drops seed and response_format', () => {
      const spec = buildAnthropicRequest({ kind: 'anthropic', model: 'claude-3-5-haiku-latest', baseUrl: 'http://127.0.0.1:9' }, req);
      assert.equal(spec.url, 'http://127.0.0.1:9/v1/messages');
      assert.equal(spec.headers['anthropic-version'], '2023-06-01');
      assert.deepEqual(spec.body, {
        model: 'claude-3-5-haiku-latest',
        max_tokens: 64,
        system: 'Be brief.\n\nAnswer in French.',
        messages: [
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: 'Bonjour' },
          { role: 'user', content: 'Summarise: cats' },
        ],
        temperature: 0.2,
        top_p: 0.9,
        stop_sequences: ['\n\n'],
      });
    });
    it('defaults max_tokens to 1024 and accepts a baseUrl ending in /v1', () => {
      const spec = buildAnthropicRequest(
        { kind: 'anthropic', model: 'm', baseUrl: 'http://127.0.0.1:9/v1', anthropicVersion: '2024-01-01' },
        { messages: [{ role: 'user', content: 'x' }], params: {}, renderedText: 'x' },
      );
      assert.equal(spec.body.max_tokens, 1024);
      assert.equal(spec.body.system, undefined);
      assert.equal(spec.url, 'http://127.0.0.1:9/v1/messages');
      assert.equal(spec.headers['anthropic-version'], '2024-01-01');
    });
    it('needs a user message', () => {
      assert.throws(
        () => buildAnthropicRequest({ kind: 'anthropic', model: 'm' }, { messages: [{ role: 'system', content: 's' }], params: {}, renderedText: '' }),
        (e: ProviderError) => e.kind === 'bad_request' && /user message/.test(e.message),
      );
    });
    it('joins text blocks and reads usage', () => {
      const out = parseAnthropicResponse(
        {
          id: 'msg_1',
          type: 'message',
          content: [{ type: 'text', text: 'Hel' }, { type: 'thinking', thinking: '…' }, { type: 'text', text: 'lo' }],
          stop_reason: 'end_turn',
          usage: { input_tokens: 10, output_tokens: 2 },
        },
        'claude-3-5-sonnet-latest',
        {},
      );
      assert.equal(out.text, 'Hello');
      assert.deepEqual(out.usage, { inputTokens: 10, outputTokens: 2 });
      assert.equal(out.finishReason, 'end_turn');
      assert.ok(Math.abs(out.costUsd! - (10 * 3 + 2 * 15) / 1e6) < 1e-15);
    });
    it('reports a wrong shape as bad_response', () => {
      assert.throws(() => parseAnthropicResponse({ completion: 'old API' }, 'm', {}), (e: ProviderError) => e.kind === 'bad_response');
    });
  });

  describe('config schema', () => {
    it('accepts each kind and defaults command input to stdin', () => {
      assert.equal(providerConfigSchema.parse({ kind: 'openai', model: 'gpt-4o', baseUrl: 'http://127.0.0.1:1/v1' }).kind, 'openai');
      assert.equal(providerConfigSchema.parse({ kind: 'anthropic', model: 'claude-3-5-haiku-latest' }).kind, 'anthropic');
      assert.deepEqual(providerConfigSchema.parse({ kind: 'command', command: 'python', args: ['app.py'] }), {
        kind: 'command',
        command: 'python',
        args: ['app.py'],
        input: 'stdin',
      });
      assert.deepEqual(providerConfigSchema.parse({ kind: 'echo' }), { kind: 'echo' });
    });
    it('rejects typos and unknown kinds', () => {
      assert.equal(providerConfigSchema.safeParse({ kind: 'openai', model: 'x', base_url: 'http://a' }).success, false);
      assert.equal(providerConfigSchema.safeParse({ kind: 'gemini', model: 'x' }).success, false);
    });
  });

  it('createProvider ids', () => {
    assert.equal(createProvider({ kind: 'openai', model: 'gpt-4o-mini' }).id, 'openai:gpt-4o-mini');
    assert.equal(createProvider({ kind: 'anthropic', model: 'claude-3-5-haiku-latest' }).id, 'anthropic:claude-3-5-haiku-latest');
    assert.equal(createProvider({ kind: 'command', command: 'python', input: 'stdin' }).id, 'command:python');
    assert.equal(createProvider({ kind: 'echo' }).id, 'echo');
  });

  it('echo returns the rendered prompt', async () => {
    const res = await createProvider({ kind: 'echo' }).complete(
      { messages: [], params: {}, renderedText: 'Hello {{x}} rendered' },
      new AbortController().signal,
    );
    assert.equal(res.text, 'Hello {{x}} rendered');
    assert.equal(res.cached, false);
  });
});
