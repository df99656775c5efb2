// What the eval command prints: the cost preflight, each run's summary with its thresholds and
// failing cases, and a shard group's merge.
import { formatEstimate, type CostEstimate } from '../core/eval/costEstimate';
import type { SuiteResult } from '../core/eval/runner';
import type { MergeOutcome } from '../core/eval/shardGroup';

export function printMerge(out: NodeJS.WritableStream, m: MergeOutcome): void {
  if (!m.complete) {
    out.write(`Group ${m.group}: not merged yet, waiting for ${m.missing.join(', ')}.\n`);
    return;
  }
  for (const g of m.merged) {
    const x = g.metrics;
    out.write(`Group ${m.group} · ${g.key}: merged ${g.shards} shards into run ${m.parentRunId} ${g.thresholds.every((t) => t.pass) ? 'PASS' : 'FAIL'}  pass_rate=${fmt(x.pass_rate)} cases=${fmt(x.case_count)} errors=${fmt(x.error_count)} p50=${fmt(x['latency_ms/p50'])}ms cost=$${fmt(x['cost_usd/total'])}\n`);
    for (const t of g.thresholds) out.write(`  ${t.pass ? '✓' : '✗'} ${t.metric} = ${fmt(t.value)} (needs ${t.op === 'min' ? '≥' : '≤'} ${t.limit})\n`);
  }
}

/** The cost preflight: per run, and the total when there are several. */
export function printEstimate(out: NodeJS.WritableStream, suiteRel: string, e: CostEstimate, dryRun: boolean): void {
  const head = dryRun ? 'Dry run (nothing sent)' : 'Estimate';
  if (e.runs.length === 1) {
    out.write(`${head} · ${suiteRel} · ${e.runs[0].model}: ${formatEstimate(e)}\n`);
    return;
  }
  out.write(`${head} · ${suiteRel}: ${formatEstimate(e)}\n`);
  for (const r of e.runs) out.write(`  ${r.runName}: ${formatEstimate(r)}\n`);
}

function fmt(v: number | undefined): string {
  if (v === undefined) return 'missing';
  return Number.isInteger(v) ? String(v) : v.toFixed(3);
}

export function printSummary(out: NodeJS.WritableStream, s: SuiteResult, rel: (f: string) => string): void {
  for (const run of s.runs) {
    const m = run.metrics;
    out.write(`${rel(s.suiteFile)} · ${run.model}: ${run.status} ${run.passed ? 'PASS' : 'FAIL'}  pass_rate=${fmt(m.pass_rate)} cases=${fmt(m.case_count)} errors=${fmt(m.error_count)} p50=${fmt(m['latency_ms/p50'])}ms cost=$${fmt(m['cost_usd/total'])} run=${run.runId}\n`);
    if (run.error) out.write(`  error: ${run.error}\n`);
    for (const t of run.thresholds) {
      out.write(`  ${t.pass ? '✓' : '✗'} ${t.metric} = ${fmt(t.value)} (needs ${t.op === 'min' ? '≥' : '≤'} ${t.limit})\n`);
    }
    const failing = run.failing.sample;
    for (const r of failing) {
      const why = r.error ? `${r.error.kind}: ${r.error.message}` : r.scores.filter((x) => !x.pass && !x.metricOnly).map((x) => `${x.name}: ${x.reason}`).join('; ');
      out.write(`  case ${r.caseId}${r.repeat ? ` #${r.repeat + 1}` : ''}: ${why.slice(0, 300)}\n`);
    }
    const more = run.failing.count - failing.length;
    if (more > 0) out.write(`  … ${more} more failing cases (see eval_results_table.json in the run)\n`);
  }
}
