// One prompt version as a serving app gets it from MLflow: the chat messages (role + content) or
// the text template, the model config, the response format, and the "Use in Python" snippet.
// Every string here comes from the registry (anyone's MLflow UI or Python client may have written
// it), so it only ever becomes a text node — templates are shown, never interpreted.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { RegistryState } from '../../src/protocol/registryProtocol';
import { el } from '../shared/dom';

export type PromptVersion = RegistryState['versions'][number];

export interface VersionDetailsActions {
  /** Copies this version's snippet; resolves when it is on the clipboard. */
  copySnippet(): Promise<void>;
}

/** MLflow's named model-config fields, in the order a reader expects them; other keys follow. */
const MODEL_FIELD_LABELS: [key: string, label: string][] = [
  ['provider', 'Provider'],
  ['model_name', 'Model'],
];

const KNOWN_ROLES = new Set(['system', 'user', 'assistant']);

export function versionDetails(v: PromptVersion, actions: VersionDetailsActions): HTMLElement {
  const form = v.form;
  return el('section', { id: 'version-details', class: 'card', 'data-version': v.version, 'aria-label': `Version ${v.version} as MLflow serves it` },
    el('h2', {}, `${v.name} v${v.version}`, el('span', { class: 'muted' }, form.type === 'chat' ? ' · chat prompt' : ' · text prompt')),
    ...(form.type === 'chat'
      ? [el('h3', {}, 'Messages'), messageList(form.messages)]
      : [el('h3', {}, 'Template'), el('pre', { id: 'template', class: 'prompt' }, form.template)]),
    el('p', { id: 'variables', class: 'muted' }, v.variables.length ? `Variables: ${v.variables.join(', ')}` : 'No variables.'),
    el('h3', {}, 'Model config'),
    form.modelConfig && Object.keys(form.modelConfig).length
      ? modelConfigTable(form.modelConfig)
      : el('p', { id: 'model-config', class: 'muted' }, 'None: the application chooses the model and its parameters.'),
    ...(form.responseFormat
      ? [el('h3', {}, 'Response format'), el('pre', { id: 'response-format', class: 'prompt' }, JSON.stringify(form.responseFormat, null, 2))]
      : []),
    el('h3', {}, 'Use in Python'),
    pythonSnippet(v.pythonSnippet, actions));
}

function messageList(messages: { role: string; content: string }[]): HTMLElement {
  return el('ol', { id: 'messages', class: 'messages' }, ...messages.map((m) =>
    el('li', { class: `message role-${KNOWN_ROLES.has(m.role) ? m.role : 'other'}`, 'data-role': m.role },
      el('div', { class: 'role' }, m.role),
      el('pre', { class: 'prompt content' }, m.content))));
}

function modelConfigTable(config: Record<string, unknown>): HTMLElement {
  const named = new Map(MODEL_FIELD_LABELS);
  const keys = [...MODEL_FIELD_LABELS.map(([k]) => k).filter((k) => k in config), ...Object.keys(config).filter((k) => !named.has(k))];
  return el('table', { id: 'model-config', class: 'grid kv' },
    el('tbody', {}, ...keys.map((k) => el('tr', { 'data-key': k }, el('th', { scope: 'row' }, named.get(k) ?? k), el('td', { class: 'mono' }, configValue(config[k]))))));
}

/** Numbers as written (0.3 stays 0.3, no rounding), strings bare, lists and objects as JSON. */
function configValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function pythonSnippet(text: string, actions: VersionDetailsActions): HTMLElement {
  const code = el('pre', { id: 'python-snippet', class: 'code' }, el('code', {}, text));
  const result = el('span', { id: 'copy-result', class: 'muted', role: 'status', 'aria-live': 'polite' });
  const copy = el('vscode-button', { id: 'copy-snippet', secondary: true, 'aria-label': 'Copy the Python snippet' }, 'Copy');
  copy.addEventListener('click', () => {
    result.textContent = 'Copying…';
    actions.copySnippet().then(
      () => { result.textContent = 'Copied.'; },
      (e: Error) => {
        // Leave the user a way to copy by hand: select the code so Ctrl+C / ⌘C takes it.
        selectContents(code);
        result.textContent = `Could not copy (${e.message}); the snippet is selected, copy it with the keyboard.`;
      });
  });
  return el('div', { class: 'snippet' }, code, el('div', { class: 'form-row' }, copy, result));
}

function selectContents(node: Node): void {
  const range = document.createRange();
  range.selectNodeContents(node);
  const sel = window.getSelection();
  sel?.removeAllRanges();
  sel?.addRange(range);
}
