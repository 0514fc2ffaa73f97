import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { infoLevels, logFormatHas, outputFormat } from '../../../src/cli/info-levels.js';
import { clientDebugWords, readOutputWords, serverDebugArg, serverInfoArg } from '../../../src/cli/output-words.js';
import { defaultRsyncOptions, type RsyncOptions } from '../../../src/cli/rsync-options.js';

const read = (text: string, option: 'info' | 'debug' = 'info') => {
  const levels: Record<string, number> = {};
  readOutputWords(option, text, levels);
  return levels;
};

describe('--info and --debug words', () => {
  it('reads words, levels, ALL and NONE, case-insensitively, later ones winning', () => {
    assert.deepEqual(read('name2,Stats,progress0'), { name: 2, stats: 1, progress: 0 });
    assert.deepEqual(read('name9'), { name: 4 });
    assert.deepEqual(read('none,name'), { ...Object.fromEntries(Object.keys(read('all')).map((w) => [w, 0])), name: 1 });
    assert.equal(Object.keys(read('ALL3')).length, 13);
    assert.deepEqual(read(',,'), {});
    assert.deepEqual(read('filter3', 'debug'), { filter: 3 });
  });

  it('answers HELP, and refuses an unknown word by its name', () => {
    assert.equal(readOutputWords('info', 'name,help', {}), 'help');
    assert.throws(() => read('foo3'), /^CliError: relaysync: Unknown --info item: "foo"$/);
    assert.throws(() => read('5x'), /Unknown --info item: "5x"/);
    assert.throws(() => read('name', 'debug'), /Unknown --debug item: "name"/);
  });

  it("tells each server the words of its side, as rsync's make_output_option", () => {
    assert.equal(serverInfoArg({}, true), undefined);
    assert.equal(serverInfoArg({ name: 2, skip: 1 }, true), '--info=NAME2');
    assert.equal(serverInfoArg({ name: 2, skip: 1 }, false), '--info=NAME2,SKIP');
    assert.equal(serverInfoArg({ flist: 2, progress: 1 }, true), undefined);
    assert.equal(serverInfoArg(read('all'), true), '--info=ALL');
    assert.equal(serverInfoArg(read('all2,name0'), false), '--info=ALL2,NAME0');
    assert.equal(serverInfoArg(read('none'), false), '--info=NONE');
    // Five of one level, but not every word of the side set: no ALL.
    assert.equal(serverInfoArg(read('backup,copy,del,nonreg,skip'), false), '--info=BACKUP,COPY,DEL,NONREG,SKIP');
  });

  it('tells the source the sender\'s --debug words, and the destination none, as rsync tells no server', () => {
    assert.equal(serverDebugArg(read('send,deltasum2,del,recv', 'debug'), true), '--debug=DELTASUM2,SEND');
    assert.equal(serverDebugArg(read('send', 'debug'), false), undefined);
    assert.equal(serverDebugArg(read('del,own', 'debug'), true), undefined);
    assert.equal(serverDebugArg(read('acl,deltasum,filter,flist,hash,hlink,send', 'debug'), true), '--debug=ALL');
  });

  it('names the --debug words that debug rsync\'s client itself, but not the silent daemon-socket ones', () => {
    assert.deepEqual(clientDebugWords(read('send,del,bind,connect', 'debug')), []);
    assert.deepEqual(clientDebugWords(read('io,cmd0,nstr2', 'debug')), ['io', 'nstr']);
    assert.deepEqual(clientDebugWords(read('all', 'debug')), ['chdir', 'cmd', 'exit', 'iconv', 'io', 'nstr', 'proto']);
    assert.deepEqual(clientDebugWords(read('all,none', 'debug')), []);
  });
});

describe('info levels', () => {
  const levels = (changes: Partial<RsyncOptions>) => infoLevels({ ...defaultRsyncOptions(), ...changes });

  it('follows -v, --stats and --progress', () => {
    assert.deepEqual([levels({}).name, levels({}).nonreg, levels({}).stats], [0, 1, 0]);
    assert.deepEqual([levels({ verbose: 1 }).name, levels({ verbose: 1 }).del, levels({ verbose: 1 }).skip], [1, 1, 0]);
    assert.deepEqual([levels({ verbose: 2 }).name, levels({ verbose: 2 }).misc, levels({ verbose: 2 }).skip], [2, 2, 1]);
    assert.equal(levels({ stats: true }).stats, 2);
    assert.equal(levels({ stats: true, verbose: 2 }).stats, 3);
    assert.deepEqual([levels({ progress: true }).name, levels({ progress: true }).flist, levels({ progress: true }).progress], [1, 2, 1]);
  });

  it('prints no names for --progress when a format prints its line before the transfer', () => {
    assert.equal(levels({ progress: true, stdoutFormat: '%i %n%L' }).name, 0);
    assert.equal(levels({ progress: true, stdoutFormat: '%n %b' }).name, 1);
  });

  it('lets --info win over everything else', () => {
    assert.equal(levels({ verbose: 2, info: { name: 0 } }).name, 0);
    assert.equal(levels({ progress: true, info: { progress: 2 } }).progress, 2);
  });

  it('prints "%n%L" lines when names are printed without a format', () => {
    assert.equal(outputFormat({ ...defaultRsyncOptions(), verbose: 1 }), '%n%L');
    assert.equal(outputFormat(defaultRsyncOptions()), undefined);
    assert.equal(outputFormat({ ...defaultRsyncOptions(), verbose: 1, stdoutFormat: '%o' }), '%o');
  });

  it('finds escapes as log_format_has does', () => {
    assert.ok(logFormatHas('%i %n', 'i'));
    assert.ok(logFormatHas("%'-10i", 'i'));
    assert.ok(!logFormatHas('%%i', 'i'));
    assert.ok(!logFormatHas('%n', 'i'));
    assert.ok(!logFormatHas('%', 'i'));
    assert.ok(!logFormatHas(undefined, 'i'));
  });
});
