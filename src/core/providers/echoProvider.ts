// Returns the rendered prompt unchanged: lets a suite check its templates with no model at all.
import { cancelledError } from './retry';
import type { ModelProvider } from './types';

export function createEchoProvider(): ModelProvider {
  return {
    id: 'echo',
    kind: 'echo',
    async complete(req, signal) {
      if (signal.aborted) throw cancelledError();
      const started = performance.now();
      const text = req.renderedText;
      return { text, latencyMs: performance.now() - started, cached: false, attempts: 1, finishReason: 'echo' };
    },
  };
}
