// Runs a short script with MLflow's own Python client (the pinned venv) against a tracking URI,
// so tests can check that what we wrote is what MLflow itself reads back.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { venvPython } from '../setup/versions.mjs';

const run = promisify(execFile);

/**
 * Runs `script` with MLFLOW_TRACKING_URI set and returns the JSON its last stdout line prints
 * (the script should end with `print(json.dumps(...))`).
 */
export async function runMlflowPython<T = unknown>(trackingUri: string, script: string): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-py-'));
  try {
    const file = path.join(dir, 'check.py');
    fs.writeFileSync(file, script);
    const { stdout } = await run(venvPython(), [file], {
      env: { ...process.env, MLFLOW_TRACKING_URI: trackingUri, MLFLOW_ENABLE_ASYNC_LOGGING: 'false', GIT_PYTHON_REFRESH: 'quiet' },
      cwd: dir,
      maxBuffer: 16 * 1024 * 1024,
    });
    const line = stdout.trim().split('\n').pop() ?? '';
    try { return JSON.parse(line) as T; } catch {
      throw new Error(`The Python check printed no JSON on its last line:\n${stdout.slice(-2000)}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
