// Synthetic eval runs shaped like the eval runner's output, for the panel tests and the bench.
import type { Run } from '../../../src/core/tracking/types';
import type { EvalTable } from '../../../src/core/compare/evalTable';

export interface CompareFixture { runs: Run[]; tables: Map<string, EvalTable>; prompts: Map<string, string> }

export function syntheticRuns(nRuns: number, nCases: number, opts: { hostile?: boolean } = {}): CompareFixture {
  const runs: Run[] = [];
  const tables = new Map<string, EvalTable>();
  const prompts = new Map<string, string>();
  for (let r = 0; r < nRuns; r++) {
    const runId = `run${String(r).padStart(2, '0')}abcdef`;
    const rows: unknown[][] = [];
    let passes = 0;
    let latSum = 0;
    for (let c = 0; c < nCases; c++) {
      const pass = (c * 7 + r * 3) % 10 !== 0;
      if (pass) passes++;
      const latency = 100 + ((c * 37 + r * 101) % 900);
      latSum += latency;
      const output = c % 5 === 0 ? `Answer ${c} from run ${r}` : `Answer ${c}`;
      rows.push([`case-${c}`, { question: `What is ${c} + ${c}?`, topic: c % 3 ? 'math' : 'trivia' }, `Answer ${c}`, output,
        { exact_match: pass ? 1 : 0, relevance: ((c + r) % 5) / 4 }, pass, latency, null]);
    }
    if (opts.hostile && r === 1) {
      rows[0][3] = '<script>window.__pwned = 1</script>';
      rows[1][3] = '<img src=x onerror="window.__pwned = 2">';
      rows[2][3] = 'javascript:window.__pwned = 3';
      rows[3][3] = `<b>big</b>${'A'.repeat(1_000_000 - 10)}`;
      rows[4][7] = '<iframe srcdoc="<script>parent.__pwned=4</script>"></iframe>';
    }
    tables.set(runId, { columns: ['case_id', 'inputs', 'expected', 'output', 'scores', 'pass', 'latency_ms', 'error'], data: rows });
    prompts.set(runId, `You are a careful assistant.\nAnswer the question: {{question}}\n${r % 2 ? 'Be brief.' : 'Explain your reasoning.'}\nTopic: {{topic}}`);
    runs.push({
      info: { runId, runName: opts.hostile && r === 1 ? '<img src=x onerror="window.__pwned=5">' : `eval-${r}`, experimentId: '1', status: 'FINISHED', startTime: 1_750_000_000_000 + r * 60_000, lifecycleStage: 'active' },
      data: {
        params: [{ key: 'model', value: r % 2 ? 'gpt-4o-mini' : 'llama3' }, { key: 'temperature', value: '0' }, { key: 'prompt_hash', value: `h${r % 3}` }],
        metrics: [
          { key: 'pass_rate', value: passes / nCases, timestamp: 1, step: 0 },
          { key: 'exact_match/mean', value: passes / nCases, timestamp: 1, step: 0 },
          { key: 'latency_ms/p50', value: latSum / nCases, timestamp: 1, step: 0 },
          { key: 'latency_ms/p95', value: latSum / nCases + 300 + r * 10, timestamp: 1, step: 0 },
          { key: 'tokens/total', value: 1000 * nCases + r * 500, timestamp: 1, step: 0 },
          { key: 'cost_usd/total', value: 0.01 * (r + 1), timestamp: 1, step: 0 },
        ],
        tags: [],
      },
    });
  }
  return { runs, tables, prompts };
}
