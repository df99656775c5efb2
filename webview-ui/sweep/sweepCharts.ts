// The sweep panel's charts, as inline SVG built with the shared dom helpers (text stays text):
// the objective against one parameter (numeric: each trial a dot; a list of words: the best value
// per choice as bars, shared barChart), and the Pareto front of quality against cost (every trial
// a dot, the front joined by a line, the best ringed).
import { svg } from '../shared/dom';
import { barChart, paddedRange } from '../shared/charts';

const W = 420;
const H = 220;
const PAD = { l: 48, r: 12, t: 12, b: 32 };

export interface Dot { x: number; y: number; label: string; series: number; ring?: boolean }

/** Dots on x/y axes with their ranges written at the ends; `line` joins the listed dots in order. */
export function dotChart(caption: string, xLabel: string, yLabel: string, dots: Dot[], fx: (v: number) => string, fy: (v: number) => string, line: Dot[] = []): SVGElement {
  const plotW = W - PAD.l - PAD.r;
  const plotH = H - PAD.t - PAD.b;
  const xs = dots.map((d) => d.x);
  const ys = dots.map((d) => d.y);
  const [x0, x1] = paddedRange(xs, 0.06);
  const [y0, y1] = paddedRange(ys, 0.06);
  // The axis ends name the data's own range, not the padded plot edges.
  const lo = (vs: number[]) => (vs.length ? Math.min(...vs) : 0);
  const hi = (vs: number[]) => (vs.length ? Math.max(...vs) : 1);
  const px = (x: number) => PAD.l + ((x - x0) / (x1 - x0)) * plotW;
  const py = (y: number) => PAD.t + plotH - ((y - y0) / (y1 - y0)) * plotH;
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: 'img', 'aria-label': caption, class: 'chart' });
  root.appendChild(svg('line', { x1: PAD.l, y1: PAD.t + plotH, x2: PAD.l + plotW, y2: PAD.t + plotH, class: 'axis' }));
  root.appendChild(svg('line', { x1: PAD.l, y1: PAD.t, x2: PAD.l, y2: PAD.t + plotH, class: 'axis' }));
  root.appendChild(svg('text', { x: px(lo(xs)), y: H - 18, 'text-anchor': 'middle', class: 'chart-label' }, fx(lo(xs))));
  root.appendChild(svg('text', { x: px(hi(xs)), y: H - 18, 'text-anchor': 'middle', class: 'chart-label' }, fx(hi(xs))));
  root.appendChild(svg('text', { x: PAD.l + plotW / 2, y: H - 4, 'text-anchor': 'middle', class: 'chart-label' }, xLabel));
  root.appendChild(svg('text', { x: PAD.l - 4, y: py(hi(ys)) + 4, 'text-anchor': 'end', class: 'chart-label' }, fy(hi(ys))));
  root.appendChild(svg('text', { x: PAD.l - 4, y: py(lo(ys)) + 4, 'text-anchor': 'end', class: 'chart-label' }, fy(lo(ys))));
  root.appendChild(svg('text', { x: 10, y: PAD.t + plotH / 2, class: 'chart-label', transform: `rotate(-90 10 ${PAD.t + plotH / 2})`, 'text-anchor': 'middle' }, yLabel));
  if (line.length > 1) {
    root.appendChild(svg('polyline', { points: line.map((d) => `${px(d.x)},${py(d.y)}`).join(' '), class: 'line series-1', 'data-role': 'front' }));
  }
  for (const d of dots) {
    const dot = svg('circle', { cx: px(d.x), cy: py(d.y), r: d.ring ? 6 : 4, class: `dot series-${d.series % 10}`, ...(d.ring ? { 'stroke-width': 3, 'data-best': 'true' } : {}) });
    dot.appendChild(svg('title', {}, d.label));
    root.appendChild(dot);
  }
  return root;
}

/** A categorical parameter: the best objective value reached with each choice. */
export function choiceBars(caption: string, values: { label: string; value: number | null; best: boolean }[], fmt: (v: number) => string): SVGElement {
  return barChart(caption, values.map((v) => ({ label: v.label, value: v.value, series: v.best ? 1 : 0, mark: v.best ? '★' : undefined })), fmt);
}
