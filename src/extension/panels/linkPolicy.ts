// The only links a panel may open: http(s) URLs on the configured MLflow server. Everything else
// (javascript:, file:, command:, other hosts) is refused with the reason, because the URL comes
// from a webview that renders untrusted model output.
export type LinkDecision = { ok: true; url: string } | { ok: false; reason: string };

export function checkLink(raw: string, serverUrl: string | null | undefined): LinkDecision {
  let url: URL;
  try { url = new URL(raw); } catch { return { ok: false, reason: `Not a valid URL: ${raw.slice(0, 100)}` }; }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: `Only http and https links open (got ${url.protocol})` };
  if (!serverUrl) return { ok: false, reason: 'No MLflow server is configured; links to other sites are not opened' };
  let server: URL;
  try { server = new URL(serverUrl); } catch { return { ok: false, reason: `The configured tracking URI is not a URL: ${serverUrl}` }; }
  if (url.origin !== server.origin) return { ok: false, reason: `Only links to the MLflow server ${server.origin} open (got ${url.origin})` };
  if (url.username || url.password) return { ok: false, reason: 'Links with credentials in them are not opened' };
  return { ok: true, url: url.toString() };
}

/** MLflow UI deep link to a run (hash router, as the MLflow UI uses). */
export function mlflowRunUrl(serverUrl: string, experimentId: string, runId: string): string {
  return `${serverUrl.replace(/\/+$/, '')}/#/experiments/${encodeURIComponent(experimentId)}/runs/${encodeURIComponent(runId)}`;
}

/**
 * MLflow UI deep link to a trace: the experiment's Traces tab with the trace drawer open
 * (`selectedEvaluationId`, the query parameter MLflow 3.17's UI reads to open a trace there).
 */
export function mlflowTraceUrl(serverUrl: string, experimentId: string, traceId: string): string {
  return `${serverUrl.replace(/\/+$/, '')}/#/experiments/${encodeURIComponent(experimentId)}/traces?selectedEvaluationId=${encodeURIComponent(traceId)}`;
}
