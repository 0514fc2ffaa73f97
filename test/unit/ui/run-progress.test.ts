import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FileList } from '../../../src/broker/file-lists.js';
import type { Settlement } from '../../../src/broker/handshake.js';
import { CF, ITEM, NDX_DONE, S_IFDIR, S_IFREG } from '../../../src/protocol/constants.js';
import type { FileEntry } from '../../../src/protocol/flist-decoder.js';
import { fileEntry } from '../file-entry.js';
import { NoticeFeed } from '../../../src/ui/notices.js';
import { RunProgress } from '../../../src/ui/run-progress.js';

const entry = (name: string, size = 0, mode = S_IFREG | 0o644): FileEntry => fileEntry(name, mode, size);

function settlement(over: Partial<Settlement> = {}): Settlement {
  return {
    protocol: 32,
    compatFlags: CF.INC_RECURSE,
    compat: { source: 0, dest: 0 },
    checksum: 'xxh128',
    fileChecksum: 'xxh128',
    compression: undefined,
    seeds: {},
    links: {},
    versions: { source: 32, dest: 32 },
    ...over,
  };
}

function list(start: number, entries: readonly FileEntry[]): FileList {
  const l = new FileList(start, undefined, { owners: false, hardLinks: false, unsorted: false });
  for (const e of entries) l.add(e);
  l.finish(32);
  return l;
}

const TRANSFER = ITEM.TRANSFER | ITEM.REPORT_CHANGE;

/** A run of one whole list (no incremental recursion) in which the destination asked for every file. */
function asked(files: readonly [name: string, size: number][], run: { dryRun?: boolean; compression?: string } = {}): { p: RunProgress; l: FileList } {
  const p = new RunProgress(run.dryRun ?? false, 0);
  p.settled(settlement({ compatFlags: 0, compression: run.compression }));
  const l = list(0, files.map(([name, size]) => entry(name, size)));
  p.fileList(l);
  for (let ndx = 0; ndx < files.length; ndx++) p.requested(ndx, TRANSFER, l.get(ndx));
  return { p, l };
}

describe('RunProgress', () => {
  it('counts an incremental list as it grows, and what the destination checked and asked for', () => {
    const p = new RunProgress(false, 0);
    p.settled(settlement());
    assert.equal(p.snapshot(0, 5).phase, 'listing');
    const first = list(1, [entry('.', 0, S_IFDIR | 0o755), entry('a', 100), entry('b', 300)]);
    p.fileList(first);
    let s = p.snapshot(0, 5);
    assert.equal(s.phase, 'transferring');
    assert.deepEqual(s.files, { listed: 3, listComplete: false, checked: 0, sent: 0, deleted: 0 });
    assert.equal(s.incremental, true);

    p.requested(3, TRANSFER, first.get(3));
    s = p.snapshot(0, 5);
    assert.equal(s.files.checked, 3, 'the destination is past "." and "a", and at "b"');
    assert.equal(s.bytes.toSend, 300);
    assert.deepEqual(s.inFlight, [{ name: 'b', size: 300, done: 0 }]);

    p.fileList(list(5, [entry('d/x', 50)]));
    p.listsComplete();
    p.requested(NDX_DONE, 0, undefined);
    s = p.snapshot(0, 5);
    assert.deepEqual([s.files.listed, s.files.listComplete, s.files.checked], [4, true, 3]);
  });

  it('follows the file being sent, and adds its bytes when it is done', () => {
    const { p, l } = asked([
      ['a', 1000],
      ['b', 500],
    ]);
    p.item(0, TRANSFER);
    p.progress(0, 300, 100);
    let s = p.snapshot(0, 5);
    assert.equal(s.bytes.done, 400);
    assert.deepEqual(s.inFlight.map((f) => [f.name, f.done]), [['a', 400], ['b', 0]]);
    assert.equal(s.inFlightCount, 2);
    p.transferred(0, l.get(0), 600, 400);
    s = p.snapshot(0, 5);
    assert.deepEqual([s.bytes.done, s.literal, s.matched, s.files.sent], [1000, 600, 400, 1]);
    assert.deepEqual(s.inFlight.map((f) => f.name), ['b']);
    assert.equal(p.snapshot(0, 0).inFlight.length, 0, 'no more than asked for are listed');
  });

  it('counts literal data as rsync does when the tokens are compressed: the file less what matched', () => {
    const { p, l } = asked([['a', 1000]], { compression: 'zstd' });
    p.transferred(0, l.get(0), 37, 200);
    const s = p.snapshot(0, 5);
    assert.deepEqual([s.literal, s.matched], [800, 200]);
  });

  it('drops a file the source passed over once it answers a later one', () => {
    const { p } = asked([
      ['gone', 10],
      ['here', 20],
    ]);
    p.item(1, TRANSFER);
    assert.deepEqual(p.snapshot(0, 5).inFlight.map((f) => f.name), ['here']);
  });

  it('in a dry run counts a file as sent when the source answers for it', () => {
    const { p } = asked([['a', 10]], { dryRun: true });
    p.item(0, TRANSFER);
    const s = p.snapshot(0, 5);
    assert.deepEqual([s.files.sent, s.bytes.done, s.inFlightCount], [1, 10, 0]);
  });

  it('measures the rate over the last seconds and the time left from it', () => {
    const { p } = asked([['big', 10_000]]);
    p.item(0, TRANSFER);
    p.sample(0);
    assert.equal(p.snapshot(0, 5).bytes.rate, undefined);
    p.progress(0, 1000, 0);
    p.sample(1000);
    let s = p.snapshot(1000, 5);
    assert.equal(s.bytes.rate, 1000);
    assert.equal(s.bytes.eta, 9);
    // Samples older than the window stop counting: the rate is the recent one.
    for (let t = 2000; t <= 8000; t += 1000) {
      p.progress(0, 1000 + (t - 1000) / 10, 0);
      p.sample(t);
    }
    s = p.snapshot(8000, 5);
    assert.equal(s.bytes.rate, 100);
  });

  it('keeps the latest warnings and errors with their side, and counts all', () => {
    const p = new RunProgress(false, 0);
    const feed = new NoticeFeed((n) => p.notice(n));
    feed.serverMessage('source', 'info', Buffer.from('hello\n'));
    feed.serverMessage('dest', 'warning', Buffer.from('rsync: one\n'));
    feed.serverMessage('source', 'error-xfer', Buffer.from('rsync: two\n'));
    feed.serverStderr('dest', 'rsync: three');
    feed.serverMessage('dest', 'error', Buffer.from('rsync: four \xff\n', 'latin1'));
    const s = p.snapshot(0, 5);
    assert.deepEqual([s.warnings, s.errors], [1, 3]);
    assert.deepEqual(
      s.notices.map((n) => [n.kind, n.side, n.text]),
      [
        ['error', 'source', 'rsync: two'],
        ['error', 'dest', 'rsync: three'],
        ['error', 'dest', 'rsync: four \\#377'],
      ],
    );
  });

  it('ends: how, and the elapsed time stops', () => {
    const p = new RunProgress(false, 1000);
    p.settled(settlement({ compatFlags: 0 }));
    const l = list(0, [entry('a', 1)]);
    p.fileList(l);
    p.listsComplete();
    p.finished(0, false, 3000);
    let s = p.snapshot(9000, 5);
    assert.deepEqual([s.phase, s.exitCode, s.elapsedSeconds, s.files.checked], ['done', 0, 2, 1]);
    p.finished(20, true, 3000);
    s = p.snapshot(9000, 5);
    assert.equal(s.phase, 'interrupted');
  });
});
