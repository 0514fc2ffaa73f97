import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CliError } from '../../../src/cli/cli-error.js';
import { parseCommandLine } from '../../../src/cli/parse-args.js';
import { defaultRsyncOptions } from '../../../src/cli/rsync-options.js';

const run = (...argv: string[]) => {
  const parsed = parseCommandLine([...argv, 'src:a', 'dst:b']);
  assert.equal(parsed.action, 'run');
  return parsed.options;
};

/** Asserts that parsing fails with this message (without the `relaysync: ` prefix) and exit code. */
function fails(argv: string[], message: string | RegExp, exitCode = 1): void {
  assert.throws(
    () => parseCommandLine(argv),
    (err: unknown) => {
      assert.ok(err instanceof CliError);
      assert.equal(err.exitCode, exitCode);
      if (typeof message === 'string') assert.equal(err.message, `relaysync: ${message}`);
      else assert.match(err.message, message);
      return true;
    },
  );
}

describe('parseCommandLine: order and bundles', () => {
  it('expands -a to -rlptgoD', () => {
    assert.deepEqual(run('-a'), {
      ...defaultRsyncOptions(),
      recurse: true,
      preserveLinks: true,
      preservePerms: true,
      preserveMtimes: true,
      preserveGid: true,
      preserveUid: true,
      preserveDevices: true,
      preserveSpecials: true,
    });
  });

  it('reads a bundle like the options one by one', () => {
    assert.deepEqual(run('-avzH'), run('-a', '-v', '-z', '-H'));
  });

  it('lets a later option override an earlier one', () => {
    assert.equal(run('-a', '--no-p').preservePerms, false);
    assert.equal(run('--no-p', '-a').preservePerms, true);
    assert.equal(run('-a', '--no-perms', '-p').preservePerms, true);
    assert.equal(run('-av', '--no-v').verbose, 0);
  });

  it('counts repeated -v, -H and -x', () => {
    assert.equal(run('-vvv', '-v').verbose, 4);
    assert.equal(run('-v', '--verbose').verbose, 2);
    assert.equal(run('-HH').preserveHardLinks, 2);
    assert.equal(run('-xx', '--no-x', '-x').oneFileSystem, 1);
  });

  it('reads -D as --devices --specials, and --no-D as both off', () => {
    const devicesOnly = run('-D', '--no-specials');
    assert.equal(devicesOnly.preserveDevices, true);
    assert.equal(devicesOnly.preserveSpecials, false);
    const none = run('-a', '--no-D');
    assert.equal(none.preserveDevices || none.preserveSpecials, false);
  });

  it('reads -P as --partial --progress', () => {
    const options = run('-P');
    assert.equal(options.keepPartial, true);
    assert.equal(options.progress, true);
    assert.equal(run('-P', '--no-progress').progress, false);
  });

  it('keeps no partial file with --inplace, as rsync', () => {
    const options = run('-P', '--inplace');
    assert.equal(options.inplace, true);
    assert.equal(options.keepPartial, false);
  });

  it('keeps --whole-file, --no-whole-file and the default apart', () => {
    assert.equal(run().wholeFile, -1);
    assert.equal(run('-W').wholeFile, 1);
    assert.equal(run('-W', '--no-W').wholeFile, 0);
  });

  it('turns incremental recursion off with --no-i-r', () => {
    assert.equal(run('-a').allowIncRecurse, true);
    assert.equal(run('-a', '--no-i-r').allowIncRecurse, false);
    assert.equal(run('--no-inc-recursive', '--i-r').allowIncRecurse, true);
  });

  it('takes a single -z, and -z again after --no-z', () => {
    assert.equal(run('-z').compress, true);
    assert.equal(run('-z', '--no-z').compress, false);
    assert.equal(run('-z', '--no-z', '-z').compress, true);
  });
});

