import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CliError } from '../../../src/cli/cli-error.js';
import { filesFromSide, parseEndpoints } from '../../../src/cli/endpoints.js';
import { parseCommandLine } from '../../../src/cli/parse-args.js';

function fails(operands: string[], message: string | RegExp): void {
  assert.throws(
    () => parseEndpoints(operands),
    (err: unknown) => {
      assert.ok(err instanceof CliError);
      assert.equal(err.exitCode, 1);
      if (typeof message === 'string') assert.equal(err.message, `relaysync: ${message}`);
      else assert.match(err.message, message);
      return true;
    },
  );
}

describe('parseEndpoints', () => {
  it('reads HOST:PATH on both sides', () => {
    assert.deepEqual(parseEndpoints(['web04:/data/', 'web05:/data/']), {
      sources: { kind: 'remote', host: 'web04', paths: ['/data/'] },
      dest: { kind: 'remote', host: 'web05', paths: ['/data/'] },
    });
  });

  it('reads a user, up to the last @', () => {
    assert.deepEqual(parseEndpoints(['deploy@web04:x', 'a@b@web05:y']), {
      sources: { kind: 'remote', user: 'deploy', host: 'web04', paths: ['x'] },
      dest: { kind: 'remote', user: 'a@b', host: 'web05', paths: ['y'] },
    });
  });

  it('reads an IPv6 address in brackets', () => {
    assert.deepEqual(parseEndpoints(['[::1]:/x', 'u@[fe80::1%eth0]:y']), {
      sources: { kind: 'remote', host: '::1', paths: ['/x'] },
      dest: { kind: 'remote', user: 'u', host: 'fe80::1%eth0', paths: ['y'] },
    });
  });

  it('takes an empty remote path as the login directory', () => {
    assert.deepEqual(parseEndpoints(['user@host:', 'host:']), {
      sources: { kind: 'remote', user: 'user', host: 'host', paths: ['.'] },
      dest: { kind: 'remote', host: 'host', paths: ['.'] },
    });
  });

  it('takes a path with a / before the first : as local', () => {
    assert.deepEqual(parseEndpoints(['./a:b', '/x/y:z']), {
      sources: { kind: 'local', paths: ['./a:b'] },
      dest: { kind: 'local', paths: ['/x/y:z'] },
    });
  });

  it('takes brackets that are not around a whole host as part of a local name', () => {
    for (const word of ['a[b]:c', '[::1]', '[::1]/x:y', '[]:x', '[abc:x', '[::1]@h:x']) {
      assert.deepEqual(parseEndpoints([word, 'd']).sources, { kind: 'local', paths: [word] }, word);
    }
  });

  it('takes several SRC args from one host, with the :PATH shorthand', () => {
    assert.deepEqual(parseEndpoints(['h:a', 'h:b', ':c', ':', 'dest']), {
      sources: { kind: 'remote', host: 'h', paths: ['a', 'b', 'c', '.'] },
      dest: { kind: 'local', paths: ['dest'] },
    });
    assert.deepEqual(parseEndpoints(['a', 'b', 'h:d']).sources, { kind: 'local', paths: ['a', 'b'] });
  });

  it('wants every SRC on one host', () => {
    fails(['h:a', 'g:b', 'd'], 'SRC g:b is not on the same host as SRC h:a: all SRC args must be on one host');
    fails(['u@h:a', 'h:b', 'd'], /SRC h:b is not on the same host/);
    fails(['h:a', 'u@:b', 'd'], /SRC u@:b is not on the same host/);
    fails(['h:a', 'b', 'd'], 'SRC b is local but SRC h:a is remote: all SRC args must be on one host.\nFor a path on that host, write :b');
    fails(['a', 'h:b', 'd'], 'SRC h:b is remote but SRC a is local: all SRC args must be on one host');
  });

  it('refuses rsync daemon syntax', () => {
    const message = /rsync daemon syntax \(HOST::MODULE, rsync:\/\/\) is not supported yet\.\nUse HOST:PATH to go through SSH\.$/;
    fails(['h::module/x', 'd'], message);
    fails(['s', 'rsync://h/module'], message);
    fails(['RSYNC://h:873/m', 'd'], message);
    fails(['h:a', 'h::b', 'd'], message);
  });

  it('reads a lone SRC as a listing, and refuses no operands at all', () => {
    assert.deepEqual(parseEndpoints(['h:x']), { sources: { kind: 'remote', host: 'h', paths: ['x'] }, dest: undefined });
    fails([], 'no SRC and DEST given (relaysync --help shows the usage)');
  });

  it('wants a host, a sane host name and a user name where they are written', () => {
    fails([':a', 'd'], ':a names no host before the \':\'');
    fails(['s', ':d'], /^relaysync: DEST :d names no host/);
    fails(['s', 'u@:d'], 'u@:d names no host before the \':\'');
    fails(['-oProxyCommand=x:y', 'd'], "-oProxyCommand=x:y: hostnames may not start with '-'");
    fails(['@h:x', 'd'], "@h:x has an empty user name before the '@'");
  });

  it('refuses empty local operands', () => {
    fails(['', 'd'], 'empty SRC argument');
    fails(['s', ''], 'empty DEST argument (use "." for the current directory)');
  });
});

describe('filesFromSide', () => {
  const side = (filesFrom: string, ...operands: string[]) =>
    filesFromSide(parseCommandLine(['-a', `--files-from=${filesFrom}`, ...operands], {}).options, parseEndpoints(operands));

  it('finds the host a --files-from list is on', () => {
    assert.equal(side('web04:/l', 'web04:/data/', 'web05:/data/'), 'source');
    assert.equal(side('web05:/l', 'web04:/data/', 'web05:/data/'), 'dest');
    assert.equal(side('me@web05:/l', 'web04:/data/', 'me@web05:/data/'), 'dest');
    assert.equal(side('[::1]:/l', '[::1]:/data/', 'local/'), 'source');
    // Both ends on one host: the source reads it.
    assert.equal(side('h:/l', 'h:/a/', 'h:/b/'), 'source');
  });

  it('leaves a local list or standard input to relaysync', () => {
    assert.equal(side('/l', 'web04:/data/', 'web05:/data/'), undefined);
    assert.equal(side('-', 'web04:/data/', 'web05:/data/'), undefined);
  });

  it('reads :FILE as the one remote end', () => {
    assert.equal(side(':/l', 'local/', 'web05:/data/'), 'dest');
    assert.throws(() => side(':/l', 'web04:/data/', 'web05:/data/'), /names no host, and both ends are remote/);
  });

  it("refuses another host in rsync's words", () => {
    assert.throws(() => side('web06:/l', 'web04:/data/', 'web05:/data/'), /--files-from hostname is not the same as the transfer hostname/);
    assert.throws(() => side('web05:/l', 'web04:/data/', 'me@web05:/data/'), /--files-from hostname is not the same as the transfer hostname/);
    assert.throws(() => side('web05:/l', 'a/', 'b/'), /--files-from cannot be remote when the transfer is local/);
  });
});
