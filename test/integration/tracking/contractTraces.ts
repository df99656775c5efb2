// The TraceStore part of the backend contract (contract.ts runs it for each backend): case traces
// with their assessments are kept and read back the same way on a server and in the embedded
// store, a batch written again (a journal replay, a re-sync) leaves each trace and assessment
// once, and reads page.
import assert from 'node:assert/strict';
import type { StoredTrace, TrackingStore } from '../../../src/core/tracking/types';
import { buildCaseTrace } from '../../../src/core/tracking/traces/caseTrace';
import { NO_OUTPUT_ERROR_CODE } from '../../../src/core/tracking/traces/assessments';
import { caseInputs, runContext, SCORERS } from '../traces/caseTraceFixtures';

async function allTraces(store: TrackingStore, experimentId: string, runId: string, maxResults?: number): Promise<StoredTrace[]> {
  const out: StoredTrace[] = [];
  let pageToken: string | undefined;
  do {
    const page = await store.searchRunTraces({ experimentId, runId, maxResults, pageToken });
    out.push(...page.items);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return out;
}

export function defineTraceContract(getStore: () => TrackingStore, n: (base: string) => string): void {
  describe('traces', function () {
    async function runWithTraces(name: string) {
      const store = getStore();
      const experimentId = await store.createExperiment(n(name));
      const runId = (await store.createRun({ experimentId, runName: name })).info.runId;
      const ctx = { ...runContext(experimentId, runId, { name: 'greet', version: '1' }), scorerNames: [SCORERS.code, SCORERS.judge] };
      const traces = caseInputs().map((i) => buildCaseTrace(ctx, i));
      await store.logTraces({ runId, experimentId, traces: traces.slice(0, 3), linkedPrompt: { name: 'greet', version: '1' } });
      await store.logTraces({ runId, experimentId, traces: traces.slice(3), linkedPrompt: { name: 'greet', version: '1' } });
      return { store, experimentId, runId, traces };
    }

    it('keeps each case trace of a run with its feedback and expectation', async function () {
      const { store, experimentId, runId, traces } = await runWithTraces('traces-kept');
      const got = await allTraces(store, experimentId, runId);
      assert.deepEqual(got.map((t) => t.traceId).sort(), traces.map((t) => t.traceId).sort());
      for (const t of got) {
        assert.equal(t.runId, runId);
        assert.equal(t.experimentId, experimentId);
        assert.ok(t.requestTime > 0);
      }
      const first = got.find((t) => t.tags['promptledger.caseId'] === 'case-1' && t.tags['promptledger.repeat'] === '0');
      assert.ok(first);
      assert.equal(first.state, 'OK');
      const byName = Object.fromEntries(first.assessments.map((a) => [a.name, a]));
      assert.deepEqual(Object.keys(byName).sort(), ['expected_response', SCORERS.code, SCORERS.judge].sort());
      assert.equal(byName.expected_response.kind, 'expectation');
      assert.equal(byName.expected_response.value, 'Hello Ada');
      assert.equal(byName.expected_response.sourceType, 'HUMAN');
      assert.equal(byName[SCORERS.code].kind, 'feedback');
      assert.equal(byName[SCORERS.code].value, 1);
      assert.equal(byName[SCORERS.code].rationale, 'output contains "Hello Ada"');
      assert.equal(byName[SCORERS.code].sourceType, 'CODE');
      assert.equal(byName[SCORERS.judge].sourceType, 'LLM_JUDGE');
      const failed = got.find((t) => t.tags['promptledger.caseId'] === 'case-3');
      assert.equal(failed?.state, 'ERROR');
      // A case without output: one errored feedback per scorer, no value (as mlflow.genai.evaluate logs it).
      assert.deepEqual(failed?.assessments.map((a) => [a.name, a.kind, a.value, a.error?.code]).sort(), [
        [SCORERS.code, 'feedback', null, NO_OUTPUT_ERROR_CODE], [SCORERS.judge, 'feedback', null, NO_OUTPUT_ERROR_CODE]].sort());
      assert.match(failed!.assessments[0].error!.message, /429 Too Many Requests/);
    });

    it('writing the same traces again leaves each trace and assessment once', async function () {
      const { store, experimentId, runId, traces } = await runWithTraces('traces-replayed');
      await store.logTraces({ runId, experimentId, traces, linkedPrompt: { name: 'greet', version: '1' } });
      const got = await allTraces(store, experimentId, runId);
      assert.equal(got.length, traces.length);
      const ids = got.flatMap((t) => t.assessments.map((a) => a.assessmentId));
      assert.equal(ids.length, traces.reduce((k, t) => k + t.assessments.length, 0));
      assert.equal(new Set(ids).size, ids.length);
    });

    it('pages through a run\'s traces without repeats', async function () {
      const { store, experimentId, runId, traces } = await runWithTraces('traces-paged');
      const first = await store.searchRunTraces({ experimentId, runId, maxResults: 2 });
      assert.equal(first.items.length, 2);
      assert.ok(first.nextPageToken);
      const got = await allTraces(store, experimentId, runId, 2);
      assert.equal(new Set(got.map((t) => t.traceId)).size, traces.length);
    });

    it('another run\'s traces are not the run\'s', async function () {
      const { store, experimentId } = await runWithTraces('traces-scoped');
      const other = (await store.createRun({ experimentId, runName: 'no-traces' })).info.runId;
      assert.deepEqual((await store.searchRunTraces({ experimentId, runId: other })).items, []);
    });
  });
}
