// Child process for bench/evalRunner.ts: the fake LLM endpoint in its own process, so the bench
// measures the runner's overhead rather than the fake server's. Prints its URL on stdout, then
// takes `latency <ms>` lines on stdin to change the answer delay. An argument: the port to listen on.
import readline from 'node:readline';
import { behaviors, startFakeLlmServer } from '../test/helpers/fakeLlmServer';

async function main(): Promise<void> {
  const server = await startFakeLlmServer({ recordBodies: false, recordRequests: false, port: process.argv[2] ? Number(process.argv[2]) : undefined });
  process.stdout.write(`${server.url}\n`);
  const rl = readline.createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    const m = /^latency (\d+)$/.exec(line.trim());
    if (m) {
      server.setBehavior(behaviors.echo({ latencyMs: Number(m[1]) }));
      process.stdout.write('ok\n');
    }
  });
  rl.on('close', () => { void server.stop().then(() => process.exit(0)); });
}

void main();
