// Bundle sizes of the production build (`npm run bench` builds it first): the extension host
// bundle against its 500 KB goal, and the CLI and panel bundles for the record.
import fs from 'node:fs';
import path from 'node:path';
import { reportResult } from './report';

const sizes: Record<string, number> = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'dist', 'bundle-sizes.json'), 'utf8'));
const goals: Record<string, number> = {
  'dist/extension.js': 500 * 1024,
  'dist/cli.js': 1024 * 1024,
  'dist/webview/compare.js': 200 * 1024,
  'dist/webview/registry.js': 200 * 1024,
};
for (const [file, bytes] of Object.entries(sizes)) {
  if (!goals[file]) continue;
  reportResult({ name: `bundle size ${file} (minified; goal ${goals[file] / 1024} KB)`, value: bytes / 1024, unit: 'KB', baseline: goals[file] / 1024 });
}
