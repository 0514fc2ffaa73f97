import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCommandLine } from '../../../src/cli/parse-args.js';
import { defaultRsyncOptions, type RsyncOptions } from '../../../src/cli/rsync-options.js';
import { buildServerCommand } from '../../../src/plan/server-command.js';
import type { Side } from '../../../src/transport/server-process.js';

const optionsOf = (...argv: string[]) => parseCommandLine([...argv, 'a:x', 'b:y'], {}).options;

function commandLine(options: RsyncOptions, side: Side, capabilities?: string, filesFromOn?: Side): readonly string[] {
  return buildServerCommand({ options, side, paths: ['p'], checksumSeed: 42, program: 'rsync', capabilities, filesFromOn }).options;
}

describe('buildServerCommand', () => {
  it('builds the sender line for the source and the receiver line for the dest', () => {
    const options = optionsOf('-av');
    assert.deepEqual(commandLine(options, 'source'), ['--server', '--sender', '-vlogDtpre.iLsfxCIvu', '--checksum-seed=42']);
    assert.deepEqual(commandLine(options, 'dest'), ['--server', '-vlogDtpre.iLsfxCIvu', '--checksum-seed=42']);
  });

  it('passes program, paths and side through', () => {
    const command = buildServerCommand({
      options: optionsOf('-a'),
      side: 'source',
      paths: ['a b', '~/x'],
      checksumSeed: 7,
      program: 'sudo rsync',
    });
    assert.equal(command.program, 'sudo rsync');
    assert.deepEqual(command.paths, ['a b', '~/x']);
    assert.equal(command.side, 'source');
    assert.equal(command.relativePaths, false);
    assert.equal(buildServerCommand({ options: { ...defaultRsyncOptions(), relativePaths: true }, side: 'dest', paths: ['p'], checksumSeed: 7, program: 'rsync' }).relativePaths, true);
  });

  it('tells the source the sender\'s --debug words, which rsync keeps to its own sending client', () => {
    const options = optionsOf('-a', '--debug=send,del', '--info=name2');
    assert.deepEqual(commandLine(options, 'source'), ['--server', '--sender', '-logDtpre.iLsfxCIvu', '--checksum-seed=42', '--info=NAME2', '--debug=SEND']);
    // Names printed without -v: the receiver is told to report nothing (X).
    assert.deepEqual(commandLine(options, 'dest'), ['--server', '-logDtpre.iLsfxCIvu', '--log-format=X', '--checksum-seed=42', '--info=NAME2']);
    assert.throws(() => optionsOf('--debug=io,send'), /--debug words IO debug rsync's own client/);
  });

  it('tells only the receiver about deleting, statistics and partial files', () => {
    const options = optionsOf('-a', '--delete', '--stats', '--partial');
    assert.deepEqual(commandLine(options, 'source'), ['--server', '--sender', '-logDtpre.iLsfxCIvu', '--checksum-seed=42']);
    assert.deepEqual(commandLine(options, 'dest'), [
      '--server',
      '-logDtpre.iLsfxCIvu',
      '--delete',
      '--stats',
      '--checksum-seed=42',
      '--partial',
    ]);
  });

  it('tells only the sender to follow symlinks', () => {
    const options = optionsOf('-rL');
    assert.equal(commandLine(options, 'source')[2], '-Lre.iLsfxCIvu');
    assert.equal(commandLine(options, 'dest')[1], '-re.iLsfxCIvu');
  });

  it("puts the letters in rsync's order, repeated where counted", () => {
    const options = optionsOf('-zxxcWHHnu', '-vv', '-a', '--no-specials');
    assert.deepEqual(commandLine(options, 'dest').slice(1), ['-vvunlWHHogDtprcxxze.iLsfxCIvu', '--no-specials', '--checksum-seed=42']);
  });

  it('corrects -D with --specials, --no-specials as rsync', () => {
    assert.ok(commandLine(optionsOf('--specials'), 'dest').includes('--specials'));
    assert.ok(commandLine(optionsOf('--devices'), 'source').includes('--no-specials'));
  });

  it('tells a receiver to log nothing with --progress and no -v', () => {
    assert.ok(commandLine(optionsOf('--progress'), 'dest').includes('--log-format=X'));
    assert.ok(!commandLine(optionsOf('--progress', '-v'), 'dest').includes('--log-format=X'));
    assert.ok(!commandLine(optionsOf('--progress'), 'source').includes('--log-format=X'));
  });

  it('sends no capability letters below protocol 30, and no cluster when empty', () => {
    assert.deepEqual(commandLine(optionsOf('--protocol=29', '-a'), 'source'), ['--server', '--sender', '-logDtpr', '--checksum-seed=42']);
    assert.deepEqual(commandLine(optionsOf('--protocol=29'), 'dest'), ['--server', '--checksum-seed=42']);
  });

  it('restricts the capability letters on both sides alike', () => {
    const options = optionsOf('-a');
    assert.equal(commandLine(options, 'source', 'fxCIvu')[2], '-logDtpre.fxCIvu');
    assert.equal(commandLine(options, 'dest', 'fxCIvu')[1], '-logDtpre.fxCIvu');
  });

  it('wants a checksum seed both servers can read', () => {
    for (const seed of [0, -1, 1.5, 2 ** 31, Number.NaN]) {
      assert.throws(
        () => buildServerCommand({ options: defaultRsyncOptions(), side: 'dest', paths: ['p'], checksumSeed: seed, program: 'rsync' }),
        RangeError,
      );
    }
  });

  it('gives each server the words of its role', () => {
    const options = optionsOf('-a', '--delete-after', '--max-delete=3', '--skip-compress=gz', '--copy-devices', '--preallocate', '-kK');
    assert.deepEqual(commandLine(options, 'source').slice(2), ['-lkogDtpre.LsfxCIvu', '--skip-compress=gz', '--checksum-seed=42', '--copy-devices']);
    assert.deepEqual(commandLine(options, 'dest').slice(1), [
      '-lKogDtpre.LsfxCIvu',
      '--max-delete=3',
      '--delete-after',
      '--checksum-seed=42',
      '--preallocate',
    ]);
  });

  it('tells the source to read the --files-from names from relaysync, or from its own host', () => {
    const local = optionsOf('-a', '--files-from=list');
    assert.deepEqual(commandLine(local, 'source').slice(-3), ['--checksum-seed=42', '--files-from=-', '--from0']);
    assert.ok(!commandLine(local, 'dest').some((w) => w.startsWith('--files-from')));
    const remote = optionsOf('-a', '--files-from=h:list', '--no-R');
    assert.deepEqual(commandLine(remote, 'source', undefined, 'source').slice(-3), ['--files-from', 'list', '--no-relative']);
    assert.deepEqual(commandLine(remote, 'source', undefined, 'dest').slice(-3), ['--files-from=-', '--from0', '--no-relative']);
    assert.deepEqual(commandLine(remote, 'dest', undefined, 'dest').slice(-3), ['--files-from', 'list', '--no-relative']);
    assert.throws(() => commandLine(remote, 'dest'), /must say which side holds the list/);
  });

  it('puts -s\'s arguments apart: the command line up to --iconv, the rest for the protocol', () => {
    const command = buildServerCommand({
      options: optionsOf('-as', '--iconv=utf8,latin1', '--delete'),
      side: 'dest',
      paths: ['-x y'],
      checksumSeed: 42,
      program: 'rsync',
    });
    assert.deepEqual(command.options, ['--server', '-slogDtpre.iLsfxCIvu', '--iconv=latin1']);
    assert.deepEqual(command.paths, []);
    assert.deepEqual(command.secludedArgs, ['--delete', '--checksum-seed=42', '.', './-x y']);
  });
});
