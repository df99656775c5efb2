// The one handle a webview has on VS Code. acquireVsCodeApi may be called only once per page.
export interface VsCodeApi<S> {
  postMessage(msg: unknown): void;
  getState(): S | undefined;
  setState(state: S): void;
}

declare function acquireVsCodeApi<S>(): VsCodeApi<S>;

let api: VsCodeApi<unknown> | undefined;

export function vscodeApi<S>(): VsCodeApi<S> {
  api ??= acquireVsCodeApi<unknown>();
  return api as VsCodeApi<S>;
}

/** Lit falls back to <style> elements where adoptedStyleSheets is missing; give them our nonce. */
export function shareNonceWithLit(): void {
  const nonce = document.getElementById('app')?.dataset.nonce;
  if (nonce) (globalThis as { litNonce?: string }).litNonce = nonce;
}
