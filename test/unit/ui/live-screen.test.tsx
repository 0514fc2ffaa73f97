import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderToString } from 'ink';
import { LiveScreen, rowLines } from '../../../src/ui/live/live-screen.js';
import { inFlightRows, viewRows, type ViewContext } from '../../../src/ui/live/view-rows.js';
import type { ProgressSnapshot } from '../../../src/ui/run-progress.js';

const context: ViewContext = { source: 'web04:/srv/data/', dest: 'web05:/srv/data/', labels: { source: 'web04', dest: 'web05' }, human: 1 };

const running: ProgressSnapshot = {
  phase: 'transferring',
  protocol: 32,
  checksum: 'xxh128',
  compression: 'zstd',
  incremental: true,
  files: { listed: 3000, listComplete: false, checked: 1204, sent: 312, deleted: 4 },
  bytes: { done: 1_210_000_000, toSend: 4_800_000_000, toSendFinal: false, rate: 25_300_000, eta: 141 },
  literal: 1_010_000_000,
  matched: 200_000_000,
  inFlight: [
    { name: 'photos/2024/a-very-long-directory-name/and-a-long-file-name-0001.jpg', size: 50_000_000, done: 31_000_000 },
    { name: 'photos/2024/b.jpg', size: 2_000_000, done: 0 },
  ],
  inFlightCount: 5,
  warnings: 1,
  errors: 0,
  notices: [{ kind: 'warning', side: 'source', text: 'file has vanished: "/srv/data/tmp.1"' }],
  elapsedSeconds: 65,
  exitCode: undefined,
};

function screen(s: ProgressSnapshot, columns: number): string[] {
  const { top, bottom } = viewRows(s, context);
  const rows = [...top, ...inFlightRows(s, context), ...bottom];
  const text = renderToString(<LiveScreen rows={rows} columns={columns} />, { columns });
  const lines = text.split('\n');
  assert.equal(lines.length, rows.reduce((n, row) => n + rowLines(row, columns).length, 0), 'the view takes the lines it was budgeted');
  for (const line of lines) assert.ok(line.length <= columns, `wider than ${columns} columns: ${JSON.stringify(line)}`);
  return lines;
}

describe('the live screen', () => {
  it('shows a running relay on 80 columns, a row to a line', () => {
    const lines = screen(running, 80);
    assert.deepEqual(lines.slice(0, 7), [
      'Relay     web04:/srv/data/ -> web05:/srv/data/',
      '          protocol 32, checksum xxh128, compression zstd, incremental file list',
      'Running   0:01:05, transferring',
      'Files     1,204 of 3,000 checked, list still arriving, 312 sent, 4 deleted',
      'Bytes     1.21GB of 4.80GB so far, 25.30MB/s, 0:02:21 left',
      'Delta     17% saved, 1.01GB literal, 200.00MB matched',
      'Sending    62% photos/2024/a-very-long-direct…name/and-a-long-file-name-0001.jpg',
    ]);
    assert.deepEqual(lines.slice(7), [
      '            0% photos/2024/b.jpg, 2.00MB',
      '          and 3 more',
      'Issues    1 warning, 0 errors',
      '          [web04] warning: file has vanished: "/srv/data/tmp.1"',
    ]);
  });

  it('folds rows onto more, shorter lines on 40 columns and cuts long names in the middle', () => {
    const lines = screen(running, 40);
    assert.equal(lines[0], 'Relay   web04:/srv/data/');
    assert.equal(lines[1], '        -> web05:/srv/data/');
    assert.ok(lines.includes('Files   1,204 of 3,000 checked'), lines.join('\n'));
    assert.ok(lines.includes('        list still arriving, 312 sent'), lines.join('\n'));
    assert.ok(lines.some((l) => l.startsWith('Sending  62% photos/') && l.includes('…') && l.endsWith('.jpg')), lines.join('\n'));
  });

  it('sums the run up once it is over', () => {
    const done: ProgressSnapshot = { ...running, phase: 'done', exitCode: 0, inFlight: [], inFlightCount: 0, files: { ...running.files, listComplete: true, checked: 3000 } };
    const lines = screen(done, 80);
    assert.ok(lines.includes('Done      exit 0: success, in 0:01:05'), lines.join('\n'));
    assert.ok(lines.includes('Files     3,000 checked, 312 sent, 4 deleted'), lines.join('\n'));
    assert.ok(lines.includes('Bytes     1.21GB sent, 18.62MB/s on average'), lines.join('\n'));
    assert.ok(!lines.some((l) => l.startsWith('Sending')), lines.join('\n'));
  });
});
