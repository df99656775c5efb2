// The Monitor summary, accumulated one trace info at a time so pages can be streamed through it:
// count, errors, latency p50/p95, token totals, feedback means (bool and yes/no count as 1/0, as
// mlflow.genai.evaluate aggregates them) and time buckets (per hour over ≤2 days, else per day).
import { sortedPercentile } from '../eval/stats';
import { TRACE_METADATA } from '../tracking/traces/traceKeys';
import type { TraceInfoV3 } from './traceSearch';

export interface MonitorBucket { start: number; count: number; errors: number; p50Ms: number | null }
export interface AssessmentMean { name: string; mean: number; count: number }
export interface MonitorSummary {
  count: number;
  errors: number;
  errorRate: number | null;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  assessments: AssessmentMean[];
  bucketSize: 'hour' | 'day';
  buckets: MonitorBucket[];
  firstTime: number | null;
  lastTime: number | null;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** "0.148s" (protobuf Duration JSON) → 148. */
export function durationMs(d: string | undefined): number | undefined {
  if (!d) return undefined;
  const m = /^(-?\d+(?:\.\d+)?)s$/.exec(d);
  return m ? Number(m[1]) * 1000 : undefined;
}

export function traceTime(t: TraceInfoV3): number | undefined {
  const ms = t.request_time ? Date.parse(t.request_time) : NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

export function isErrorTrace(t: TraceInfoV3): boolean {
  return t.state === 'ERROR';
}

export function tokenUsage(t: TraceInfoV3): { input: number; output: number; total: number } | undefined {
  const raw = t.trace_metadata?.[TRACE_METADATA.tokenUsage];
  if (!raw) return undefined;
  try {
    const u = JSON.parse(raw) as Record<string, unknown>;
    const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
    const input = n(u.input_tokens);
    const output = n(u.output_tokens);
    return { input, output, total: n(u.total_tokens) || input + output };
  } catch {
    return undefined;
  }
}

/** A feedback value as a number, or undefined when it is not numeric/boolean/yes-no. */
export function feedbackNumber(v: unknown): number | undefined {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (s === 'yes' || s === 'true') return 1;
    if (s === 'no' || s === 'false') return 0;
  }
  return undefined;
}

export class MonitorAccumulator {
  private count = 0;
  private errors = 0;
  private readonly durations: number[] = [];
  private readonly points: { time: number; ms: number | undefined; error: boolean }[] = [];
  private tokens = { input: 0, output: 0, total: 0 };
  private readonly feedback = new Map<string, { sum: number; count: number }>();

  add(t: TraceInfoV3): void {
    this.count++;
    const error = isErrorTrace(t);
    if (error) this.errors++;
    const ms = durationMs(t.execution_duration);
    if (ms !== undefined) this.durations.push(ms);
    const time = traceTime(t);
    if (time !== undefined) this.points.push({ time, ms, error });
    const u = tokenUsage(t);
    if (u) { this.tokens.input += u.input; this.tokens.output += u.output; this.tokens.total += u.total; }
    for (const a of t.assessments ?? []) {
      if (!a.assessment_name || !a.feedback) continue;
      const v = feedbackNumber(a.feedback.value);
      if (v === undefined) continue;
      const f = this.feedback.get(a.assessment_name) ?? { sum: 0, count: 0 };
      f.sum += v; f.count++;
      this.feedback.set(a.assessment_name, f);
    }
  }

  summary(): MonitorSummary {
    const sorted = Float64Array.from(this.durations).sort();
    let first: number | null = null;
    let last: number | null = null;
    for (const p of this.points) {
      if (first === null || p.time < first) first = p.time;
      if (last === null || p.time > last) last = p.time;
    }
    const bucketSize = first !== null && last !== null && last - first > 2 * DAY ? 'day' : 'hour';
    return {
      count: this.count,
      errors: this.errors,
      errorRate: this.count ? this.errors / this.count : null,
      latencyP50Ms: sorted.length ? sortedPercentile(sorted, 50) : null,
      latencyP95Ms: sorted.length ? sortedPercentile(sorted, 95) : null,
      inputTokens: this.tokens.input,
      outputTokens: this.tokens.output,
      totalTokens: this.tokens.total,
      assessments: [...this.feedback].map(([name, f]) => ({ name, mean: f.sum / f.count, count: f.count })).sort((a, b) => a.name.localeCompare(b.name)),
      bucketSize,
      buckets: this.buckets(bucketSize === 'day' ? DAY : HOUR),
      firstTime: first,
      lastTime: last,
    };
  }

  private buckets(size: number): MonitorBucket[] {
    const by = new Map<number, { count: number; errors: number; ms: number[] }>();
    for (const p of this.points) {
      const start = Math.floor(p.time / size) * size;
      const b = by.get(start) ?? { count: 0, errors: 0, ms: [] };
      b.count++;
      if (p.error) b.errors++;
      if (p.ms !== undefined) b.ms.push(p.ms);
      by.set(start, b);
    }
    return [...by].sort((a, b) => a[0] - b[0]).map(([start, b]) => ({ start, count: b.count, errors: b.errors, p50Ms: b.ms.length ? sortedPercentile(b.ms.sort((x, y) => x - y), 50) : null }));
  }
}
