// What every CLI command gets (streams, cwd, env, whether a terminal is attached, Ctrl-C) and
// the exit codes they share.
export const EXIT = { ok: 0, thresholds: 1, badInput: 2, budget: 3, cancelled: 130 } as const;

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  cwd: string;
  env: NodeJS.ProcessEnv;
  isTty: boolean;
  signal?: AbortSignal;
}
