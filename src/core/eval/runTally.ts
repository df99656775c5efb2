// A run's results as its rows are recorded: the metrics (RunAggregator), the results table's rows
// serialized into a spool file (tableSpool.ts), the first failing rows, and the rows themselves
// when the caller keeps them. Fed one row at a time while the run goes on, so the run's end does
// not read the whole journal back (at 50,000 rows that pass took over a second after the last
// case). Sums cannot take a row out again: when a row is recorded a second time (retry errors),
// the recorder starts a new tally from the journal instead (runRecorder.ts).
import type { CaseRow } from './caseRow';
import { RunAggregator } from './runMetrics';
import { tableColumns, tableRow } from './resultsTable';
import { TableSpool } from './tableSpool';

const FAILING_SAMPLE = 5;

export interface TallyOptions {
  /** Rows the run has in all (cases × repeat). */
  totalRows: number;
  repeat: number;
  passAtK?: readonly number[];
  /** Score columns of the table, in order. */
  scorerNames: readonly string[];
  /** Keep every row in memory for the caller (RunSuiteOptions.keepRows). */
  keepRows: boolean;
}

export interface TallyResult {
  metrics: Record<string, number>;
  /** In row order; empty unless keepRows. */
  rows: CaseRow[];
  failing: { count: number; sample: CaseRow[] };
  /** The results table artifact's bytes. */
  table: Buffer;
}

export class RunTally {
  private readonly agg: RunAggregator;
  private readonly spool: TableSpool;
  private readonly kept: [number, CaseRow][] = [];
  /** The lowest-indexed failing rows seen, in row order. */
  private readonly failing: [number, CaseRow][] = [];
  private failingCount = 0;

  constructor(private readonly o: TallyOptions) {
    this.agg = new RunAggregator({ repeat: o.repeat, passAtK: o.passAtK });
    this.spool = new TableSpool(o.totalRows);
  }

  /** Row `i`, recorded for the first time in this tally. */
  add(i: number, row: CaseRow): void {
    this.agg.add(row);
    this.spool.add(i, JSON.stringify(tableRow(row, this.o.scorerNames)));
    if (this.o.keepRows) this.kept.push([i, row]);
    if (row.pass) return;
    this.failingCount++;
    const f = this.failing;
    if (f.length < FAILING_SAMPLE || i < f[f.length - 1][0]) {
      f.push([i, row]);
      f.sort((a, b) => a[0] - b[0]);
      if (f.length > FAILING_SAMPLE) f.pop();
    }
  }

  result(): TallyResult {
    return {
      metrics: this.agg.metrics(),
      rows: this.kept.sort((a, b) => a[0] - b[0]).map(([, r]) => r),
      failing: { count: this.failingCount, sample: this.failing.map(([, r]) => r) },
      table: this.spool.assemble(`{"columns":${JSON.stringify(tableColumns(this.o.scorerNames))},"data":[`, ']}'),
    };
  }

  close(): void {
    this.spool.close();
  }
}
