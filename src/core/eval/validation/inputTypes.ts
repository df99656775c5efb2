// Does a dataset value fit the type a Prompty input declares (`type:` in v1, `kind:` in v2)?
// The runner passes values to the template as they are, so a mismatch changes what renders:
// the string "false" is truthy in `{% if flag %}`, an object prints as `[object Object]`.
import type { Severity } from '../diagnostics';

type Kind = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';

const ALIASES: Record<string, Kind> = {
  string: 'string', str: 'string', text: 'string',
  number: 'number', float: 'number', double: 'number',
  integer: 'integer', int: 'integer',
  boolean: 'boolean', bool: 'boolean',
  array: 'array', list: 'array',
  object: 'object', dict: 'object', map: 'object',
};

export interface TypeMismatch { severity: Severity; message: string; hint: string }

/** Kinds we check; others (thread, image, file…) are not ours to judge. */
export function inputKind(declared: string | undefined): Kind | undefined {
  return declared ? ALIASES[declared.toLowerCase()] : undefined;
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return `${typeof v} ${String(v)}`;
}

const isNumericString = (v: unknown) => typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v));

/**
 * undefined when the value fits. `csv`: cells are always text, so numeric strings for number
 * inputs are fine there (they render the same) but booleans still are not.
 */
export function checkInputType(name: string, declared: string, value: unknown, csv: boolean): TypeMismatch | undefined {
  const kind = inputKind(declared);
  if (!kind || value === undefined || value === null) return undefined;
  const got = describe(value);
  switch (kind) {
    case 'boolean':
      if (typeof value === 'boolean') return undefined;
      return {
        severity: 'error',
        message: `\`${name}\` is ${got} but the prompt declares it boolean`,
        hint: csv
          ? 'CSV cells are text and any non-empty text is true in the template: move boolean cases to a JSONL dataset (`"' + name + '": true`), or declare the input as string and test `' + name + " == 'yes'`"
          : `write true or false without quotes (a string such as "false" is true in \`{% if ${name} %}\`)`,
      };
    case 'number':
    case 'integer': {
      const n = typeof value === 'number' ? value : isNumericString(value) ? Number(value) : undefined;
      if (n === undefined) return { severity: 'error', message: `\`${name}\` is ${got} but the prompt declares it ${kind}`, hint: `give a number such as 3` };
      if (kind === 'integer' && !Number.isInteger(n)) return { severity: 'error', message: `\`${name}\` is ${got} but the prompt declares it integer`, hint: 'give a whole number' };
      if (typeof value === 'string' && !csv) return { severity: 'warning', message: `\`${name}\` is ${got}, a number in quotes; the prompt declares it ${kind}`, hint: `drop the quotes: ${n}` };
      return undefined;
    }
    case 'string':
      if (typeof value === 'object') return { severity: 'error', message: `\`${name}\` is ${got} but the prompt declares it string`, hint: 'give text, or declare the input as array/object' };
      return undefined;
    case 'array':
      if (Array.isArray(value)) return undefined;
      return { severity: 'error', message: `\`${name}\` is ${got} but the prompt declares it array`, hint: csv ? 'CSV cells are text: use a JSONL dataset for list values' : 'give a JSON list such as ["a", "b"]' };
    case 'object':
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) return undefined;
      return { severity: 'error', message: `\`${name}\` is ${got} but the prompt declares it object`, hint: csv ? 'CSV cells are text: use a JSONL dataset for object values' : 'give a JSON object such as {"k": "v"}' };
  }
}
