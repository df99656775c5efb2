// Which way is "better" for a metric, decided from its name alone so the compare panel can mark
// the better value without extra configuration. The rules, first match wins:
//   lower-better  latency*, duration*, time_*, cost*, tokens*, *error_count, errors*, error_rate,
//                 *violation* (pii/safety/toxicity violation counts), failures*, fail_count
//   higher-better pass_rate, cache_hit_rate, accuracy*, *_score, <scorer>/<agg> where agg is one
//                 of mean|median|min|max|p50|p90 and the scorer is not lower-better by the rules above
//                 (quality scorers such as correctness/mean, safety/mean, relevance_to_query/mean)
//   neutral       anything else (counts like num_cases, params-as-metrics): no "better" marking.
export type MetricDirection = 'higher' | 'lower' | 'neutral';

const LOWER_BETTER: RegExp[] = [
  /^(latency|duration|time_|elapsed)/,
  /^(cost|price)/,
  /^tokens?([/_.]|$)/,
  /(^|[/_.])error(s|_count|_rate)?([/_.]|$)/,
  /violation/,
  /(^|[/_.])(fail|failure|failures|fail_count)([/_.]|$)/,
];

const HIGHER_BETTER: RegExp[] = [
  /^pass_rate$/,
  /(^|[/_.])pass_rate$/,
  /^cache_hit_rate$/,
  /^accuracy/,
  /_score$/,
  /\/(mean|median|min|max|p50|p90)$/,
];

export function metricDirection(name: string): MetricDirection {
  const n = name.toLowerCase();
  if (LOWER_BETTER.some((re) => re.test(n))) return 'lower';
  if (HIGHER_BETTER.some((re) => re.test(n))) return 'higher';
  return 'neutral';
}

/** -1 when a is better than b, 1 when worse, 0 when equal or the metric has no direction. */
export function compareByDirection(direction: MetricDirection, a: number, b: number): -1 | 0 | 1 {
  if (direction === 'neutral' || a === b) return 0;
  const aBetter = direction === 'higher' ? a > b : a < b;
  return aBetter ? -1 : 1;
}
