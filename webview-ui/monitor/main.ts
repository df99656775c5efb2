// Monitor panel: the production traces of one prompt version — summary numbers, traces per time
// bucket, a paged trace list (server-side pages), and a trace's spans as a tree with timings and
// inputs/outputs. Every string from a trace is rendered as text.
import * as z from 'zod/mini';
import { monitorToWebviewSchema, traceDetailSchema, tracePageSchema, type MonitorResults, type MonitorState, type MonitorToHost, type MonitorToWebview } from '../../src/protocol/monitorProtocol';
import { activatable, append, clear, el, formatNumber } from '../shared/dom';
import { barChart } from '../shared/charts';
import { HostClient } from '../shared/hostClient';
import { spanTreeList } from '../shared/spanTree';
import { vscodeApi } from '../shared/vscodeApi';

type TraceRowWire = z.infer<typeof tracePageSchema>['rows'][number];

const api = vscodeApi<unknown>();
const app = document.getElementById('app')!;
const status = el('div', { class: 'status', role: 'status', 'aria-live': 'polite' }, 'Loading traces…');
const sections = {
  summary: el('section', { id: 'summary', 'aria-label': 'Summary' }),
  chart: el('section', { id: 'chart', 'aria-label': 'Traces over time' }),
  list: el('section', { id: 'traces', 'aria-label': 'Traces' }),
  detail: el('section', { id: 'trace', 'aria-label': 'Trace' }),
};
append(app, [status, sections.summary, sections.chart, sections.list, sections.detail]);

const client = new HostClient<MonitorToWebview, MonitorToHost, MonitorResults>(api as never, monitorToWebviewSchema, onNotification, (e) => showStatus(e, true));
let pageTokens: (string | undefined)[] = [undefined];
let pageIndex = 0;

function showStatus(text: string, isError = false): void {
  status.textContent = text;
  status.classList.toggle('error', isError);
}

const ms = (v: number | null) => (v === null ? '–' : `${Math.round(v)} ms`);

function onNotification(msg: MonitorToWebview): void {
  if (msg.type === 'init') { renderSummary(msg.state); void loadPage(0); }
  else if (msg.type === 'error') showStatus(msg.message, true);
}

function renderSummary(s: MonitorState): void {
  const m = s.summary;
  app.dataset.count = String(m.count);
  showStatus(`${s.name}/${s.version} (${s.label}) on ${s.serverUrl}: ${m.count} trace${m.count === 1 ? '' : 's'}${s.truncated ? ` — the newest ${s.scanned}; more exist` : ''}`);
  clear(sections.summary);
  const rows: [string, string][] = [
    ['Traces', String(m.count)],
    ['Errors', `${m.errors}${m.errorRate === null ? '' : ` (${(m.errorRate * 100).toFixed(1)}%)`}`],
    ['Latency p50', ms(m.latencyP50Ms)],
    ['Latency p95', ms(m.latencyP95Ms)],
    ['Tokens', `${m.totalTokens} (in ${m.inputTokens}, out ${m.outputTokens})`],
    ...m.assessments.map((a): [string, string] => [a.name, `mean ${formatNumber(a.mean)} over ${a.count}`]),
  ];
  append(sections.summary, [el('table', { class: 'summary' }, ...rows.map(([k, v]) => el('tr', {}, el('th', {}, k), el('td', {}, v))))]);
  clear(sections.chart);
  if (m.buckets.length) {
    const label = (t: number) => new Date(t).toISOString().slice(0, m.bucketSize === 'day' ? 10 : 13).replace('T', ' ') + (m.bucketSize === 'day' ? '' : 'h');
    append(sections.chart, [barChart(`Traces per ${m.bucketSize}`, m.buckets.map((b) => ({ label: label(b.start), value: b.count, series: 0, mark: b.errors ? `(${b.errors} errors)` : undefined })), (v) => String(v))]);
  }
}

async function loadPage(i: number): Promise<void> {
  try {
    const page = await client.request({ type: 'page', pageToken: pageTokens[i] }, tracePageSchema);
    pageIndex = i;
    if (page.nextPageToken) pageTokens[i + 1] = page.nextPageToken; else pageTokens = pageTokens.slice(0, i + 1);
    renderList(page.rows, !!page.nextPageToken);
  } catch (e) { showStatus((e as Error).message, true); }
}

function renderList(rows: TraceRowWire[], hasNext: boolean): void {
  clear(sections.list);
  const head = el('tr', {}, ...['Time', 'State', 'Latency', 'Tokens', 'Request', 'Response'].map((h) => el('th', {}, h)));
  const body = rows.map((r) => {
    const tr = el('tr', { class: r.state === 'ERROR' ? 'error trace-row' : 'trace-row', 'data-trace-id': r.traceId },
      el('td', {}, r.time === null ? '–' : new Date(r.time).toISOString().replace('T', ' ').slice(0, 19)),
      el('td', {}, r.state), el('td', {}, ms(r.durationMs)), el('td', {}, r.totalTokens ?? '–'),
      el('td', {}, r.request.slice(0, 80)), el('td', {}, r.response.slice(0, 80)));
    return activatable(tr, () => void openTrace(r.traceId), `Open trace ${r.traceId}`);
  });
  const prev = el('button', { disabled: pageIndex === 0 }, 'Newer');
  prev.addEventListener('click', () => void loadPage(pageIndex - 1));
  const next = el('button', { disabled: !hasNext }, 'Older');
  next.addEventListener('click', () => void loadPage(pageIndex + 1));
  append(sections.list, [el('h2', {}, `Traces (page ${pageIndex + 1})`), el('table', { class: 'traces' }, el('thead', {}, head), el('tbody', {}, ...body)), el('div', { class: 'pager' }, prev, next)]);
}

async function openTrace(traceId: string): Promise<void> {
  try {
    const t = await client.request({ type: 'openTrace', traceId }, traceDetailSchema);
    clear(sections.detail);
    append(sections.detail, [el('h2', {}, `Trace ${t.traceId}`), spanTreeList(t.spans)]);
    sections.detail.scrollIntoView();
  } catch (e) { showStatus((e as Error).message, true); }
}

client.post({ type: 'ready' });
