// The dataset check's input-token count of every case, for a run's prompt, kept beside its case
// journal (`input-tokens.u32`: 4 bytes a case, little-endian). A resume of a run that was checked
// when it began does not check again (runner.ts), and without these counts its cost estimate would
// render every pending case once more (~0.18 s at 25,000 cases). A cache, not a record: written
// without fsync, and a missing or short file only means the estimate renders the cases itself.
import fs from 'node:fs';
import path from 'node:path';

const FILE = 'input-tokens.u32';

const fileBeside = (journalFile: string) => path.join(path.dirname(journalFile), FILE);

export function saveInputTokens(journalFile: string, tokens: Uint32Array): void {
  const b = Buffer.allocUnsafe(tokens.length * 4);
  for (let i = 0; i < tokens.length; i++) b.writeUInt32LE(tokens[i], i * 4);
  try {
    fs.writeFileSync(fileBeside(journalFile), b);
  } catch {
    // The estimate renders the cases instead.
  }
}

/** The counts saved for a run of `cases` cases, or undefined when there are none of that length. */
export function loadInputTokens(journalFile: string, cases: number): Uint32Array | undefined {
  let b: Buffer;
  try {
    b = fs.readFileSync(fileBeside(journalFile));
  } catch {
    return undefined;
  }
  if (b.length !== cases * 4) return undefined;
  const out = new Uint32Array(cases);
  for (let i = 0; i < cases; i++) out[i] = b.readUInt32LE(i * 4);
  return out;
}
