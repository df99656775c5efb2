// On-disk response cache: one JSON file per request, keyed by the sha256 of a canonical JSON of
// everything that decides the answer (provider kind/id/endpoint/model, params, messages) — never
// the API key. Lets a run be replayed offline and repeated runs skip paid calls.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { cancelledError } from './retry';
import type { ModelProvider, ProviderRequest, ProviderResponse } from './types';

/** Bumped when the key recipe or file layout changes, so old entries simply stop matching. */
export const CACHE_FORMAT_VERSION = 1;

export interface CacheStats {
  hits: number;
  misses: number;
  writes: number;
}

interface CacheFile {
  version: number;
  key: string;
  providerId: string;
  createdAt: string;
  response: Omit<ProviderResponse, 'cached' | 'attempts'>;
}

/** JSON with object keys sorted at every level and undefined members dropped. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortDeep(value));
}

function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : sortDeep(x)));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = sortDeep(x);
    }
    return out;
  }
  return v;
}

/**
 * The cache key of a call. renderedText counts only for command/echo (for HTTP providers it is
 * derived from the messages and never sent).
 */
export function cacheKeyFor(
  provider: Pick<ModelProvider, 'id' | 'kind' | 'cacheIdentity'>,
  req: ProviderRequest,
): string {
  const usesText = provider.kind === 'command' || provider.kind === 'echo';
  const material = {
    v: CACHE_FORMAT_VERSION,
    provider: { kind: provider.kind, id: provider.id, identity: provider.cacheIdentity ?? null },
    messages: req.messages.map((m) => ({ role: m.role, content: m.content })),
    params: req.params,
    renderedText: usesText ? req.renderedText : undefined,
  };
  return createHash('sha256').update(canonicalJson(material)).digest('hex');
}

export class ResponseCache {
  private readonly counts: CacheStats = { hits: 0, misses: 0, writes: 0 };

  constructor(readonly dir: string) {}

  /** {dir}/{first two hex chars}/{key}.json — sharded so no folder holds 100k files. */
  fileFor(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  /** The stored response (with cached: true) or undefined; a corrupt entry counts as a miss. */
  async get(key: string): Promise<ProviderResponse | undefined> {
    let text: string;
    try {
      text = await fs.readFile(this.fileFor(key), 'utf8');
    } catch {
      this.counts.misses++;
      return undefined;
    }
    try {
      const entry = JSON.parse(text) as CacheFile;
      if (entry.version !== CACHE_FORMAT_VERSION || entry.key !== key || typeof entry.response?.text !== 'string') {
        throw new Error('stale entry');
      }
      this.counts.hits++;
      return { ...entry.response, cached: true };
    } catch {
      this.counts.misses++;
      return undefined;
    }
  }

  /** Atomic: written to a temp file in the same folder, then renamed over the target. */
  async set(key: string, providerId: string, response: ProviderResponse): Promise<void> {
    const { cached: _cached, attempts: _attempts, ...stored } = response;
    const entry: CacheFile = {
      version: CACHE_FORMAT_VERSION,
      key,
      providerId,
      createdAt: new Date().toISOString(),
      response: stored,
    };
    const file = this.fileFor(key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await fs.writeFile(tmp, JSON.stringify(entry), 'utf8');
      await fs.rename(tmp, file);
    } catch (err) {
      await fs.rm(tmp, { force: true }).catch(() => undefined);
      throw err;
    }
    this.counts.writes++;
  }

  stats(): CacheStats {
    return { ...this.counts };
  }

  /** hits / (hits + misses), 0 when nothing was looked up. */
  hitRate(): number {
    const n = this.counts.hits + this.counts.misses;
    return n === 0 ? 0 : this.counts.hits / n;
  }
}

export interface WithCacheOptions {
  /** false: neither read nor write (like promptfoo's --no-cache). */
  enabled: boolean;
  /** true: read only, never write (replay a recorded run without growing the cache). Default false. */
  readOnly?: boolean;
}

/**
 * Wraps a provider so identical calls are served from disk. Errors are never cached. A failure to
 * write the cache does not fail the call (the answer was paid for). Echo is passed through (there
 * is nothing to save).
 */
export function withCache(provider: ModelProvider, cache: ResponseCache, opts: WithCacheOptions): ModelProvider {
  if (!opts.enabled || provider.kind === 'echo') return provider;
  return {
    id: provider.id,
    kind: provider.kind,
    model: provider.model,
    cacheIdentity: provider.cacheIdentity,
    async complete(req, signal) {
      if (signal.aborted) throw cancelledError();
      const key = cacheKeyFor(provider, req);
      const hit = await cache.get(key);
      if (hit) return hit;
      const res = await provider.complete(req, signal);
      if (!opts.readOnly) await cache.set(key, provider.id, res).catch(() => undefined);
      return res;
    },
  };
}
