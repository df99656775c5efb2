// A case's trace in one run, shown inside the compare panel's detail pane: the trace id and
// state, its span tree (timings, inputs/outputs as text), and "Open in MLflow" on a server (the
// host opens the link after its own policy check).
import { loadCaseTraceResultSchema } from '../../src/protocol/compareProtocol';
import { clear, el } from '../shared/dom';
import type { CompareClient } from './compareState';
import { spanTreeList } from '../shared/spanTree';

/** Loads the trace of case `key` in run column `runIndex` into `host`. */
export async function showCaseTrace(client: CompareClient, host: HTMLElement, key: string, runIndex: number): Promise<void> {
  clear(host);
  host.hidden = false;
  host.appendChild(el('p', { class: 'muted' }, 'Loading trace…'));
  try {
    const t = await client.request({ type: 'loadCaseTrace', key, runIndex }, loadCaseTraceResultSchema);
    clear(host);
    host.dataset.traceId = t.traceId;
    const head = el('div', { class: 'trace-head' }, el('strong', {}, `Trace ${t.traceId}`), ' ', el('span', { class: t.state === 'ERROR' ? 'tag error' : 'tag' }, t.state));
    if (t.mlflowUrl) {
      const url = t.mlflowUrl;
      const open = el('vscode-button', { secondary: true, class: 'open-in-mlflow', title: url }, 'Open in MLflow');
      open.addEventListener('click', () => client.post({ type: 'openLink', url }));
      head.append(' ', open);
    }
    host.append(head, spanTreeList(t.spans));
  } catch (e) {
    clear(host);
    host.appendChild(el('p', { class: 'muted trace-missing' }, (e as Error).message));
  }
}
