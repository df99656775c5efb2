// `prompt-ledger eval --merge <group>`: the suite's metrics over all shards, on the group's parent run.
import { mergeShardGroup, ShardGroupError } from '../core/eval/shardGroup';
import { openTrackingStore, resolveTrackingUri } from '../core/tracking/trackingUri';
import type { TrackingStore } from '../core/tracking/types';
import { EXIT, type CliIo } from './cliIo';
import { printMerge } from './evalOutput';

export async function mergeCommand(group: string, suites: { experiment: string }[], io: CliIo, trackingUri: string | undefined): Promise<number> {
  let store: TrackingStore;
  try {
    store = await openTrackingStore(resolveTrackingUri({ setting: trackingUri, env: io.env, workspaceRoot: io.cwd }), { env: io.env });
  } catch (err) {
    io.stderr.write(`prompt-ledger eval: tracking store: ${(err as Error).message}\n`);
    return EXIT.badInput;
  }
  try {
    let experimentIds: string[] | undefined;
    if (suites.length) {
      experimentIds = [];
      for (const s of suites) {
        const exp = await store.getExperimentByName(s.experiment);
        if (exp) experimentIds.push(exp.experimentId);
      }
    }
    const outcome = await mergeShardGroup(store, group, { experimentIds });
    printMerge(io.stdout, outcome);
    return outcome.complete && outcome.passed ? EXIT.ok : EXIT.thresholds;
  } catch (e) {
    if (!(e instanceof ShardGroupError)) throw e;
    io.stderr.write(`prompt-ledger eval: ${e.message}\n`);
    return EXIT.badInput;
  } finally {
    await store.close().catch(() => undefined);
  }
}

