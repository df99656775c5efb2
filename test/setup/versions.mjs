// Pinned versions of the heavy test dependencies and where they are cached (per user, by version).
import os from 'node:os';
import path from 'node:path';

export const MLFLOW_VERSION = '3.17.2';
export const CODE_SERVER_VERSION = '4.100.3'; // VS Code 1.100.3; runs on the machine's Node 20
export const PYTHON_PACKAGES = [`mlflow==${MLFLOW_VERSION}`, 'psycopg2-binary==2.9.13'];

export function cacheRoot() {
  if (process.env.PROMPT_LEDGER_CACHE) return process.env.PROMPT_LEDGER_CACHE;
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'prompt-ledger');
}
export const mlflowVenvDir = () => path.join(cacheRoot(), `mlflow-${MLFLOW_VERSION}-venv`);
export const mlflowBin = () => path.join(mlflowVenvDir(), 'bin', 'mlflow');
export const venvPython = () => path.join(mlflowVenvDir(), 'bin', 'python');
export const codeServerDir = () => path.join(cacheRoot(), `code-server-${CODE_SERVER_VERSION}`);
export const codeServerBin = () => path.join(codeServerDir(), 'node_modules', '.bin', 'code-server');
