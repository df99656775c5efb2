// Builds every bundle: the extension host (CommonJS, `vscode` external), the CLI (plain Node),
// one browser bundle per webview panel, and the extension-host test bundle.
// `--production` minifies (with sourcemaps) and skips test bundles; `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const root = path.dirname(new URL(import.meta.url).pathname);

// zod's `z` namespace pulls in ~40 locales (≈240 KB minified); our messages are English only.
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onLoad({ filter: /zod[\\/]v4[\\/]locales[\\/]index\.c?js$/ }, (args) => ({
      contents: args.path.endsWith('.cjs') ? 'exports.en = require("./en.cjs").default;' : 'export { default as en } from "./en.js";',
      loader: 'js',
      resolveDir: path.dirname(args.path),
    }));
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: true,
  sourcesContent: !production,
  logLevel: 'warning',
  metafile: true,
  legalComments: 'none',
  // Prefer packages' ES module builds so unused code is tree-shaken.
  mainFields: ['module', 'main'],
  plugins: [zodEnglishOnly],
};

const panels = fs.existsSync(path.join(root, 'webview-ui'))
  ? fs.readdirSync(path.join(root, 'webview-ui'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(root, 'webview-ui', d.name, 'main.ts')))
    .map((d) => d.name)
  : [];

const testEntries = fs.existsSync(path.join(root, 'test/exthost'))
  ? fs.readdirSync(path.join(root, 'test/exthost')).filter((f) => f.endsWith('.ts')).map((f) => `test/exthost/${f}`)
  : [];

const builds = [
  { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] },
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', target: 'node20', banner: { js: '#!/usr/bin/env node' } },
  ...panels.map((name) => ({ ...common, entryPoints: [`webview-ui/${name}/main.ts`], outfile: `dist/webview/${name}.js`, platform: 'browser', format: 'iife', target: 'es2022', mainFields: ['browser', 'module', 'main'] })),
];
// The activation bench runs inside the extension host too, so it is bundled in every build.
builds.push({ ...common, entryPoints: ['bench/exthost/index.ts'], outfile: 'out/bench/exthost/index.js', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] });
if (!production && testEntries.length) {
  builds.push({ ...common, entryPoints: testEntries, outdir: 'out/test/exthost', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode', 'mocha'] });
}

if (watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
  console.log('[esbuild] watching');
} else {
  const sizes = {};
  await Promise.all(builds.map(async (b) => {
    const result = await esbuild.build(b);
    for (const [out, info] of Object.entries(result.metafile.outputs)) {
      if (!out.endsWith('.map')) sizes[out] = info.bytes;
    }
  }));
  fs.mkdirSync('dist', { recursive: true });
  fs.writeFileSync('dist/bundle-sizes.json', JSON.stringify(sizes, null, 2));
  console.log(`[esbuild] built ${Object.keys(sizes).length} bundles${production ? ' (production)' : ''}`);
}
