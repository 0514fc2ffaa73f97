import assert from 'node:assert/strict';
import { it } from 'node:test';
import { parseCommandLine } from '../../../src/cli/parse-args.js';
import { outputMode } from '../../../src/ui/output-mode.js';

const terminal = { terminal: true, env: {} };

function mode(args: readonly string[], target = terminal, hasDest = true): string {
  const { options, relay } = parseCommandLine([...args, 'a:x/', 'b:y/'], {});
  return outputMode(options, relay, hasDest, target);
}

it('draws the live view on a terminal, with -v, -i, --out-format and --stats lines above it', () => {
  for (const args of [[], ['-v'], ['-i'], ['--out-format=%n'], ['--stats'], ['-n']]) assert.equal(mode(['-a', ...args]), 'live', args.join(' '));
});

it("gives rsync's lines without a terminal, under CI, with -q or --no-progress, for rsync's progress lines, and for a listing", () => {
  assert.equal(mode(['-a'], { terminal: false, env: {} }), 'plain');
  assert.equal(mode(['-a'], { terminal: true, env: { CI: 'true' } }), 'plain');
  assert.equal(mode(['-a'], { terminal: true, env: { CI: 'false' } }), 'live');
  for (const args of [['-q'], ['--no-progress'], ['--progress'], ['-P'], ['--info=progress2'], ['--list-only']]) assert.equal(mode(['-a', ...args]), 'plain', args.join(' '));
  assert.equal(mode(['-a'], terminal, false), 'plain');
});

it('writes JSON events with --json, terminal or not', () => {
  assert.equal(mode(['-a', '--json']), 'json');
  assert.equal(mode(['-a', '--json', '-q'], { terminal: false, env: {} }), 'json');
});