describe('parseCommandLine: values and operands', () => {
  it('keeps filter rules in order, with values as --opt=value or --opt value', () => {
    assert.deepEqual(run('--exclude=*.o', '--include', 'keep.o', '--exclude', '-dash').filters, [
      { option: 'exclude', text: '*.o' },
      { option: 'include', text: 'keep.o' },
      { option: 'exclude', text: '-dash' },
    ]);
  });

  it('reads options after operands, and none after --', () => {
    const parsed = parseCommandLine(['src:a', '-v', 'dst:b', '--', '-a']);
    assert.deepEqual(parsed.operands, ['src:a', 'dst:b', '-a']);
    assert.equal(parsed.options.verbose, 1);
    assert.equal(parsed.options.recurse, false);
  });

  it('takes a lone - as an operand', () => {
    assert.deepEqual(parseCommandLine(['-', 'x']).operands, ['-', 'x']);
  });

  it('reads relaysync settings', () => {
    const { relay } = parseCommandLine(['--rsync-path=sudo rsync', '--dest-rsync-path', '/opt/rsync', 'a', 'b']);
    assert.deepEqual(relay, { rsyncPath: 'sudo rsync', sourceRsyncPath: undefined, destRsyncPath: '/opt/rsync' });
    fails(['--rsync-path=', 'a', 'b'], '--rsync-path needs a program name');
  });

  it('reads how hosts are reached: -e/--rsh as given, and --ssh-config', () => {
    assert.equal(parseCommandLine(['-e', 'ssh -p 2222', 'a', 'b']).relay.rsh, 'ssh -p 2222');
    assert.equal(parseCommandLine(['-ae', "ssh -o 'A B'", 'a', 'b']).relay.rsh, "ssh -o 'A B'");
    assert.equal(parseCommandLine(['--rsh=rsh', 'a', 'b']).relay.rsh, 'rsh');
    assert.equal(parseCommandLine(['--ssh-config', 'cfg', 'a', 'b']).relay.sshConfig, 'cfg');
    assert.equal(parseCommandLine(['a', 'b']).relay.rsh, undefined);
    fails(['-e', '', 'a', 'b'], '--rsh needs a program name');
    fails(['--ssh-config=', 'a', 'b'], '--ssh-config needs a file name (or none)');
  });

  it('offers a lower protocol with --protocol, within the versions relaysync speaks', () => {
    assert.equal(run('--protocol=29').protocol, 29);
    assert.equal(run('--protocol', '27').protocol, 27);
    assert.equal(run().protocol, undefined);
    fails(['--protocol=33'], '--protocol must be no more than 32', 2);
    fails(['--protocol=26'], '--protocol must be at least 27 (relaysync speaks 27 to 32)', 2);
    fails(['--protocol=abc'], '--protocol=abc: invalid numeric value');
  });
});

describe('parseCommandLine: help and version', () => {
  it('shows the help for --help, at its position', () => {
    assert.equal(parseCommandLine(['--help']).action, 'help');
    assert.equal(parseCommandLine(['-av', '--help', '--acls']).action, 'help');
    fails(['--acls', '--help'], /--acls is not supported yet/);
  });

  it('reads -h as help on its own only, as rsync', () => {
    assert.equal(parseCommandLine(['-h']).action, 'help');
    assert.equal(parseCommandLine(['-hh']).action, 'help');
    assert.equal(parseCommandLine(['--human-readable']).action, 'help');
    const parsed = parseCommandLine(['-avh', 'a', 'b']);
    assert.equal(parsed.action, 'run');
    assert.equal(parsed.options.humanReadable, 2);
    assert.equal(run('-h', '--no-h').humanReadable, 0);
  });

  it('reports the version after reading every option', () => {
    assert.equal(parseCommandLine(['--version']).action, 'version');
    assert.equal(parseCommandLine(['-V', '-a']).action, 'version');
    fails(['-V', '--bogus'], '--bogus: unknown option (relaysync --help lists the options)');
  });
});

describe('parseCommandLine: errors', () => {
  it('refuses options not supported yet, naming them as typed', () => {
    fails(['--acls', 'a', 'b'], '--acls is not supported yet: the broker does not relay ACLs yet.\nRun relaysync without it.');
    fails(['-avA', 'a', 'b'], /^relaysync: -A is not supported yet: /);
    fails(['--no-A', 'a', 'b'], /^relaysync: --no-A is not supported yet: /);
    fails(['--max-delete=abc'], /^relaysync: --max-delete is not supported yet: /);
    fails(['-T', '/tmp', 'a', 'b'], /^relaysync: -T is not supported yet: /);
  });

  it('says what to use instead when something supported does the job', () => {
    fails(['-a', '--del', 'a', 'b'], '--del is not supported yet: only --delete is relayed so far.\nUse --delete: it deletes while copying too.');
  });

  it('refuses the first unsupported option in command-line order', () => {
    fails(['--xattrs', '--acls'], /^relaysync: --xattrs /);
  });

  it('refuses -zz, which rsync reads as --new-compress', () => {
    fails(['-zz'], /^relaysync: -zz \(--new-compress\) is not supported yet/);
  });

  it('names an unknown option, in a bundle too', () => {
    fails(['--recurs'], '--recurs: unknown option (relaysync --help lists the options)');
    fails(['-aQ'], '-Q: unknown option (relaysync --help lists the options)');
    fails(['--no-delete'], '--no-delete: unknown option (relaysync --help lists the options)');
  });

  it('reports unknown options before anything else', () => {
    fails(['--acls', '--bogus'], /^relaysync: --bogus: unknown option/);
  });

  it('says when an option takes no value or misses its value', () => {
    fails(['--partial=1'], '--partial=1: option does not take an argument');
    fails(['a', 'b', '--exclude'], '--exclude: missing argument');
  });

  it('refuses --delete without recursion, as rsync', () => {
    fails(['--delete', 'a', 'b'], '--delete does not work without --recursive (-r)');
    fails(['-a', '--no-r', '--delete', 'a', 'b'], '--delete does not work without --recursive (-r)');
    assert.equal(run('-r', '--delete').deleteMode, true);
  });
});
