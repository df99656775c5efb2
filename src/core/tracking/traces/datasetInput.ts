// The eval dataset as a run input (runs/log-inputs), so MLflow's run page and its Evaluation
// runs list show which data a run used. Shape as mlflow.genai.evaluate logs it: source, schema
// and profile are JSON strings; the digest is capped at 36 characters by the server.
import { pyDumps } from './pyJson';
import { INPUT_TAGS } from './traceKeys';
import { MLFLOW_TAG } from '../mlflowTags';

export const MAX_DIGEST_CHARS = 36;

export interface DatasetInputSpec {
  /** Shown as the dataset's name, e.g. the file name. */
  name: string;
  /** The dataset's content hash (hex; cut to 36 chars). */
  hash: string;
  /** Workspace-relative path (absent for inline cases). */
  path?: string;
  /** Git commit of the suite/prompt checkout, recorded as path@commit. */
  commit?: string;
  rows: number;
  /** Variable names and whether each case has an expectation, for the schema. */
  variables: string[];
  hasExpectations: boolean;
}

export interface DatasetInputBody {
  tags: { key: string; value: string }[];
  dataset: { name: string; digest: string; source_type: string; source: string; schema: string; profile: string };
}

export function buildDatasetInput(d: DatasetInputSpec): DatasetInputBody {
  const where = d.path ? (d.commit ? `${d.path}@${d.commit}` : d.path) : '(inline cases)';
  const colspec: unknown[] = [{
    type: 'object',
    properties: Object.fromEntries(d.variables.map((v) => [v, { type: 'string', required: false }])),
    name: 'inputs',
    required: true,
  }];
  if (d.hasExpectations) {
    colspec.push({ type: 'object', properties: { expected_response: { type: 'string', required: false } }, name: 'expectations', required: false });
  }
  return {
    tags: [{ key: INPUT_TAGS.context, value: 'eval' }],
    dataset: {
      name: d.name.slice(0, 500),
      digest: d.hash.replace(/^sha256:/, '').slice(0, MAX_DIGEST_CHARS),
      source_type: d.path ? 'local' : 'code',
      source: pyDumps(d.path ? { uri: where } : { tags: { [MLFLOW_TAG.sourceName]: where } }),
      schema: pyDumps({ mlflow_colspec: colspec }),
      profile: pyDumps({ num_rows: d.rows }),
    },
  };
}
