// Every call in flight listens to the run's one stop signal. EventTarget walks a signal's listener
// list on each add and remove, so 256 calls adding and removing their own listeners paid O(n)
// apiece (~5 % of a 256-way eval's main thread); here a signal gets one listener, which hands the
// abort to a Set of callbacks (O(1) to join and leave).
const callbacks = new WeakMap<AbortSignal, Set<() => void>>();

/** Calls `fn` once when `signal` aborts (at once if it already has); returns the function that stops listening. */
export function onAbort(signal: AbortSignal, fn: () => void): () => void {
  if (signal.aborted) {
    fn();
    return () => undefined;
  }
  let set = callbacks.get(signal);
  if (!set) {
    const fns = new Set<() => void>();
    set = fns;
    callbacks.set(signal, fns);
    signal.addEventListener('abort', () => {
      callbacks.delete(signal);
      for (const f of [...fns]) f();
    }, { once: true });
  }
  const joined = set;
  joined.add(fn);
  return () => { joined.delete(fn); };
}
