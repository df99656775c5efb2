// Page tokens as MLflow's SQL store makes them: base64 of {"offset": n}. Opaque to callers; an
// invalid token is refused like the server refuses it.
import { TrackingError, type Page } from '../types';

export function decodePageToken(token: string | undefined): number {
  if (!token) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset?: unknown };
    if (typeof parsed.offset === 'number' && Number.isInteger(parsed.offset) && parsed.offset >= 0) return parsed.offset;
  } catch {
    // fall through
  }
  throw new TrackingError('INVALID_PARAMETER_VALUE', `Invalid page token '${token}'. Pass the nextPageToken of the previous page unchanged, or none for the first page.`);
}

export function encodePageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset }), 'utf8').toString('base64');
}

export function checkMaxResults(what: string, maxResults: number | undefined, dflt: number, max: number): number {
  const n = maxResults ?? dflt;
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new TrackingError('INVALID_PARAMETER_VALUE', `Invalid value ${String(maxResults)} for parameter 'max_results' of ${what}: it must be at most ${max} and at least 1.`);
  }
  return n;
}

/** Slices sorted items into a page. `toItem` runs only for the items returned. */
export function pageOf<S, T>(sorted: S[], offset: number, size: number, toItem: (s: S) => T): Page<T> {
  const items = sorted.slice(offset, offset + size).map(toItem);
  const next = offset + size;
  return next < sorted.length ? { items, nextPageToken: encodePageToken(next) } : { items };
}
