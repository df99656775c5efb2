// `prompt-ledger monitor <name>[@alias|/version]`: the production traces MLflow holds for one
// prompt version (apps that loaded it with MLflow's client): the summary and the latest traces.
import { DEFAULT_MONITOR_SAMPLE, planMonitor, summarizeMonitor, monitorTracePage } from '../core/monitor/promptMonitor';
import { traceRow, type TraceRow } from '../core/monitor/traceRows';
import type { MonitorSummary } from '../core/monitor/monitorSummary';
import { EXIT, type CliIo } from './cliIo';
import { openCommandStore, parseCommandArgs } from './commandArgs';

export const MONITOR_USAGE = `Usage: prompt-ledger monitor <name>[@alias|/version] [options]

Summarizes the traces an MLflow server holds that are linked to a registered prompt version
(every app that loaded prompts:/<name>@<alias> inside a trace with MLflow's client) and lists
the latest ones. A bare name means the latest version. Needs an MLflow server.

Options:
  --tracking-uri <uri>     MLflow server (http://…)
  --limit <n>              latest traces to list (default 20)
  --sample <n>             the summary covers the newest n traces (default ${DEFAULT_MONITOR_SAMPLE})
  --output <table|json>    json prints {target, summary, scanned, truncated, traces}
  -h, --help               show this help
`;

const wholeNumber = (name: string, v: unknown) => {
  if (v !== undefined && !(Number.isInteger(Number(v)) && Number(v) >= 1)) throw new Error(`--${name} must be a whole number ≥ 1, got '${v}'`);
};

const fmtMs = (ms: number | null) => (ms === null ? '–' : `${Math.round(ms)} ms`);

function summaryText(ref: string, s: MonitorSummary, scanned: number, truncated: boolean): string {
  const lines = [
    `${ref}: ${s.count} trace${s.count === 1 ? '' : 's'}${truncated ? ` (newest ${scanned}; more exist)` : ''}`,
    `  errors     ${s.errors}${s.errorRate === null ? '' : ` (${(s.errorRate * 100).toFixed(1)}%)`}`,
    `  latency    p50 ${fmtMs(s.latencyP50Ms)}, p95 ${fmtMs(s.latencyP95Ms)}`,
    `  tokens     ${s.totalTokens} (in ${s.inputTokens}, out ${s.outputTokens})`,
  ];
  for (const a of s.assessments) lines.push(`  ${a.name.padEnd(10)} mean ${a.mean.toFixed(3)} over ${a.count}`);
  return lines.join('\n') + '\n';
}

function rowText(r: TraceRow): string {
  const when = r.time === null ? '–'.padEnd(19) : new Date(r.time).toISOString().replace('T', ' ').slice(0, 19);
  const preview = r.request.replace(/\s+/g, ' ').slice(0, 60);
  return `${r.traceId}  ${when}  ${r.state.padEnd(5)}  ${fmtMs(r.durationMs).padStart(8)}  ${preview}\n`;
}

export async function monitorCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs(argv, io, {
    command: 'monitor', usage: MONITOR_USAGE,
    options: { 'tracking-uri': { type: 'string' }, limit: { type: 'string' }, sample: { type: 'string' }, output: { type: 'string' } },
    check: ({ values, positionals }) => {
      if (positionals.length !== 1) throw new Error(`name one prompt, e.g. summarize@production (got ${positionals.length})`);
      wholeNumber('limit', values.limit);
      wholeNumber('sample', values.sample);
      if (values.output !== undefined && values.output !== 'table' && values.output !== 'json') throw new Error(`--output must be table or json, got '${values.output}'`);
    },
  });
  if (typeof args === 'number') return args;
  const { values, positionals } = args;
  const store = await openCommandStore(io, 'monitor', values['tracking-uri']);
  if (typeof store === 'number') return store;
  try {
    const target = await planMonitor(store, positionals[0]);
    const result = await summarizeMonitor(store, target, { maxTraces: values.sample ? Number(values.sample) : undefined });
    const traces = (await monitorTracePage(store, target, { pageSize: Number(values.limit ?? 20) })).items.map(traceRow);
    if (values.output === 'json') {
      io.stdout.write(JSON.stringify({ ...result, traces }, null, 2) + '\n');
      return EXIT.ok;
    }
    io.stdout.write(summaryText(`${target.name}/${target.version}`, result.summary, result.scanned, result.truncated));
    if (traces.length) io.stdout.write(`\nLatest traces:\n${traces.map(rowText).join('')}`);
    return EXIT.ok;
  } catch (err) {
    io.stderr.write(`prompt-ledger monitor: ${(err as Error).message}\n`);
    return EXIT.badInput;
  } finally {
    await store.close().catch(() => undefined);
  }
}
