// LocalTransport against real programs: rsync itself, and small commands that
// show how arguments and program text reach the process.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { after, describe, it } from 'node:test';
import { LocalTransport } from '../../../src/transport/local.js';
import type { ServerCommand, ServerProcess } from '../../../src/transport/server-process.js';

const dir = mkdtempSync(join(tmpdir(), 'relaysync-local-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function command(program: string, options: string[] = [], paths: string[] = []): ServerCommand {
  return { program, options, paths, side: 'source', relativePaths: false };
}

/** Everything the process printed and how it ended. */
async function finish(server: ServerProcess) {
  server.input.end();
  const [output, errors, status] = await Promise.all([text(server.output), text(server.errors), server.exited]);
  return { output, errors, status };
}

/** Reads exactly `n` bytes from a paused stream. */
async function readBytes(stream: Readable, n: number): Promise<Buffer> {
  for (;;) {
    const chunk: Buffer | null = stream.read(n);
    if (chunk !== null) return chunk;
    await new Promise((resolve) => stream.once('readable', resolve));
  }
}

describe('LocalTransport', () => {
  const transport = new LocalTransport();
  after(() => transport.close());

  it('starts a real rsync server that speaks the protocol', async () => {
    const server = await transport.start(command('rsync', ['--server', '--sender', '-vlogDtpre.iLsfxCIvu'], [`${dir}/`]));
    assert.equal(server.label, 'local');
    // A server's first word on the wire is its protocol version, a 32-bit little-endian integer.
    const version = (await readBytes(server.output, 4)).readInt32LE(0);
    assert.ok(version >= 30 && version < 100, `protocol version ${version}`);
    server.stop();
    const status = await server.exited;
    assert.ok(status.code !== 0 || status.signal === 'SIGTERM', JSON.stringify(status));
  });

  it('runs shell text as the program, like --rsync-path', async () => {
    const { output, status } = await finish(await transport.start(command('env LC_ALL=C rsync', ['--version'])));
    assert.equal(status.code, 0);
    assert.match(output, /^rsync +version /);
  });

  it('passes options, the dot and paths unquoted, with or without a shell for the program', async () => {
    const paths = ['a b', '*', '$HOME', "it's", '-dash', 'x\ny', '~'];
    const expected = ['--', '.', ...paths].map((p) => `<${p}>`).join('');
    for (const program of ['printf', 'command printf']) {
      const { output, status } = await finish(await transport.start(command(program, ['<%s>', '--'], paths)));
      assert.equal(status.code, 0, program);
      assert.equal(output, expected, program);
    }
  });

  it('carries stdin, stdout, stderr and the exit code', async () => {
    const server = await transport.start(command(`sh -c 'cat; echo oops >&2; exit 3'`));
    server.input.write('hello ');
    server.input.write('world');
    const result = await finish(server);
    assert.deepEqual(result, { output: 'hello world', errors: 'oops\n', status: { code: 3, signal: null } });
  });

  it('reports a program that cannot be started on errors and with exit code 127, never rejecting', async () => {
    const missing = await finish(await transport.start(command('/nonexistent/rsync', ['--server'])));
    assert.deepEqual(missing.status, { code: 127, signal: null });
    assert.match(missing.errors, /^local: cannot start \/nonexistent\/rsync: .*ENOENT/);

    const missingInShell = await finish(await transport.start(command('no-such-program-xyz rsync')));
    assert.equal(missingInShell.status.code, 127);
    assert.match(missingInShell.errors, /no-such-program-xyz: .*not found/);
  });

  it('stop() ends a server that would run for ever', async () => {
    const server = await transport.start(command(`sh -c 'sleep 600'`));
    server.stop();
    assert.deepEqual(await server.exited, { code: null, signal: 'SIGTERM' });
  });

  it('close() stops what is still running', async () => {
    const local = new LocalTransport();
    const server = await local.start(command(`sh -c 'sleep 600'`));
    await local.close();
    assert.equal((await server.exited).signal, 'SIGTERM');
  });
});
