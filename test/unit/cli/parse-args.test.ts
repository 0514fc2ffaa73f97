import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CliError } from '../../../src/cli/cli-error.js';
import { parseCommandLine } from '../../../src/cli/parse-args.js';
import { defaultRsyncOptions } from '../../../src/cli/rsync-options.js';

type Env = Readonly<Record<string, string>>;

/** The parsed options of a transfer from src:a to dst:b. */
const run = (...argv: string[]) => readWith({}, ...argv);
const readWith = (env: Env, ...argv: string[]) => {
  const parsed = parseCommandLine([...argv, 'src:a', 'dst:b'], env);
  assert.equal(parsed.action, 'run');
  return parsed.options;
};

/** Asserts that parsing fails with this message (without the `relaysync: ` prefix) and exit code. */
function fails(argv: string[], message: string | RegExp, exitCode = 1): void {
  assert.throws(
    () => parseCommandLine(argv, {}),
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
  it('expands -a to -rlptgoD, its recursion the implied kind', () => {
    assert.deepEqual(run('-a'), {
      ...defaultRsyncOptions(),
      recurse: 1,
      xferDirs: 1,
      preserveLinks: true,
      preservePerms: true,
      preserveMtimes: true,
      preserveGid: true,
      preserveUid: true,
      preserveDevices: true,
      preserveSpecials: true,
    });
    assert.equal(run('-r', '-a').recurse, 2);
    assert.equal(run('-a', '-r').recurse, 2);
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

  it('counts repeated -v, -H, -x, -X, -i, -q, -y and -U', () => {
    assert.equal(run('-vvv', '-v').verbose, 4);
    assert.equal(run('-v', '--verbose').verbose, 2);
    assert.equal(run('-HH').preserveHardLinks, 2);
    assert.equal(run('-xx', '--no-x', '-x').oneFileSystem, 1);
    assert.equal(run('-XX').preserveXattrs, 2);
    assert.equal(run('-ii').itemizeChanges, 2);
    assert.equal(run('-qq').quiet, 2);
    assert.equal(run('-yy', '--link-dest=a').fuzzyBasis, 2);
    assert.equal(run('-U').preserveAtimes, 1);
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
});

describe('parseCommandLine: deletion', () => {
  it('reads each --delete-WHEN, all of them deleting', () => {
    assert.equal(run('-r', '--delete-before').deleteBefore, true);
    assert.equal(run('-r', '--delete-during').deleteDuring, 1);
    assert.equal(run('-r', '--del').deleteDuring, 1);
    assert.equal(run('-r', '--delete-delay').deleteDuring, 2);
    assert.equal(run('-r', '--delete-after').deleteAfter, true);
    for (const when of ['--delete-before', '--del', '--delete-delay', '--delete-after']) assert.equal(run('-r', when).deleteMode, true);
  });

  it('takes --delete-excluded as --delete', () => {
    const options = run('-r', '--delete-excluded');
    assert.equal(options.deleteMode, true);
    assert.equal(options.deleteExcluded, true);
  });

  it('refuses two --delete-WHEN options and deleting without recursion', () => {
    fails(['-r', '--delete-before', '--delete-after', 'a', 'b'], 'You may not combine multiple --delete-WHEN options.');
    fails(['--delete', 'a', 'b'], '--delete does not work without --recursive (-r) or --dirs (-d).');
    fails(['-a', '--no-r', '--delete', 'a', 'b'], '--delete does not work without --recursive (-r) or --dirs (-d).');
    assert.equal(run('-d', '--delete').deleteMode, true);
  });

  it('reads --max-delete as popt reads an int: a negative one is 0, INT_MIN is none', () => {
    assert.equal(run('--max-delete=5').maxDelete, 5);
    assert.equal(run('--max-delete=-3').maxDelete, 0);
    assert.equal(run('--max-delete=0x10').maxDelete, 16);
    assert.equal(run('--max-delete=010').maxDelete, 8);
    assert.equal(run('--max-delete=').maxDelete, 0);
    assert.equal(run('--max-delete=-2147483648').maxDelete, undefined);
    fails(['--max-delete=abc', 'a', 'b'], '--max-delete=abc: invalid numeric value');
    fails(['--max-delete=2147483648', 'a', 'b'], '--max-delete=2147483648: number too large or too small');
    fails(['-@x', 'a', 'b'], '-@x: invalid numeric value');
  });

  it('keeps --delete-missing-args over --ignore-missing-args', () => {
    assert.equal(run('--ignore-missing-args').missingArgs, 1);
    assert.equal(run('--ignore-missing-args', '--delete-missing-args').missingArgs, 2);
  });
});

describe('parseCommandLine: filters', () => {
  it('keeps filter options in order, with values as --opt=value or --opt value', () => {
    assert.deepEqual(run('--exclude=*.o', '--include', 'keep.o', '-f', '- x', '--exclude-from', 'ex', '--from0', '--include-from=in').filters, [
      { option: 'exclude', text: '*.o' },
      { option: 'include', text: 'keep.o' },
      { option: 'filter', text: '- x', from0: false },
      { option: 'exclude-from', text: 'ex', from0: false },
      { option: 'include-from', text: 'in', from0: true },
    ]);
  });

  it('adds the .rsync-filter rules for -F and -FF, nothing for a third', () => {
    assert.deepEqual(run('-FFF').filters, [
      { option: 'filter', text: ': /.rsync-filter', from0: false },
      { option: 'filter', text: '- .rsync-filter', from0: false },
    ]);
  });

  it('checks rule text as rsync reads it', () => {
    fails(['-f', 'bogus', 'a', 'b'], 'Unknown filter rule: bogus');
    fails(['--exclude=- ', 'a', 'b'], 'unexpected end of filter rule: - ');
    assert.deepEqual(run('--exclude=').filters, [{ option: 'exclude', text: '' }]);
  });

  it('reads --files-from with a host, standard input, or a local file, and implies -R', () => {
    const remote = run('-a', '--files-from=me@host:/lists/x');
    assert.deepEqual([remote.filesFrom, remote.filesfromHost, remote.relativePaths], ['/lists/x', 'me@host', true]);
    assert.deepEqual([run('--files-from=:x').filesfromHost, run('--files-from=-').filesFrom, run('--files-from=list').filesfromHost], ['', '-', undefined]);
    assert.equal(run('--files-from=x', '--no-R').relativePaths, false);
    fails(['--files-from=h:-', 'a', 'b'], 'Invalid --files-from remote filename');
    fails(['--files-from=x', 'a', 'b', 'c'], '--files-from takes exactly one SRC and one DEST (3 given)');
  });

  it('leaves out -a\'s recursion with --files-from but not an explicit -r', () => {
    assert.equal(run('-a', '--files-from=x').recurse, 0);
    assert.equal(run('-ar', '--files-from=x').recurse, 2);
    assert.equal(run('-a', '--files-from=x').xferDirs, 1);
  });
});

describe('parseCommandLine: paths', () => {
  it('decides --dirs as rsync does', () => {
    assert.equal(run('-d').xferDirs, 2);
    assert.equal(run('-rd').xferDirs, 1);
    assert.equal(run().xferDirs, 0);
    assert.equal(parseCommandLine(['src:a'], {}).options.xferDirs, 1);
    const old = run('--old-dirs');
    assert.deepEqual([old.xferDirs, old.recurse, old.filters], [1, 1, [{ option: 'filter', text: '- /*/*', from0: false }]]);
  });

  it('lists with --list-only, and with a lone SRC', () => {
    assert.equal(run('--list-only').listOnly, 2);
    assert.equal(parseCommandLine(['src:a'], {}).options.listOnly, 1);
    assert.equal(parseCommandLine(['--list-only', 'src:a'], {}).options.listOnly, 3);
  });

  it('keeps --no-implied-dirs only with -R', () => {
    assert.equal(run('-R', '--no-implied-dirs').impliedDirs, false);
    assert.equal(run('-R').impliedDirs, true);
    assert.equal(run('--implied-dirs').impliedDirs, false);
  });
});

describe('parseCommandLine: basis files and backups', () => {
  it('takes up to 20 basis directories of one kind', () => {
    const options = run('--link-dest=a', '--link-dest=b');
    assert.deepEqual([options.altDestType, options.basisDirs], ['link-dest', ['a', 'b']]);
    fails(['--link-dest=a', '--copy-dest=b', 'a', 'b'], 'ERROR: the --copy-dest option conflicts with the --link-dest option');
    const many = Array.from({ length: 21 }, (_, i) => `--compare-dest=${i}`);
    fails([...many, 'a', 'b'], 'ERROR: at most 20 --compare-dest args may be specified');
  });

  it('decides the backup directory and suffix as rsync does', () => {
    assert.deepEqual(pick(run('-b'), 'makeBackups', 'backupDir', 'backupSuffix', 'omitDirTimes'), [true, undefined, '~', -1]);
    assert.deepEqual(pick(run('--backup-dir=./././bak'), 'makeBackups', 'backupDir', 'backupSuffix', 'omitDirTimes'), [true, 'bak', '', 0]);
    assert.deepEqual(pick(run('--backup-dir=.', '--suffix=.old'), 'backupDir', 'backupSuffix'), [undefined, '.old']);
    fails(['--backup-dir=.', 'a', 'b'], '--suffix cannot be empty when --backup-dir is the same as the dest dir');
    fails(['--suffix=', 'a', 'b'], '--suffix cannot be empty without a --backup-dir');
    fails(['--suffix=a/b', 'a', 'b'], '--suffix cannot contain slashes: a/b');
  });

  it('protects backups from --delete with a filter rule, as rsync does', () => {
    assert.deepEqual(run('-rb', '--delete', '--suffix=.bak').filters, [{ option: 'filter', text: 'P *.bak', from0: false }]);
    assert.deepEqual(run('-rb', '--delete-excluded').filters, []);
  });

  it('decides partial files as rsync does', () => {
    assert.deepEqual(pick(run('--partial-dir=a//b/../c/'), 'partialDir', 'keepPartial'), ['a/c', true]);
    assert.deepEqual(pick(run('--delay-updates'), 'partialDir', 'keepPartial', 'delayUpdates'), [undefined, true, true]);
    assert.deepEqual(pick(run('--delay-updates', '--partial-dir=.'), 'partialDir', 'delayUpdates'), [undefined, false]);
    assert.deepEqual(pick(run('-P', '--inplace'), 'inplace', 'keepPartial'), [true, false]);
    assert.deepEqual(pick(readWith({ RSYNC_PARTIAL_DIR: '.p/' }, '--partial'), 'partialDir'), ['.p']);
    assert.deepEqual(pick(readWith({ RSYNC_PARTIAL_DIR: '.p' }), 'partialDir'), [undefined]);
    fails(['--inplace', '--partial-dir=x', 'a', 'b'], '--inplace cannot be used with --partial-dir');
    fails(['--append', '--delay-updates', 'a', 'b'], '--append cannot be used with --delay-updates');
  });

  it('makes --append and --write-devices write in place', () => {
    assert.deepEqual(pick(run('--append'), 'appendMode', 'inplace'), [1, true]);
    assert.deepEqual(pick(run('--append-verify'), 'appendMode', 'inplace'), [2, true]);
    assert.equal(run('--write-devices').inplace, true);
    fails(['--append', '-W', 'a', 'b'], '--append cannot be used with --whole-file');
  });

  it('counts -yy as one more than the basis directories', () => {
    assert.equal(run('-yy').fuzzyBasis, 1);
    assert.equal(run('-yyy', '--link-dest=a', '--link-dest=b').fuzzyBasis, 3);
  });
});

describe('parseCommandLine: metadata', () => {
  it('implies -p with -A', () => {
    assert.deepEqual(pick(run('-A'), 'preserveAcls', 'preservePerms'), [true, true]);
  });

  it('reads --chown as maps, and refuses a second map of a kind in rsync\'s words', () => {
    assert.deepEqual(pick(run('--chown=u:g'), 'usermap', 'groupmap', 'preserveUid', 'preserveGid'), ['*:u', '*:g', true, true]);
    assert.deepEqual(pick(run('--chown=:g'), 'usermap', 'groupmap'), [undefined, '*:g']);
    fails(['--usermap=a:b', '--usermap=c:d', 'a', 'b'], 'You can only specify --usermap once.');
    fails(['--chown=a', '--usermap=c:d', 'a', 'b'], '--usermap conflicts with prior --chown.');
    fails(['--usermap=c:d', '--chown=a', 'a', 'b'], '--chown conflicts with prior --usermap.');
    fails(['--chown=a', '--chown=b', 'a', 'b'], 'You can only specify a user-affecting --chown once.');
  });

  it('checks --chmod', () => {
    assert.deepEqual(run('--chmod=Du+x', '--chmod=644').chmod, ['Du+x', '644']);
    fails(['--chmod=u+q', 'a', 'b'], 'Invalid argument passed to --chmod (u+q)');
  });

  it('keeps access times twice with -UU, which also opens without changing them', () => {
    assert.deepEqual(pick(run('-UU'), 'preserveAtimes', 'openNoatime'), [2, true]);
    assert.deepEqual(pick(run('-UU', '--no-U'), 'preserveAtimes', 'openNoatime'), [0, true]);
  });

  it('reads --super and --fake-super, which conflicts with -XX', () => {
    assert.equal(run('--super').amRoot, 2);
    assert.equal(run('--fake-super').amRoot, -1);
    assert.equal(run('--super', '--no-super').amRoot, 0);
    fails(['--fake-super', '-XX', 'a', 'b'], '--fake-super conflicts with -XX');
  });

  it('remembers that --modify-window was given, even as 0', () => {
    assert.equal(run('-@', '0').modifyWindow, 0);
    assert.equal(run('--modify-window=-1').modifyWindow, -1);
    assert.equal(run().modifyWindow, undefined);
  });
});

describe('parseCommandLine: selection and compression', () => {
  it('reads sizes with their units', () => {
    assert.equal(run('--max-size=1.5K').maxSize, 1536n);
    assert.equal(run('--max-size=1KB').maxSize, 1000n);
    assert.equal(run('--min-size=1M-1').minSize, 1048575n);
    fails(['--max-size=1Q', 'a', 'b'], '--max-size=1Q is invalid');
  });

  it('checks checksum names; a "none" transfer checksum means whole files', () => {
    assert.equal(run('--cc=xxh3').checksumChoice, 'xxh3');
    assert.equal(run('--cc=auto').checksumChoice, undefined);
    assert.equal(run('--cc=none').wholeFile, 1);
    fails(['--cc=bogus', 'a', 'b'], 'unknown checksum name: bogus', 4);
    fails(['--cc=bogus,md5', 'a', 'b'], 'unknown checksum name: bogus,md5', 4);
  });

  it('decides compression as rsync does', () => {
    const compression = (...argv: string[]) => pick(run(...argv), 'compress', 'compressImplied', 'compressChoice', 'compressLevel');
    assert.deepEqual(compression('-z'), [true, false, undefined, undefined]);
    assert.deepEqual(compression('-zz'), [true, false, 'zlibx', undefined]);
    assert.deepEqual(compression('--zc=zstd'), [true, false, 'zstd', undefined]);
    assert.deepEqual(compression('-z', '--zc=NONE'), [false, false, 'none', undefined]);
    assert.deepEqual(compression('--zl=3'), [true, true, undefined, 3]);
    assert.deepEqual(compression('-z', '--zl=3', '--no-z'), [true, true, undefined, 3]);
    assert.deepEqual(compression('--zc=zstd', '--no-z'), [false, false, undefined, undefined]);
    fails(['--zc=bogus', 'a', 'b'], 'unknown compress name: bogus', 4);
  });

  it('converts --bwlimit to whole KiB per second as rsync does', () => {
    assert.equal(run('--bwlimit=100').bwlimit, 100 * 1024);
    assert.equal(run('--bwlimit=1.5M').bwlimit, 1536 * 1024);
    assert.equal(run('--bwlimit=1000KB').bwlimit, 977 * 1024);
    assert.equal(run('--bwlimit=100', '--no-bwlimit').bwlimit, 0);
    fails(['--bwlimit=100b', 'a', 'b'], '--bwlimit=100b is too small (min: 512 or 0 for unlimited)');
  });

  it('checks -B against the protocol given before it', () => {
    assert.equal(run('-B', '8K').blockSize, 8192);
    assert.equal(run('--protocol=29', '-B', '1M').blockSize, 1 << 20);
    fails(['-B', '1M', '--protocol=29', 'a', 'b'], '--block-size=1M is too large (max: 128.00K)');
  });

  it('tells servers about --max-alloc only when it is not the default, as written', () => {
    assert.equal(run('--max-alloc=2G').maxAllocArg, '2G');
    assert.equal(run('--max-alloc=1024M').maxAllocArg, undefined);
    assert.equal(readWith({ RSYNC_MAX_ALLOC: '4G' }).maxAllocArg, '4G');
    fails(['--max-alloc=0', 'a', 'b'], 'max-alloc must be greater than zero');
  });
});

describe('parseCommandLine: output', () => {
  it('reads --info and --debug words, later ones winning', () => {
    assert.deepEqual(run('--info=name2,stats', '--info=NAME0').info, { name: 0, stats: 1 });
    assert.deepEqual(run('--debug=filter3').debug, { filter: 3 });
    fails(['--info=bogus', 'a', 'b'], 'Unknown --info item: "bogus"');
  });

  it('answers --info=help and --debug=help with their help', () => {
    assert.deepEqual(pick(parseCommandLine(['--info=help'], {}), 'action', 'help'), ['help', 'info']);
    assert.deepEqual(pick(parseCommandLine(['--debug=HELP'], {}), 'action', 'help'), ['help', 'debug']);
  });

  it('gives -i its format and --log-file its default one', () => {
    assert.equal(run('-i').stdoutFormat, '%i %n%L');
    assert.equal(run('-i', '--out-format=%n').stdoutFormat, '%n');
    assert.equal(run('--log-file=l').logfileFormat, '%i %n%L');
    assert.equal(run('--log-file-format=%n').logfileFormat, undefined);
  });
});

describe('parseCommandLine: the remote command lines', () => {
  it('reads -s and --old-args, and RSYNC_PROTECT_ARGS and RSYNC_OLD_ARGS when neither is given', () => {
    assert.equal(run('-s').protectArgs, true);
    assert.equal(run('--old-args', '--old-args').oldStyleArgs, 2);
    assert.equal(readWith({ RSYNC_PROTECT_ARGS: '1' }).protectArgs, true);
    assert.equal(readWith({ RSYNC_PROTECT_ARGS: '1' }, '--no-s').protectArgs, false);
    assert.deepEqual(pick(readWith({ RSYNC_OLD_ARGS: '1', RSYNC_PROTECT_ARGS: '1' }), 'oldStyleArgs', 'protectArgs'), [1, false]);
    assert.deepEqual(pick(readWith({ RSYNC_OLD_ARGS: '1' }, '-s'), 'oldStyleArgs', 'protectArgs'), [0, true]);
    fails(['-s', '--old-args', 'a', 'b'], '--secluded-args conflicts with --old-args.');
  });

  it('reads --iconv after RSYNC_ICONV; "-" is no conversion', () => {
    assert.equal(run('--iconv=utf8,latin1').iconv, 'utf8,latin1');
    assert.equal(readWith({ RSYNC_ICONV: 'utf8' }).iconv, 'utf8');
    assert.equal(readWith({ RSYNC_ICONV: 'utf8' }, '--no-iconv').iconv, undefined);
    assert.equal(run('--iconv=-').iconv, undefined);
  });
});

describe('parseCommandLine: values and operands', () => {
  it('reads options after operands, and none after --', () => {
    const parsed = parseCommandLine(['src:a', '-v', 'dst:b', '--', '-a'], {});
    assert.deepEqual(parsed.operands, ['src:a', 'dst:b', '-a']);
    assert.equal(parsed.options.verbose, 1);
    assert.equal(parsed.options.recurse, 0);
  });

  it('takes a lone - as an operand', () => {
    assert.deepEqual(parseCommandLine(['-', 'x'], {}).operands, ['-', 'x']);
  });

  it('reads relaysync settings', () => {
    const { relay } = parseCommandLine(['--rsync-path=sudo rsync', '--dest-rsync-path', '/opt/rsync', 'a', 'b'], {});
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

  it('refuses --contimeout as rsync does over a remote shell', () => {
    fails(['--contimeout=5', 'a', 'b'], 'The --contimeout option may only be used when connecting to an rsync daemon.');
    assert.equal(run('--contimeout=5', '--no-contimeout').connectTimeout, 0);
  });
});

describe('parseCommandLine: help and version', () => {
  it('shows the help for --help, at its position', () => {
    assert.equal(parseCommandLine(['--help'], {}).action, 'help');
    assert.equal(parseCommandLine(['-av', '--help', '--chmod=u+x'], {}).action, 'help');
    assert.equal(parseCommandLine(['--chmod=u+x', '--help'], {}).action, 'help');
    fails(['-M', 'x', '--help'], /^relaysync: -M is not supported yet/);
  });

  it('reads -h as help on its own only, as rsync', () => {
    assert.equal(parseCommandLine(['-h'], {}).action, 'help');
    assert.equal(parseCommandLine(['-hh'], {}).action, 'help');
    assert.equal(parseCommandLine(['--human-readable'], {}).action, 'help');
    const parsed = parseCommandLine(['-avh', 'a', 'b'], {});
    assert.equal(parsed.action, 'run');
    assert.equal(parsed.options.humanReadable, 2);
    assert.equal(run('-h', '--no-h').humanReadable, 0);
  });

  it('reports the version after reading every option', () => {
    assert.equal(parseCommandLine(['--version'], {}).action, 'version');
    assert.equal(parseCommandLine(['-V', '-a'], {}).action, 'version');
    fails(['-V', '--bogus'], '--bogus: unknown option (relaysync --help lists the options)');
  });
});

describe('parseCommandLine: the environment', () => {
  it('reads RSYNC_ICONV before the options, so --iconv and --no-iconv override it', () => {
    assert.equal(readWith({ RSYNC_ICONV: 'utf8' }, '-a').iconv, 'utf8');
    assert.equal(readWith({ RSYNC_ICONV: 'utf8' }, '--iconv=latin1,utf8').iconv, 'latin1,utf8');
    assert.equal(readWith({ RSYNC_ICONV: 'utf8' }, '--no-iconv').iconv, undefined);
  });
});

describe('parseCommandLine: errors', () => {
  it('refuses options relaysync does not parse, naming them as typed', () => {
    fails(['-M', '--fake-super', 'a', 'b'], /^relaysync: -M is not supported yet: /);
    fails(['--checksum-seed=5', 'a', 'b'], /^relaysync: --checksum-seed is not supported yet: relaysync gives both servers one seed/);
    fails(['--no-motd', 'a', 'b'], /^relaysync: --no-motd is not supported yet: /);
  });

  it('names an unknown option, in a bundle too', () => {
    fails(['--recurs'], '--recurs: unknown option (relaysync --help lists the options)');
    fails(['-aQ'], '-Q: unknown option (relaysync --help lists the options)');
    fails(['--no-delete'], '--no-delete: unknown option (relaysync --help lists the options)');
  });

  it('reports unknown options before anything else', () => {
    fails(['--rsh=x', '--bogus'], /^relaysync: --bogus: unknown option/);
  });

  it('says when an option takes no value or misses its value', () => {
    fails(['--partial=1'], '--partial=1: option does not take an argument');
    fails(['a', 'b', '--exclude'], '--exclude: missing argument');
  });
});

/** The values of some fields, in order. */
function pick<T extends object, K extends keyof T>(from: T, ...keys: K[]): T[K][] {
  return keys.map((k) => from[k]);
}
