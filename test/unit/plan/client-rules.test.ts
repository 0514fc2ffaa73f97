// The rule lists relaysync sends each server, from rsync command lines, as
// exclude.c would send them from a client receiver (to the source) and a
// client sender (to the destination). Expected lists are worked out from
// rsync 3.5.0's source; test/integration/filter-rules.test.ts checks the
// same ground against real servers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCommandLine } from '../../../src/cli/parse-args.js';
import { clientRuleLists, ClientRulesError, type LocalRuleFiles } from '../../../src/plan/client-rules.js';
import { RERR } from '../../../src/protocol/constants.js';

interface Setup {
  readonly protocol?: number;
  /** Files by name; a missing one fails as a missing file does. */
  readonly files?: Readonly<Record<string, string | Buffer>>;
  readonly stdin?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly hasDest?: boolean;
}

function localFiles(setup: Setup): LocalRuleFiles & { stdinReads: number } {
  const files = setup.files ?? {};
  const state = {
    stdinReads: 0,
    read(name: Buffer): Buffer {
      const data = files[name.toString('latin1')];
      if (data === undefined) throw Object.assign(new Error(`ENOENT: ${name.toString()}`), { code: 'ENOENT', errno: -2 });
      if (data === '<dir>') throw Object.assign(new Error('EISDIR'), { code: 'EISDIR', errno: -21 });
      return Buffer.from(data as string, typeof data === 'string' ? 'latin1' : undefined);
    },
    readStdin(): Buffer {
      state.stdinReads++;
      return Buffer.from(setup.stdin ?? '');
    },
    env: setup.env ?? {},
  };
  return state;
}

/** The raw lists for a command line. */
function encoded(args: readonly string[], setup: Setup = {}) {
  const reading = parseCommandLine([...args, 'src/', 'dst/'], {});
  return clientRuleLists({ options: reading.options, protocol: setup.protocol ?? 31, hasDest: setup.hasDest ?? true, files: localFiles(setup) });
}

/** A list's rules as text (bytes as latin1 characters), checking its framing. */
function rules(bytes: Buffer | undefined): string[] | undefined {
  if (bytes === undefined) return undefined;
  const out: string[] = [];
  let pos = 0;
  for (;;) {
    const length = bytes.readInt32LE(pos);
    pos += 4;
    if (length === 0) break;
    out.push(bytes.subarray(pos, pos + length).toString('latin1'));
    pos += length;
  }
  assert.equal(pos, bytes.length, 'bytes after the end of the list');
  return out;
}

function lists(args: readonly string[], setup: Setup = {}): { source: string[] | undefined; dest: string[] | undefined } {
  const { source, dest } = encoded(args, setup);
  return { source: rules(source), dest: rules(dest) };
}

function refused(args: readonly string[], setup: Setup, message: string, exitCode: number): void {
  assert.throws(
    () => encoded(args, setup),
    (err: unknown) => err instanceof ClientRulesError && err.message === message && err.exitCode === exitCode,
  );
}

const CVS_DEFAULT = [
  'RCS', 'SCCS', 'CVS', 'CVS.adm', 'RCSLOG', 'cvslog.*', 'tags', 'TAGS', '.make.state', '.nse_depinfo', '*~', '#*', '.#*', ',*', '_$*', '*$',
  '*.old', '*.bak', '*.BAK', '*.orig', '*.rej', '.del-*', '*.a', '*.olb', '*.o', '*.obj', '*.so', '*.exe', '*.Z', '*.elc', '*.ln', 'core',
  '.svn/', '.git/', '.hg/', '.bzr/',
]; // prettier-ignore

