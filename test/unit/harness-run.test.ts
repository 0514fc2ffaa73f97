// The runner must hand back everything a command did, and a hung command must
// end the run, with everything it started, instead of hanging the suite.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { run } from '../harness/run.js';
import { isRunning } from '../lab/processes.js';

test('a run reports exit code, stdout and stderr, and feeds stdin', async () => {
  const result = await run('bash', ['-c', 'cat; echo to-stderr >&2; exit 3'], { input: 'from stdin' });
  assert.deepEqual(
    { code: result.code, signal: result.signal, stdout: result.stdout, stderr: result.stderr },
    { code: 3, signal: null, stdout: 'from stdin', stderr: 'to-stderr\n' },
  );
});

test('a run past its timeout is killed with its children and reported with its output so far', async () => {
  const error: Error = await run('bash', ['-c', 'sleep 600 & echo "child $!"; wait'], { timeoutMs: 1000 }).then(
    () => assert.fail('the run should have timed out'),
    (rejection: Error) => rejection,
  );
  assert.match(error.message, /^bash -c .* did not finish within 1 s and was killed/);
  const child = Number(/child (\d+)/.exec(error.message)?.[1]);
  assert.ok(child > 0, error.message);
  // The kill is sent before the run settles, but the kernel may take a moment to finish the child.
  for (let tries = 0; isRunning(child) && tries < 100; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.equal(isRunning(child), false, `sleep ${child} survived`);
});
