// The governance settings, read the same way by the editor (VS Code settings) and the CLI (the
// workspace's .vscode/settings.json, so CI obeys the rules the team committed):
//   promptLedger.governance.requireEvalForProduction: boolean
//   promptLedger.governance.approvals: { "<alias>": <approvals by other users, 0–5> }
import fs from 'node:fs';
import path from 'node:path';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { governanceFrom, type Governance } from './promptRegistry';

export const APPROVALS_SETTING = 'promptLedger.governance.approvals';
export const REQUIRE_EVAL_SETTING = 'promptLedger.governance.requireEvalForProduction';
const MAX_APPROVALS = 5;

export class GovernanceSettingsError extends Error {}

/** Validates the approvals setting; `where` names the file or settings scope in the error. */
export function parseApprovalsSetting(value: unknown, where: string): Record<string, number> {
  if (value === undefined || value === null) return {};
  const fix = `Use an object of alias → number of approvers, e.g. "${APPROVALS_SETTING}": { "production": 1 }.`;
  if (typeof value !== 'object' || Array.isArray(value)) throw new GovernanceSettingsError(`${where}: ${APPROVALS_SETTING} must be an object. ${fix}`);
  const out: Record<string, number> = {};
  for (const [alias, n] of Object.entries(value as Record<string, unknown>)) {
    if (!/^[\w-]+$/.test(alias)) throw new GovernanceSettingsError(`${where}: ${APPROVALS_SETTING} has alias '${alias}'; aliases use letters, digits, _ and -. ${fix}`);
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_APPROVALS) {
      throw new GovernanceSettingsError(`${where}: ${APPROVALS_SETTING}.${alias} is ${JSON.stringify(n)}; use a whole number from 0 to ${MAX_APPROVALS}. ${fix}`);
    }
    if (n > 0) out[alias] = n;
  }
  return out;
}

/** Governance from <root>/.vscode/settings.json (JSON with comments); none when the file is absent. */
export function readWorkspaceGovernance(root: string): Governance {
  const file = path.join(root, '.vscode', 'settings.json');
  if (!fs.existsSync(file)) return governanceFrom(false);
  const text = fs.readFileSync(file, 'utf8');
  const errors: ParseError[] = [];
  const json = parse(text, errors, { allowTrailingComma: true }) as Record<string, unknown> | undefined;
  const shown = path.relative(process.cwd(), file) || file;
  if (errors.length) {
    const e = errors[0];
    const before = text.slice(0, e.offset);
    const line = before.split('\n').length;
    const col = e.offset - before.lastIndexOf('\n');
    throw new GovernanceSettingsError(`${shown}:${line}:${col}: ${printParseErrorCode(e.error)}; fix the JSON so the governance settings can be read.`);
  }
  const settings = json && typeof json === 'object' ? json : {};
  const requireEval = settings[REQUIRE_EVAL_SETTING];
  if (requireEval !== undefined && typeof requireEval !== 'boolean') throw new GovernanceSettingsError(`${shown}: ${REQUIRE_EVAL_SETTING} must be true or false.`);
  return governanceFrom(requireEval === true, parseApprovalsSetting(settings[APPROVALS_SETTING], shown));
}
