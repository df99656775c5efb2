// Small inline-SVG charts built with DOM APIs (no chart library: three chart types do not justify
// one, and text stays text). Colours come from VS Code's --vscode-charts-* theme variables via
// the series-N classes in media/panels.css.
import { svg } from './dom';

const W = 420;
const PAD = { l: 44, r: 12, t: 12, b: 28 };

export interface Bar { label: string; value: number | null; series: number; mark?: string }

function titled(node: SVGElement, title: string): SVGElement {
  node.appendChild(svg('title', {}, title));
  return node;
}

export function barChart(caption: string, bars: Bar[], format: (v: number) => string): SVGElement {
  const rowH = 22;
  const h = PAD.t + PAD.b + bars.length * rowH;
  const max = Math.max(0, ...bars.map((b) => b.value ?? 0));
  const min = Math.min(0, ...bars.map((b) => b.value ?? 0));
  const span = max - min || 1;
  const labelW = 130;
  const plotW = W - labelW - 70;
  const root = svg('svg', { viewBox: `0 0 ${W} ${h}`, width: W, height: h, role: 'img', 'aria-label': caption, class: 'chart' });
  bars.forEach((b, i) => {
    const y = PAD.t + i * rowH;
    root.appendChild(svg('text', { x: labelW - 6, y: y + 15, 'text-anchor': 'end', class: 'chart-label' }, truncate(b.label, 20)));
    if (b.value === null) {
      root.appendChild(svg('text', { x: labelW, y: y + 15, class: 'chart-muted' }, 'no value'));
      return;
    }
    const x0 = labelW + ((0 - min) / span) * plotW;
    const x1 = labelW + ((b.value - min) / span) * plotW;
    root.appendChild(titled(svg('rect', { x: Math.min(x0, x1), y: y + 3, width: Math.max(1, Math.abs(x1 - x0)), height: rowH - 8, class: `bar series-${b.series % 10}` }), `${b.label}: ${format(b.value)}`));
    root.appendChild(svg('text', { x: Math.max(x0, x1) + 4, y: y + 15, class: 'chart-value' }, `${format(b.value)}${b.mark ? ` ${b.mark}` : ''}`));
  });
  return root;
}

export interface Series { label: string; series: number; counts: number[] }

/** Latency distribution: one step line per run over shared bins. */
export function histogram(caption: string, edges: number[], series: Series[], format: (v: number) => string): SVGElement {
  const h = 200;
  const plotW = W - PAD.l - PAD.r;
  const plotH = h - PAD.t - PAD.b;
  const maxCount = Math.max(1, ...series.flatMap((s) => s.counts));
  const bins = edges.length - 1;
  const root = svg('svg', { viewBox: `0 0 ${W} ${h}`, width: W, height: h, role: 'img', 'aria-label': caption, class: 'chart' });
  root.appendChild(svg('line', { x1: PAD.l, y1: PAD.t + plotH, x2: PAD.l + plotW, y2: PAD.t + plotH, class: 'axis' }));
  root.appendChild(svg('line', { x1: PAD.l, y1: PAD.t, x2: PAD.l, y2: PAD.t + plotH, class: 'axis' }));
  root.appendChild(svg('text', { x: PAD.l, y: h - 8, class: 'chart-label' }, format(edges[0])));
  root.appendChild(svg('text', { x: PAD.l + plotW, y: h - 8, 'text-anchor': 'end', class: 'chart-label' }, format(edges[bins])));
  root.appendChild(svg('text', { x: PAD.l - 4, y: PAD.t + 10, 'text-anchor': 'end', class: 'chart-label' }, String(maxCount)));
  for (const s of series) {
    const pts: string[] = [];
    s.counts.forEach((c, i) => {
      const y = PAD.t + plotH - (c / maxCount) * plotH;
      pts.push(`${PAD.l + (i / bins) * plotW},${y}`, `${PAD.l + ((i + 1) / bins) * plotW},${y}`);
    });
    root.appendChild(titled(svg('polyline', { points: pts.join(' '), class: `line series-${s.series % 10}` }), `${s.label}: ${s.counts.reduce((a, b) => a + b, 0)} cases`));
  }
  return root;
}

export interface Point { label: string; series: number; x: number; y: number }

export function scatter(caption: string, xLabel: string, yLabel: string, points: Point[], fx: (v: number) => string, fy: (v: number) => string): SVGElement {
  const h = 220;
  const plotW = W - PAD.l - PAD.r;
  const plotH = h - PAD.t - PAD.b;
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const [x0, x1] = paddedRange(xs);
  const [y0, y1] = paddedRange(ys);
  // Axis labels name the data's own extent (the plot is padded around it): "cost (all 0)".
  const extent = (vs: number[], f: (v: number) => string) => {
    if (vs.length === 0) return 'no data';
    const lo = Math.min(...vs);
    const hi = Math.max(...vs);
    return lo === hi ? `all ${f(lo)}` : `${f(lo)} – ${f(hi)}`;
  };
  const root = svg('svg', { viewBox: `0 0 ${W} ${h}`, width: W, height: h, role: 'img', 'aria-label': caption, class: 'chart' });
  root.appendChild(svg('line', { x1: PAD.l, y1: PAD.t + plotH, x2: PAD.l + plotW, y2: PAD.t + plotH, class: 'axis' }));
  root.appendChild(svg('line', { x1: PAD.l, y1: PAD.t, x2: PAD.l, y2: PAD.t + plotH, class: 'axis' }));
  root.appendChild(svg('text', { x: PAD.l + plotW / 2, y: h - 6, 'text-anchor': 'middle', class: 'chart-label' }, `${xLabel} (${extent(xs, fx)})`));
  root.appendChild(svg('text', { x: 10, y: PAD.t + plotH / 2, class: 'chart-label', transform: `rotate(-90 10 ${PAD.t + plotH / 2})`, 'text-anchor': 'middle' }, `${yLabel} (${extent(ys, fy)})`));
  for (const p of points) {
    const cx = PAD.l + ((p.x - x0) / (x1 - x0)) * plotW;
    const cy = PAD.t + plotH - ((p.y - y0) / (y1 - y0)) * plotH;
    root.appendChild(titled(svg('circle', { cx, cy, r: 5, class: `dot series-${p.series % 10}` }), `${p.label}: ${xLabel} ${fx(p.x)}, ${yLabel} ${fy(p.y)}`));
  }
  return root;
}

/** The plot's extent around `vs`: padded by `padShare` of the span, or ±10 % around a single value. */
export function paddedRange(vs: number[], padShare = 0.08): [number, number] {
  if (vs.length === 0) return [0, 1];
  const lo = Math.min(...vs);
  const hi = Math.max(...vs);
  if (lo === hi) return [lo - (Math.abs(lo) || 1) * 0.1, hi + (Math.abs(hi) || 1) * 0.1];
  const pad = (hi - lo) * padShare;
  return [lo - pad, hi + pad];
}

function truncate(s: string, n: number): string { return s.length > n ? `${s.slice(0, n - 1)}…` : s; }
