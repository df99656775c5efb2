// Builds every bundle: the extension host (CommonJS, `vscode` external), the CLI (plain Node),
// one browser bundle per webview panel, and the extension-host test bundle.
// `--production` minifies (with sourcemaps) and skips test bundles; `--watch` rebuilds on change.
// `PL_NO_MINIFY=1` with --production keeps the names (CPU profiles of the bundle the benches run).
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

// The extension host bundle stays small and activates fast. Modules of a lazy group imported
// from outside the group become stubs whose exports are getters that load the group's bundle on
// first use: `src/core` (pure engine) and the webview panels (opened by commands, never during
// activation). Tiny modules needed while activating stay eager.
const LAZY_GROUPS = [
  { dir: path.join(root, 'src', 'core'), bundle: 'promptLedgerCore.js', eager: new Set(['prompts/promptGlobs', 'versions/gitExecutable']) },
  { dir: path.join(root, 'src', 'extension', 'panels'), bundle: 'promptLedgerPanels.js', eager: new Set() },
];
function tsFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    return d.isDirectory() ? tsFiles(p) : d.name.endsWith('.ts') && !d.name.endsWith('.d.ts') ? [p] : [];
  });
}
/** Names of the runtime (non-type) exports of a TypeScript module. */
function valueExportNames(file) {
  const src = fs.readFileSync(file, 'utf8');
  const names = new Set();
  for (const m of src.matchAll(/^export\s+(?:declare\s+)?(?:async\s+)?(?:abstract\s+)?(?:function\*?|class|const|let|var|enum)\s+([A-Za-z_$][\w$]*)/gm)) names.add(m[1]);
  for (const m of src.matchAll(/^export\s+\{([^}]*)\}/gm)) {
    for (const part of m[1].split(',').map((x) => x.trim()).filter(Boolean)) {
      if (part.startsWith('type ')) continue;
      names.add(part.split(/\s+as\s+/).pop().trim());
    }
  }
  return [...names];
}
const moduleId = (group, file) => path.relative(group.dir, file).split(path.sep).join('/').replace(/\.ts$/, '');
const lazyModules = {
  name: 'lazy-modules',
  setup(build) {
    build.onResolve({ filter: /^\./ }, (args) => {
      if (args.namespace !== 'file') return undefined;
      const abs = path.resolve(args.resolveDir, args.path);
      const group = LAZY_GROUPS.find((g) => abs.startsWith(g.dir + path.sep) && !args.importer.startsWith(g.dir + path.sep));
      if (!group) return undefined;
      const file = fs.existsSync(abs + '.ts') ? abs + '.ts' : abs;
      const id = moduleId(group, file);
      return group.eager.has(id) ? { path: file } : { path: `${group.bundle}:${id}`, namespace: 'lazy', pluginData: { file, group, id } };
    });
    build.onLoad({ filter: /.*/, namespace: 'lazy' }, ({ pluginData: { file, group, id } }) => ({
      loader: 'js',
      contents: `let m; const load = () => m || (m = require('./${group.bundle}')[${JSON.stringify(id)}]);\n`
        + valueExportNames(file).map((n) => `Object.defineProperty(exports, ${JSON.stringify(n)}, { enumerable: true, get: () => load()[${JSON.stringify(n)}] });`).join('\n'),
    }));
  },
};
/** The bundle of a lazy group: one object mapping module id → module. */
const groupEntry = (group) => ({
  name: 'group-entry',
  setup(build) {
    build.onResolve({ filter: /^group-entry$/ }, () => ({ path: 'group-entry', namespace: 'group-entry' }));
    build.onLoad({ filter: /.*/, namespace: 'group-entry' }, () => ({
      loader: 'js',
      resolveDir: root,
      contents: 'module.exports = {\n' + tsFiles(group.dir).map((f) => `  ${JSON.stringify(moduleId(group, f))}: require(${JSON.stringify(f)}),`).join('\n') + '\n};',
    }));
  },
});

const common = {
  bundle: true,
  minify: production && !process.env.PL_NO_MINIFY,
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
  { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode', ...LAZY_GROUPS.map((g) => `./${g.bundle}`)], plugins: [zodEnglishOnly, lazyModules] },
  ...LAZY_GROUPS.map((g) => ({ ...common, entryPoints: ['group-entry'], outfile: `dist/${g.bundle}`, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode', ...LAZY_GROUPS.map((x) => `./${x.bundle}`)], plugins: [zodEnglishOnly, lazyModules, groupEntry(g)] })),
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', target: 'node20', banner: { js: '#!/usr/bin/env node' } },
  ...panels.map((name) => ({ ...common, entryPoints: [`webview-ui/${name}/main.ts`], outfile: `dist/webview/${name}.js`, platform: 'browser', format: 'iife', target: 'es2022', mainFields: ['browser', 'module', 'main'], define: { __PL_BENCH__: 'false' } })),
];
// The compare panel's bench build: the same panel with its timing marks (webview-ui/compare/benchHooks.ts),
// which the shipped bundle leaves out (__PL_BENCH__ false folds them away).
if (panels.includes('compare')) {
  builds.push({ ...common, entryPoints: ['webview-ui/compare/main.ts'], outfile: 'dist/webview/compare-bench.js', platform: 'browser', format: 'iife', target: 'es2022', mainFields: ['browser', 'module', 'main'], define: { __PL_BENCH__: 'true' } });
}
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
  const metas = { inputs: {}, outputs: {} };
  await Promise.all(builds.map(async (b) => {
    const result = await esbuild.build(b);
    Object.assign(metas.outputs, result.metafile.outputs);
    for (const [out, info] of Object.entries(result.metafile.outputs)) {
      if (!out.endsWith('.map')) sizes[out] = info.bytes;
    }
  }));
  fs.mkdirSync('dist', { recursive: true });
  fs.writeFileSync('dist/bundle-sizes.json', JSON.stringify(sizes, null, 2));
  if (process.env.ESBUILD_META) fs.writeFileSync(process.env.ESBUILD_META, JSON.stringify(metas));
  console.log(`[esbuild] built ${Object.keys(sizes).length} bundles${production ? ' (production)' : ''}`);
}
