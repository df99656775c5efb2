// The bundles a bench runs are the production ones users get (minified, as `npm run bench` builds
// them first). A bench that built the development bundles instead left them in dist/ for every
// bench after it in the same run.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '..');

export function buildProductionBundles(stdio: 'ignore' | 'inherit' = 'ignore'): void {
  execFileSync(process.execPath, [path.join(root, 'esbuild.mjs'), '--production'], { cwd: root, stdio });
}
