// JUnit XML for CI test tabs: one <testsuite> per run (suite × model), one <testcase> per row.
import path from 'node:path';
import type { SuiteResult } from '../core/eval/runner';

function esc(s: string): string {
  // XML 1.0 forbids most control characters even as references; drop them.
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function junitXml(results: readonly SuiteResult[]): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  let tests = 0;
  let failures = 0;
  let errors = 0;
  const suites: string[] = [];
  for (const s of results) {
    for (const run of s.runs) {
      const name = `${path.basename(s.suiteFile)} · ${run.model}`;
      const cases: string[] = [];
      let f = 0;
      let e = 0;
      for (const row of run.rows) {
        const caseName = `${row.caseId}${row.repeat ? ` #${row.repeat + 1}` : ''}`;
        const time = ((row.latencyMs ?? 0) / 1000).toFixed(3);
        let body = '';
        if (row.error) {
          e++;
          body = `<error type="${esc(row.error.kind)}" message="${esc(row.error.message)}"/>`;
        } else if (!row.pass) {
          f++;
          const why = row.scores.filter((x) => !x.pass && !x.metricOnly).map((x) => `${x.name}: ${x.reason}`).join('\n');
          body = `<failure message="${esc(why.split('\n')[0] ?? 'failed')}">${esc(`${why}\n\noutput:\n${row.output ?? ''}`)}</failure>`;
        }
        cases.push(`    <testcase classname="${esc(name)}" name="${esc(caseName)}" time="${time}">${body}</testcase>`);
      }
      for (const t of run.thresholds) {
        const body = t.pass ? '' : `<failure message="${esc(`${t.metric} = ${t.value ?? 'missing'}, needs ${t.op === 'min' ? '≥' : '≤'} ${t.limit}`)}"/>`;
        if (!t.pass) f++;
        cases.push(`    <testcase classname="${esc(name)}" name="threshold ${esc(t.metric)}" time="0">${body}</testcase>`);
      }
      if (run.status === 'FAILED' || run.status === 'KILLED') {
        e++;
        cases.push(`    <testcase classname="${esc(name)}" name="run" time="0"><error type="${run.status}" message="${esc(run.error ?? run.status)}"/></testcase>`);
      }
      tests += cases.length;
      failures += f;
      errors += e;
      suites.push(`  <testsuite name="${esc(name)}" tests="${cases.length}" failures="${f}" errors="${e}" time="${(s.durationMs / 1000).toFixed(3)}">\n    <properties><property name="mlflow.runId" value="${esc(run.runId)}"/><property name="experimentId" value="${esc(run.experimentId)}"/></properties>\n${cases.join('\n')}\n  </testsuite>`);
    }
  }
  out.push(`<testsuites name="prompt-ledger" tests="${tests}" failures="${failures}" errors="${errors}">`);
  out.push(...suites);
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
