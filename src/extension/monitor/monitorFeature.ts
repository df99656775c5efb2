// "Show Monitor" on a prompt version or alias in the Registry view (or from the palette, which
// asks for `name@alias` / `name/version`): opens the Monitor panel on its production traces.
import * as vscode from 'vscode';
import type { RegistryNode } from '../registry/registryTree';
import type { CommandHandlers, Services } from '../services';
import { openMonitorPanel } from '../panels/monitorPanel';

/** `name/version` or `name@alias` for a Registry view node, else undefined. */
export function monitorRefOf(arg: unknown): string | undefined {
  const n = arg as RegistryNode | undefined;
  if (!n || typeof n !== 'object' || !('kind' in n)) return undefined;
  if (n.kind === 'version' && n.of === 'prompt') return `${n.name}/${n.version}`;
  if (n.kind === 'alias' && n.of === 'prompt') return `${n.name}@${n.alias}`;
  if (n.kind === 'prompt') return n.name;
  return undefined;
}

export function monitorCommands(services: Services): CommandHandlers {
  return {
    'promptLedger.showMonitor': async (arg?: unknown) => {
      const ref = (typeof arg === 'string' ? arg : monitorRefOf(arg)) ?? await vscode.window.showInputBox({
        title: 'Show Monitor', prompt: 'Prompt version to monitor', placeHolder: 'summarize@production or summarize/3',
        validateInput: (v) => (/^[^@/\s]+(@[\w-]+|\/\d+)?$/.test(v.trim()) ? undefined : 'name, name@alias or name/version'),
      });
      if (!ref) return undefined;
      const store = await services.tracking.getStore();
      return openMonitorPanel(services.context, store, ref.trim(), (m) => services.output.appendLine(`[monitor] ${m}`));
    },
  };
}