describe('client rule lists', () => {
  it('are length-prefixed rules and a zero, byte for byte', () => {
    const { source, dest } = encoded(['-r', '--delete', '--exclude=*.o', '-f', '+ keep/']);
    const expected = Buffer.from([5, 0, 0, 0, ...Buffer.from('- *.o'), 7, 0, 0, 0, ...Buffer.from('+ keep/'), 0, 0, 0, 0]);
    assert.deepEqual(source, expected);
    assert.deepEqual(dest, expected);
  });

  it('keep command-line order across --exclude, --include and --filter; the receiver gets none without deleting', () => {
    assert.deepEqual(lists(['-r', '--exclude', '*.o', '--include=+ x', '-f', 'exclude,! y', '--include', 'z/']), {
      source: ['- *.o', '+ x', '-! y', '+ z/'],
      dest: undefined,
    });
  });

  it('send hide and show to the sender only, protect and risk to the receiver only', () => {
    assert.deepEqual(lists(['-r', '--delete', '-f', 'H h', '-f', 'S s', '-f', 'P p', '-f', 'R r', '-f', '-sr both']), {
      source: ['-s h', '+s s', '-sr both'],
      dest: ['-r p', '+r r', '-sr both'],
    });
  });

  it('send modifiers as rsync writes them', () => {
    assert.deepEqual(lists(['-r', '--delete', '-f', '-/ /abs', '-f', '+!p x', '-f', '-x user.*', '-f', 'dir-merge,nw- .per-dir']).source, [
      '-/ /abs',
      '+!p x',
      '-x user.*',
      ':nw- .per-dir',
    ]);
  });

  it('clear what came before with "!" and "clear", also in a merge file', () => {
    assert.deepEqual(lists(['-r', '--exclude=a', '-f', 'clear', '--exclude=b', '--exclude=!', '--exclude=c']).source, ['- c']);
    assert.deepEqual(lists(['-r', '--exclude=a', '-f', 'merge m'], { files: { m: '- b\n!\n- c\n' } }).source, ['- c']);
  });

  describe('rule files read on this machine', () => {
    it('--exclude-from and --include-from: one pattern a line, comments and blank lines skipped, CR, LF and CRLF ends', () => {
      const files = { ex: '# comment\n; also\n\n*.o\r\n- dir/\r+ inc\n!x\n', inc: 'keep\n- not\n' };
      assert.deepEqual(lists(['-r', '--exclude-from=ex', '--include-from', 'inc'], { files }).source, ['- *.o', '- dir/', '+ inc', '- !x', '+ keep', '- not']);
    });

    it('an exclude file reads only "- " and "+ " prefixes: filter words are patterns', () => {
      assert.deepEqual(lists(['-r', '--exclude-from=ex'], { files: { ex: 'merge other\nhide x\n' } }).source, ['- merge other', '- hide x']);
    });

    it('--from0 ends names with NUL instead, for the files read after it', () => {
      const files = { a: 'one\ntwo\0three\0', b: 'four\0five\n' };
      assert.deepEqual(lists(['-r', '--exclude-from=a', '--from0', '--exclude-from=b'], { files }).source, ['- one', '- two\0three\0'.split('\0')[0]!, '- four', '- five\n']);
    });

    it('a NUL ends a line as it ends a C string', () => {
      assert.deepEqual(lists(['-r', '--exclude-from=a'], { files: { a: 'ab\0cd\nef\n' } }).source, ['- ab', '- ef']);
    });

    it('"-" is standard input, read once', () => {
      const setup = { stdin: 'from-stdin\n' };
      const files = localFiles(setup);
      const reading = parseCommandLine(['-r', '--delete', '--exclude-from=-', '--include-from=-', 'src/', 'dst/'], {});
      const { source, dest } = clientRuleLists({ options: reading.options, protocol: 31, hasDest: true, files });
      assert.deepEqual(rules(source), ['- from-stdin']);
      assert.deepEqual(rules(dest), ['- from-stdin']);
      assert.equal(files.stdinReads, 1);
    });

    it('keep bytes that are not UTF-8', () => {
      const { source } = encoded(['-r', '--exclude-from=a'], { files: { a: Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]) } });
      assert.deepEqual(source!.subarray(4, 4 + 6), Buffer.from([0x2d, 0x20, 0x63, 0x61, 0x66, 0xe9]));
    });

    it('read a merge file in its place, with the merge rule as the template of its rules', () => {
      const files = { m: '- a\n+ b\nhide c\n', plain: 'x\n+ y\n', words: 'w1 w2\n  w3', 'sub/dir/n': 'P q\n' };
      assert.deepEqual(lists(['-r', '--delete', '--exclude=first', '-f', 'merge m', '-f', '.- plain', '-f', 'merge,+w words', '-f', '. ./sub//x/../dir/n'], { files }), {
        source: ['- first', '- a', '+ b', '-s c', '- x', '- + y', '+ w1', '+ w2', '+ w3'],
        dest: ['- first', '- a', '+ b', '- x', '- + y', '+ w1', '+ w2', '+ w3', '-r q'],
      });
    });

    it('a merge rule with "e" excludes the merge file too; a sided merge makes its rules sided', () => {
      assert.deepEqual(lists(['-r', '--delete', '-f', 'merge,e dir/m', '-f', 'merge,s m2'], { files: { 'dir/m': '- a\n', m2: '- b\n' } }), {
        source: ['- m', '- a', '-s b'],
        dest: ['- m', '- a'],
      });
    });

    it('merge files name merge files, to a depth of 32', () => {
      const files: Record<string, string> = { m0: '- top\nmerge m1\n' };
      for (let i = 1; i < 32; i++) files[`m${i}`] = i < 31 ? `merge m${i + 1}\n` : '- deepest\n';
      assert.deepEqual(lists(['-r', '-f', 'merge m0'], { files }).source, ['- top', '- deepest']);
      files.m31 = 'merge m32\n';
      files.m32 = '- too deep\n';
      const where = `<rule from ${'a file named at '.repeat(31)}m0 line 2>`;
      refused(['-r', '-f', 'merge m0'], { files }, `merge-file include depth limit (32) exceeded at ${where}`, RERR.FILEIO);
    });

    it('a directory reads as an empty rule file; a missing one ends the run with code 11', () => {
      assert.deepEqual(lists(['-r', '--exclude-from=d', '--exclude=x'], { files: { d: '<dir>' } }).source, ['- x']);
      refused(['-r', '--exclude-from=nope'], {}, 'failed to open exclude file nope: No such file or directory (2)', RERR.FILEIO);
      refused(['-r', '--include-from=nope'], {}, 'failed to open include file nope: No such file or directory (2)', RERR.FILEIO);
      // A name read from a file is that file's content: neither it nor the reason is shown.
      refused(['-r', '-f', 'merge m'], { files: { m: '- a\nmerge secret\n' } }, 'failed to open exclude file <rule from m line 2>', RERR.FILEIO);
    });

    it("a bad rule in a file is refused naming the place, as rsync 3.5 does", () => {
      refused(['-r', '-f', 'merge m'], { files: { m: '- a\nbogus\n' } }, 'Unknown filter rule: <rule from m line 2>', RERR.SYNTAX);
      refused(['-r', '-f', 'merge m'], { files: { m: '-X a\n' } }, 'invalid modifier in filter rule: <rule from m line 1>', RERR.SYNTAX);
    });

    it('drop a line too long for rsync and a pattern too long for a path', () => {
      const files = { a: `${'x'.repeat(5120)}\n- ${'y'.repeat(4096)}\n- ok\n` };
      assert.deepEqual(lists(['-r', '-f', 'merge a'], { files }).source, ['- ok']);
    });
  });

  describe('per-directory merge files travel to the servers', () => {
    it('-F adds dir-merge /.rsync-filter, -FF also excludes the files', () => {
      assert.deepEqual(lists(['-r', '--delete', '-F']), { source: [': /.rsync-filter'], dest: [': /.rsync-filter'] });
      assert.deepEqual(lists(['-r', '--delete', '-FF']).dest, [': /.rsync-filter', '- .rsync-filter']);
      assert.deepEqual(lists(['-r', '--delete', '-FFF']).dest, [': /.rsync-filter', '- .rsync-filter']);
    });

    it('a per-directory merge file of a name already merged is not added again, unless a clear removed it', () => {
      assert.deepEqual(lists(['-r', '-F', '-f', ':n- sub/.rsync-filter', '-f', 'dir-merge .other']).source, [': /.rsync-filter', ': .other']);
      assert.deepEqual(lists(['-r', '-F', '-f', '!', '-f', ':n .rsync-filter']).source, [':n .rsync-filter']);
    });

    it('"e" on a dir-merge is an exclude of the name, sent before it', () => {
      assert.deepEqual(lists(['-r', '-f', ':e /x/.rules']).source, ['- .rules', ': /x/.rules']);
    });
  });

  describe('-C', () => {
    const env = { HOME: '/home/u', CVSIGNORE: 'env1 env2' };
    const files = { '/home/u/.cvsignore': 'home1\nhome2 !x\n' };
    const local = ['home1', 'home2', '!x', 'env1', 'env2'].map((p) => `- ${p}`);

    it('the source adds its own CVS rules (its C letter); the destination gets :C and the whole list, made here', () => {
      assert.deepEqual(lists(['-r', '--delete', '-C', '--exclude=mine'], { env, files }), {
        source: ['- mine'],
        dest: ['- mine', ':C .cvsignore', ...CVS_DEFAULT.map((p) => `-p ${p}`), ...local],
      });
    });

    it('the default names are perishable from protocol 30 only; before 29 there is no :C', () => {
      assert.deepEqual(lists(['-r', '--delete', '-C'], { env, files, protocol: 29 }).dest, [':C .cvsignore', ...CVS_DEFAULT.map((p) => `- ${p}`), ...local]);
      assert.deepEqual(lists(['-r', '--delete', '-C'], { env, files, protocol: 28 }).dest, [...CVS_DEFAULT, 'home1', 'home2', '!x', 'env1', 'env2']);
    });

    it('"!" in the CVS list clears it; no ~/.cvsignore is no error', () => {
      assert.deepEqual(lists(['-r', '--delete', '-C'], { env: { HOME: '/none', CVSIGNORE: 'a ! b' } }).dest, [':C .cvsignore', '- b']);
    });

    it('a -C rule goes to a protocol 29+ sender as itself, and stands for the list toward a receiver or an older sender', () => {
      assert.deepEqual(lists(['-r', '--delete', '-f', '-C'], { env: { CVSIGNORE: 'e' } }), {
        source: ['-C '],
        dest: [...CVS_DEFAULT.map((p) => `-p ${p}`), '- e'],
      });
      assert.deepEqual(lists(['-r', '-f', '-C'], { env: { CVSIGNORE: 'e' }, protocol: 28 }).source, [...CVS_DEFAULT, 'e']);
    });

    it('-C with dir-merge .cvsignore already given sends no second :C', () => {
      assert.deepEqual(lists(['-r', '--delete', '-C', '-f', 'dir-merge,nw .cvsignore'], { env: { HOME: '/none' } }).dest!.slice(0, 2), [
        ':nw .cvsignore',
        '-p RCS',
      ]);
    });
  });

  describe('--delete-excluded', () => {
    it('makes plain rules the sender’s: the receiver gets only sided rules and merge files with prefixes', () => {
      assert.deepEqual(lists(['-r', '--delete-excluded', '--exclude=a', '-f', 'P p', '-f', ': .rules', '-f', ':- .plain', '-f', 'merge m'], { files: { m: '+ b\n' } }), {
        source: ['-s a', ': .rules', ':- .plain', '+s b'],
        dest: ['-r p', ': .rules'],
      });
    });

    it('with -C it keeps the CVS rules off the receiver too', () => {
      assert.deepEqual(lists(['-r', '--delete-excluded', '-C'], { env: { HOME: '/none' } }).dest, []);
      assert.deepEqual(lists(['-r', '--delete-excluded', '-f', '-C'], { env: { HOME: '/none' } }).source, ['-Cs ']);
    });

    it('below protocol 29 the receiver reads no list, yet a rule it could not read is still refused', () => {
      assert.deepEqual(lists(['-r', '--delete-excluded', '--exclude=a'], { protocol: 28 }), { source: ['a'], dest: undefined });
      refused(['-r', '--delete-excluded', '-f', 'P p'], { protocol: 28 }, 'filter rules are too modern for remote rsync.', RERR.PROTOCOL);
    });
  });

  it('-m makes the receiver read the rules without --delete', () => {
    assert.deepEqual(lists(['-r', '-m', '--exclude=a']).dest, ['- a']);
  });

  it('a listing has no destination list', () => {
    assert.deepEqual(lists(['-r', '--delete', '--exclude=a'], { hasDest: false }), { source: ['- a'], dest: undefined });
  });

  describe('the partial directory', () => {
    it('is excluded last, perishable toward the sender, and toward the receiver from protocol 30', () => {
      assert.deepEqual(lists(['-r', '--delete', '--partial-dir=.part/', '--exclude=a']), { source: ['- a', '-p .part/'], dest: ['- a', '-p .part/'] });
      assert.deepEqual(lists(['-r', '--delete', '--partial-dir=.part'], { protocol: 29 }), { source: ['- .part/'], dest: ['- .part/'] });
      assert.deepEqual(lists(['-r', '--delete', '--partial-dir=.part'], { protocol: 28 }), { source: ['.part/'], dest: ['.part/'] });
    });

    it('is .~tmp~ for --delay-updates; an absolute one has no rule', () => {
      assert.deepEqual(lists(['-r', '--delay-updates']).source, ['-p .~tmp~/']);
      assert.deepEqual(lists(['-r', '--partial-dir=/var/tmp/p']).source, []);
    });

    it('is the sender’s alone with --delete-excluded', () => {
      assert.deepEqual(lists(['-r', '--delete-excluded', '--partial-dir=.part']), { source: ['-sp .part/'], dest: [] });
    });
  });

  it('-b with --delete protects the backups with P *SUFFIX', () => {
    assert.deepEqual(lists(['-r', '-b', '--delete', '--exclude=a']), { source: ['- a'], dest: ['- a', '-r *~'] });
    assert.deepEqual(lists(['-r', '-b', '--suffix=.bak', '--delete']).dest, ['-r *.bak']);
    assert.deepEqual(lists(['-r', '-b', '--delete', '--backup-dir=old']).dest, []);
  });

  it('--old-dirs is -r with - /*/*', () => {
    assert.deepEqual(lists(['--old-dirs']).source, ['- /*/*']);
  });

  it('below protocol 29 modern rules are refused with rsync’s words', () => {
    const tooModern = 'filter rules are too modern for remote rsync.';
    refused(['-r', '-F'], { protocol: 28 }, tooModern, RERR.PROTOCOL);
    refused(['-r', '-f', '-/ x'], { protocol: 28 }, tooModern, RERR.PROTOCOL);
    refused(['-r', '-f', 'H x', '-f', '-! y'], { protocol: 27 }, tooModern, RERR.PROTOCOL);
    // A perishable rule cannot go to a receiver below 30, even one that reads no list.
    refused(['-r', '-f', '-p x'], { protocol: 29 }, tooModern, RERR.PROTOCOL);
    assert.deepEqual(lists(['-r', '-f', '-p x'], { protocol: 29, hasDest: false }).source, ['- x']);
    assert.deepEqual(lists(['-r', '-f', 'H x', '--include=y'], { protocol: 27 }).source, ['x', '+ y']);
  });
});
