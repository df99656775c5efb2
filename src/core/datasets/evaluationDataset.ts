// `--push-dataset` / suite `push_dataset: true`: the suite's dataset as an MLflow evaluation
// dataset (MLflow 3.17's REST API, as mlflow/store/tracking/rest_store.py calls it): found by name
// in the run's experiment, else created (datasets/create), then its records upserted
// (datasets/{id}/records; MLflow matches records on their inputs, so pushing again updates).
// A record is the case's vars as inputs, its expected value as the `expected_response`
// expectation (the name our traces and MLflow's judges use) and its source document path@commit.
// Only SQL-backed servers have evaluation datasets; everywhere else the answer says why not.
import path from 'node:path';
import type { TrackingStore } from '../tracking/types';
import { isTrackingError } from '../tracking/types';
import { MlflowStore } from '../tracking/mlflow/mlflowStore';
import { MLFLOW_TAG } from '../tracking/mlflowTags';
import { quoteFilterValue } from '../tracking/filter';
import { EXPECTATION_NAME } from '../tracking/traces/assessments';
import type { LoadedDataset } from '../eval/dataset';

/** Records per upsert request (MLflow parses them as one JSON string). */
const RECORDS_PER_REQUEST = 500;

export type PushDatasetResult =
  | { pushed: true; datasetId: string; name: string; source: string; records: number; inserted: number; updated: number; created: boolean }
  | { pushed: false; reason: string };

export const EMBEDDED_HAS_NO_DATASETS = 'The embedded store has no MLflow evaluation datasets; the dataset is kept as the run\'s input and artifact. To push it, run against an MLflow server with a SQL backend (--tracking-uri http://host:5000).';

export interface DatasetRecord {
  inputs: Record<string, unknown>;
  expectations?: Record<string, unknown>;
  tags: Record<string, string>;
  source: { source_type: 'DOCUMENT'; source_data: { doc_uri: string } };
}

/** The dataset's cases as MLflow evaluation dataset records. */
export function datasetRecords(dataset: Pick<LoadedDataset, 'cases'>, source: string): DatasetRecord[] {
  const out: DatasetRecord[] = [];
  for (const c of dataset.cases) {
    out.push({
      inputs: c.vars,
      ...(c.expected !== undefined ? { expectations: { [EXPECTATION_NAME]: c.expected } } : {}),
      tags: { case_id: c.id },
      source: { source_type: 'DOCUMENT', source_data: { doc_uri: source } },
    });
  }
  return out;
}

function unsupported(e: unknown): string | undefined {
  if (!isTrackingError(e)) return undefined;
  const status = (e as { httpStatus?: number }).httpStatus;
  if (status === 501 || status === 404 || /FEATURE_DISABLED|not supported|not implemented/i.test(e.message)) {
    return `This MLflow server's backend does not support evaluation datasets (they need a SQL backend, e.g. mlflow server --backend-store-uri sqlite:///mlflow.db): ${e.message}`;
  }
  return undefined;
}

export interface PushDatasetRequest {
  dataset: Pick<LoadedDataset, 'cases' | 'hash' | 'path' | 'fileName'>;
  /** The run whose experiment gets the dataset and whose git commit names the source. */
  experimentId: string;
  runId: string;
  workspaceRoot: string;
}

export async function pushEvaluationDataset(store: TrackingStore, req: PushDatasetRequest): Promise<PushDatasetResult> {
  if (!(store instanceof MlflowStore)) return { pushed: false, reason: EMBEDDED_HAS_NO_DATASETS };
  const http = store.httpClient;
  const { dataset } = req;
  const name = dataset.path ? path.relative(req.workspaceRoot, dataset.path).split(path.sep).join('/') : dataset.fileName;
  const commit = (await store.getRun(req.runId)).data.tags.find((t) => t.key === MLFLOW_TAG.gitCommit)?.value;
  const source = commit ? `${name}@${commit}` : name;
  try {
    const found = await http.request('POST', 'api/3.0/mlflow/datasets/search', {
      json: { experiment_ids: [req.experimentId], filter_string: `name = ${quoteFilterValue(name)}`, max_results: 1 }, retry: 'always',
    }) as { datasets?: { dataset_id: string }[] };
    let datasetId = found.datasets?.[0]?.dataset_id;
    const created = !datasetId;
    if (!datasetId) {
      const res = await http.request('POST', 'api/3.0/mlflow/datasets/create', {
        json: { name, experiment_ids: [req.experimentId], tags: JSON.stringify({ source, digest: dataset.hash }) }, retry: 'unsent',
      }) as { dataset: { dataset_id: string } };
      datasetId = res.dataset.dataset_id;
    }
    const records = datasetRecords(dataset, source);
    let inserted = 0;
    let updated = 0;
    for (let i = 0; i < records.length; i += RECORDS_PER_REQUEST) {
      const res = await http.request('POST', `api/3.0/mlflow/datasets/${encodeURIComponent(datasetId)}/records`, {
        json: { records: JSON.stringify(records.slice(i, i + RECORDS_PER_REQUEST)) }, retry: 'always',
      }) as { inserted_count?: number; updated_count?: number };
      inserted += res.inserted_count ?? 0;
      updated += res.updated_count ?? 0;
    }
    return { pushed: true, datasetId, name, source, records: records.length, inserted, updated, created };
  } catch (e) {
    const why = unsupported(e);
    if (why) return { pushed: false, reason: why };
    throw e;
  }
}
