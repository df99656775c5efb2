// A virtualized table body: only the rows in view (plus a small overscan) exist in the DOM, so
// thousands of rows scroll smoothly. Rows have a fixed height; cells clip long text (the detail
// view shows it whole). Keyboard: the viewport takes focus, ↑/↓/PgUp/PgDn/Home/End move the
// active row, Enter or Space activates it.
export interface VirtualTableOptions<T> {
  viewport: HTMLElement;
  body: HTMLElement;
  rowHeight: number;
  overscan?: number;
  renderRow(item: T, index: number): HTMLElement;
  onActivate?(item: T, index: number): void;
  /** Called after each render with the rendered range (tests and benchmarks read it). */
  onRender?(first: number, last: number): void;
}

export class VirtualTable<T> {
  private items: T[] = [];
  private readonly rendered = new Map<number, HTMLElement>();
  private active = -1;
  private frame = 0;

  constructor(private readonly o: VirtualTableOptions<T>) {
    o.viewport.tabIndex = 0;
    o.viewport.setAttribute('role', 'grid');
    o.viewport.addEventListener('scroll', () => this.schedule(), { passive: true });
    o.viewport.addEventListener('keydown', (e) => this.onKey(e));
    new ResizeObserver(() => this.schedule()).observe(o.viewport);
  }

  setItems(items: T[]): void {
    this.items = items;
    for (const [, row] of this.rendered) row.remove();
    this.rendered.clear();
    if (this.active >= items.length) this.active = items.length - 1;
    this.o.body.style.height = `${items.length * this.o.rowHeight}px`;
    this.o.viewport.setAttribute('aria-rowcount', String(items.length));
    this.render();
  }

  get length(): number { return this.items.length; }

  scrollToIndex(i: number): void {
    const top = i * this.o.rowHeight;
    const vp = this.o.viewport;
    const header = vp.clientHeight - this.visibleHeight();
    if (top < vp.scrollTop) vp.scrollTop = top;
    else if (top + this.o.rowHeight > vp.scrollTop + vp.clientHeight - header) vp.scrollTop = top + this.o.rowHeight - vp.clientHeight + header;
    this.render();
  }

  private visibleHeight(): number { return Math.max(0, this.o.viewport.clientHeight - this.o.body.offsetTop); }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.render(); });
  }

  render(): void {
    const { rowHeight } = this.o;
    const overscan = this.o.overscan ?? 6;
    const scrollTop = Math.max(0, this.o.viewport.scrollTop - this.o.body.offsetTop);
    const height = this.o.viewport.clientHeight || 600;
    const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
    const last = Math.min(this.items.length - 1, Math.ceil((scrollTop + height) / rowHeight) + overscan);
    for (const [i, row] of this.rendered) {
      if (i < first || i > last) { row.remove(); this.rendered.delete(i); }
    }
    for (let i = first; i <= last; i++) {
      if (this.rendered.has(i)) continue;
      const row = this.o.renderRow(this.items[i], i);
      row.style.top = `${i * rowHeight}px`;
      row.style.height = `${rowHeight}px`;
      row.setAttribute('role', 'row');
      row.setAttribute('aria-rowindex', String(i + 1));
      row.dataset.index = String(i);
      row.classList.toggle('active', i === this.active);
      row.addEventListener('click', () => { this.setActive(i); this.o.onActivate?.(this.items[i], i); });
      this.o.body.appendChild(row);
      this.rendered.set(i, row);
    }
    this.o.onRender?.(first, last);
  }

  private setActive(i: number): void {
    this.rendered.get(this.active)?.classList.remove('active');
    this.active = i;
    const row = this.rendered.get(i);
    row?.classList.add('active');
    if (row) this.o.viewport.setAttribute('aria-activedescendant', row.id || '');
  }

  private onKey(e: KeyboardEvent): void {
    if (this.items.length === 0) return;
    const page = Math.max(1, Math.floor(this.visibleHeight() / this.o.rowHeight) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, Home: -Infinity, End: Infinity };
    if (e.key in moves) {
      e.preventDefault();
      const next = Math.max(0, Math.min(this.items.length - 1, (this.active < 0 ? -1 : this.active) + moves[e.key]));
      this.setActive(Number.isFinite(next) ? next : 0);
      this.scrollToIndex(this.active);
      this.setActive(this.active);
    } else if ((e.key === 'Enter' || e.key === ' ') && this.active >= 0) {
      e.preventDefault();
      this.o.onActivate?.(this.items[this.active], this.active);
    }
  }
}
