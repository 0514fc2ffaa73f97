// The docker files cannot be built here (no Docker engine in CI), so what
// can go stale in them is checked against the tree: the lab provisions its
// hosts with the very script the tests and the demo use, every build names a
// Dockerfile that exists, and everything a Dockerfile copies from its build
// context is there and not left out by .dockerignore.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PROVISION_SCRIPT } from '../../src/demo/sshd-host.js';

// Compiled to dist/test/unit/, three levels below the package root.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const dockerDir = path.join(root, 'docker');
const compose = readFileSync(path.join(dockerDir, 'compose.yaml'), 'utf8');

/** Each build in compose.yaml: its context and Dockerfile, resolved. */
function builds(): { context: string; dockerfile: string }[] {
  return [...compose.matchAll(/^\s+context: (\S+)\n\s+dockerfile: (\S+)$/gm)].map(([, context, dockerfile]) => {
    const dir = path.resolve(dockerDir, context!);
    return { context: dir, dockerfile: path.resolve(dir, dockerfile!) };
  });
}

test('the lab hosts are provisioned with the script the test lab and the demo run', () => {
  const mounts = [...compose.matchAll(/^\s+- (\S+):\/lab\/provision-host\.sh:ro$/gm)].map(([, source]) => path.resolve(dockerDir, source!));
  assert.deepEqual(mounts, [PROVISION_SCRIPT]);
  assert.ok(existsSync(PROVISION_SCRIPT), PROVISION_SCRIPT);
  assert.match(compose, /^\s+\/lab\/provision-host\.sh \/srv\/sshd 0\.0\.0\.0 22 \/lab\/client\/id_ed25519\.pub$/m);
});

test('every build names a Dockerfile that exists, whose COPY sources are in its context', () => {
  const all = builds();
  assert.deepEqual([...new Set(all.map((b) => path.relative(root, b.dockerfile)))].sort(), ['docker/Dockerfile', 'docker/lab-host.Dockerfile']);
  const ignored = readFileSync(path.join(root, '.dockerignore'), 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'));
  for (const { context, dockerfile } of all) {
    const copies = readFileSync(dockerfile, 'utf8')
      .split('\n')
      .filter((line) => /^COPY /.test(line) && !/--from=/.test(line));
    for (const line of copies) {
      const sources = line.split(/\s+/).slice(1, -1);
      for (const source of sources) {
        assert.ok(existsSync(path.join(context, source)), `${path.relative(root, dockerfile)}: COPY ${source} is not in ${path.relative(root, context) || '.'}`);
        if (context === root) assert.ok(!ignored.includes(source.split('/')[0]!), `${source} is left out by .dockerignore`);
      }
    }
  }
});
