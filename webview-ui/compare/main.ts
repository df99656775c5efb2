// Compare panel: params, metrics with deltas, charts, prompt diff and a virtualized per-case
// table. One state object (compareState.ts); each section has its own render function and
// reads that state. Every string from a run (outputs, inputs, names) is rendered as text.
import { compareToWebviewSchema, loadCasesResultSchema, setBaselineResultSchema, type CaseRowWire, type CompareResults, type CompareToHost, type CompareToWebview } from '../../src/protocol/compareProtocol';
import { append, el } from '../shared/dom';
import { HostClient } from '../shared/hostClient';
import { shareNonceWithLit, vscodeApi } from '../shared/vscodeApi';
import { installBenchHooks } from './benchHooks';
import { renderCaseDetail } from './caseDetail';
import { CasesView } from './casesSection';
import { initialState, type CompareActions, type CompareClient, type SavedState } from './compareState';
import { renderCharts, renderMetrics, renderParams, renderPrompt, renderRuns } from './overviewSections';
import { renderSignificance } from './significanceSection';

/** true only in the bench build (esbuild.mjs defines it); the hooks are dropped from the shipped bundle. */
declare const __PL_BENCH__: boolean;

const PAGE = 500;

shareNonceWithLit();
const bench = __PL_BENCH__ ? installBenchHooks() : undefined;
const api = vscodeApi<SavedState>();
const app = document.getElementById('app')!;
const status = el('div', { class: 'status', role: 'status', 'aria-live': 'polite' });
const state = initialState();
let cases: CasesView | undefined;

const sections = {
  runs: el('section', { id: 'runs', 'aria-label': 'Runs' }),
  params: el('section', { id: 'params', 'aria-label': 'Parameters' }),
  metrics: el('section', { id: 'metrics', 'aria-label': 'Metrics' }),
  significance: el('section', { id: 'significance', 'aria-label': 'Significance' }),
  charts: el('section', { id: 'charts', 'aria-label': 'Charts' }),
  prompt: el('section', { id: 'prompt', 'aria-label': 'Prompt diff' }),
  cases: el('section', { id: 'cases', 'aria-label': 'Cases' }),
  detail: el('section', { id: 'detail', 'aria-label': 'Case detail', hidden: true }),
};
append(app, [el('h1', {}, 'Compare runs'), status, ...Object.values(sections)]);

const client: CompareClient = new HostClient<CompareToWebview, CompareToHost, CompareResults>(api as never, compareToWebviewSchema, onNotification, (err) => actions.showStatus(err, true));

const actions: CompareActions = {
  save() { if (state.model) api.setState({ model: state.model, totalCases: state.totalCases, ui: state.ui }); },
  showStatus(text, isError = false) { status.textContent = text; status.classList.toggle('error', isError); },
  openRun(runId) { client.post({ type: 'openRun', runId }); },
  setBaseline(runId, runName) {
    actions.showStatus(`Recomputing deltas against ${runName}…`);
    client.request({ type: 'setBaseline', runId }, setBaselineResultSchema).catch((e) => actions.showStatus((e as Error).message, true));
  },
  refreshCases(userAction) { cases?.refresh(userAction); },
  openDetail(row: CaseRowWire, traceRun?: number) {
    if (!state.model) return;
    renderCaseDetail(sections.detail, client, state.model, row, () => cases?.focus(), traceRun).catch((e) => actions.showStatus((e as Error).message, true));
  },
};

function onNotification(msg: CompareToWebview): void {
  if (msg.type === 'init' || msg.type === 'update') {
    state.model = msg.model;
    state.totalCases = msg.totalCases;
    state.rows = msg.model.cases.slice();
    if (!state.ui.chartMetric || !msg.model.metrics.some((m) => m.key === state.ui.chartMetric)) state.ui.chartMetric = msg.model.metrics[0]?.key ?? '';
    renderAll();
    void loadRemaining();
  } else if (msg.type === 'error') {
    actions.showStatus(msg.message, true);
  }
}

function renderAll(): void {
  const m = state.model;
  if (!m) return;
  renderRuns(sections.runs, m, actions);
  renderParams(sections.params, m, state.ui, actions);
  renderMetrics(sections.metrics, m);
  renderSignificance(sections.significance, m);
  renderCharts(sections.charts, m, state.ui, actions);
  renderPrompt(sections.prompt, m);
  cases = new CasesView(sections.cases, state, actions, bench?.onRender);
  actions.save();
}

/** Pages the rest of the cases in after the first paint; a newer init/update stops this one. */
async function loadRemaining(): Promise<void> {
  const gen = ++state.loadGeneration;
  app.dataset.casesReady = 'false';
  while (state.rows.length < state.totalCases && gen === state.loadGeneration) {
    actions.showStatus(`Loading cases ${state.rows.length} / ${state.totalCases}…`);
    try {
      const page = await client.request({ type: 'loadCases', offset: state.rows.length, limit: PAGE }, loadCasesResultSchema);
      if (gen !== state.loadGeneration) return;
      if (page.rows.length === 0) break;
      state.rows.push(...page.rows);
      cases?.refresh(false);
    } catch (e) {
      actions.showStatus(`Could not load cases: ${(e as Error).message}`, true);
      return;
    }
  }
  if (gen !== state.loadGeneration) return;
  actions.showStatus(`${state.totalCases} cases`);
  app.dataset.casesReady = 'true';
  bench?.fullReady();
}

const saved = api.getState();
if (saved?.model) {
  state.ui = { ...state.ui, ...saved.ui };
  onNotification({ type: 'init', model: saved.model, totalCases: saved.totalCases });
  client.post({ type: 'ready', restored: true });
} else {
  client.post({ type: 'ready' });
}
