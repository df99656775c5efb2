// Paging through any search of the store: the one loop that follows next_page_token, as an async
// iterator (stop early, e.g. at a cap) or collected into an array.
import type { Page } from './types';

export type PageFetcher<T> = (pageToken: string | undefined) => Promise<Page<T>>;

export async function* eachItem<T>(fetch: PageFetcher<T>): AsyncGenerator<T> {
  let token: string | undefined;
  do {
    const page = await fetch(token);
    yield* page.items;
    token = page.nextPageToken;
  } while (token);
}

export async function allItems<T>(fetch: PageFetcher<T>, limit = Infinity): Promise<T[]> {
  const out: T[] = [];
  if (limit <= 0) return out;
  for await (const item of eachItem(fetch)) {
    out.push(item);
    if (out.length >= limit) break;
  }
  return out;
}
