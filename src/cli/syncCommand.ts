// `prompt-ledger sync --to <server>`: pushes the embedded store (default ./.promptledger) to an
// MLflow server; running it again creates nothing twice, and an interrupted sync resumes.
import path from 'node:path';
import { openEmbeddedStore } from '../core/tracking/local/embeddedStore';
import { describeSyncReport, SyncAbortedError, syncStore } from '../core/tracking/sync/syncToServer';
import { EMBEDDED_DIR_NAME, openTrackingStore, resolveTrackingUri } from '../core/tracking/trackingUri';
import { EXIT, type CliIo } from './evalCommand';
import { parseCommandArgs } from './commandArgs';

export const SYNC_USAGE = `Usage: prompt-ledger sync --to <http(s)://mlflow-server> [--from <store dir>]

Pushes the workspace store (default ./${EMBEDDED_DIR_NAME}) to an MLflow server: experiments, runs
with metric histories, artifacts, prompts, versions and aliases. Running it again creates nothing
twice; an interrupted sync resumes. Auth: MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME/PASSWORD.
--to defaults to MLFLOW_TRACKING_URI when that is an http(s) URL.
`;

export async function syncCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs(argv, io, { command: 'sync', usage: SYNC_USAGE, options: { to: { type: 'string' }, from: { type: 'string' } },
    check: ({ positionals }) => { if (positionals.length) throw new Error(`unexpected argument '${positionals[0]}': sync takes only --to and --from`); } });
  if (typeof parsed === 'number') return parsed;
  const values = parsed.values as { to?: string; from?: string };
  const url = values.to ?? (/^https?:\/\//i.test(io.env.MLFLOW_TRACKING_URI ?? '') ? io.env.MLFLOW_TRACKING_URI : undefined);
  if (!url) {
    io.stderr.write(`prompt-ledger sync: say where to push with --to http://host:port (or set MLFLOW_TRACKING_URI).\n`);
    return EXIT.badInput;
  }
  const target = resolveTrackingUri({ setting: url, env: {}, workspaceRoot: io.cwd });
  if (target.kind !== 'mlflow') {
    io.stderr.write(`prompt-ledger sync: --to ${url} is not an MLflow server URL (http(s)://host:port).\n`);
    return EXIT.badInput;
  }
  const from = await openEmbeddedStore(path.resolve(io.cwd, values.from ?? EMBEDDED_DIR_NAME));
  const to = await openTrackingStore(target, { env: io.env });
  try {
    const report = await syncStore(from, to, {
      signal: io.signal,
      onProgress: (p) => { if (!io.isTty) return; io.stderr.write(`\r${p.phase} ${p.done}/${p.total}   `); },
    });
    if (io.isTty) io.stderr.write('\n');
    for (const w of report.warnings) io.stderr.write(`warning: ${w}\n`);
    io.stdout.write(`${describeSyncReport(report)}\n`);
    return EXIT.ok;
  } catch (e) {
    if (e instanceof SyncAbortedError) {
      io.stderr.write(`sync cancelled after ${describeSyncReport(e.report)} Run it again to resume.\n`);
      return EXIT.cancelled;
    }
    io.stderr.write(`prompt-ledger sync: ${(e as Error).message}\n`);
    return EXIT.thresholds;
  } finally {
    await to.close().catch(() => undefined);
    await from.close().catch(() => undefined);
  }
}
