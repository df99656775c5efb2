// Untrusted workspaces may browse prompts and runs but never execute an eval: suites can name
// command providers and javascript scorers, i.e. code from the workspace. One decision function,
// so the rule is testable without toggling VS Code's trust state.

export const UNTRUSTED_EVAL_MESSAGE =
  'Evals do not run in an untrusted workspace: a suite can run workspace code (command providers, javascript scorers). '
  + 'Trust this folder (Manage Workspace Trust) to run evals; browsing prompts, runs and the registry still works.';

/** Why an eval may not run here, or undefined when it may. */
export function evalRefusal(trusted: boolean): string | undefined {
  return trusted ? undefined : UNTRUSTED_EVAL_MESSAGE;
}
