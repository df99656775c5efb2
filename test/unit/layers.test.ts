// The layering rules, checked on the source: src/core never imports 'vscode' (it must stay
// testable in plain Node), the CLI stays on core, and webview code never reaches the host.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
function files(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((d) => {
    const rel = `${dir}/${d.name}`;
    return d.isDirectory() ? files(rel) : rel.endsWith('.ts') ? [rel] : [];
  });
}
const imports = (file: string) => [...fs.readFileSync(path.join(root, file), 'utf8').matchAll(/(?:from|import|require\()\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);

describe('layers', () => {
  it('src/core never imports vscode or the extension', () => {
    const bad = files('src/core').filter((f) => imports(f).some((i) => i === 'vscode' || i.includes('/extension/')));
    assert.deepEqual(bad, []);
  });
  it('the CLI depends on core only', () => {
    const bad = files('src/cli').filter((f) => imports(f).some((i) => i === 'vscode' || i.includes('/extension/')));
    assert.deepEqual(bad, []);
  });
  it('webview code imports only the protocol and browser packages', () => {
    const bad = files('webview-ui').filter((f) => imports(f).some((i) => i === 'vscode' || /\/src\/(core|extension|cli)\//.test(i) || i.startsWith('node:')));
    assert.deepEqual(bad, []);
  });
  it('no native Node modules among the runtime dependencies', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    for (const dep of Object.keys(pkg.dependencies)) {
      const dir = path.join(root, 'node_modules', dep);
      const hasBinding = fs.existsSync(path.join(dir, 'binding.gyp')) || fs.existsSync(path.join(dir, 'build', 'Release'));
      assert.equal(hasBinding, false, `${dep} is a native module`);
    }
  });
});
