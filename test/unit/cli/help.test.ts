import assert from 'node:assert/strict';
import { it } from 'node:test';
import { helpText } from '../../../src/cli/help.js';
import { OPTION_TABLE } from '../../../src/cli/option-table.js';

const help = helpText();

it('starts with the usage', () => {
  assert.match(help, /^Usage: relaysync \[OPTION\]\.\.\. SRC \[SRC\]\.\.\. DEST$/m);
});

it('describes every option that runs and lists every other one', () => {
  for (const option of OPTION_TABLE) {
    const name = option.long.length > 0 ? `--${option.long[0]}` : `-${option.short}`;
    if (option.status === 'supported') {
      assert.ok(help.includes(option.help.split(' ').slice(0, 3).join(' ')), `no help for ${name}`);
      assert.match(help, new RegExp(`^ {2}.*${name.replace(/[-]/g, '\\-')}\\b`, 'm'), `${name} is not described`);
    } else {
      assert.match(help, new RegExp(`[ ,]${name}(,|$)`, 'm'), `${name} is not listed`);
    }
  }
});

it('fits in 79 columns', () => {
  for (const line of help.split('\n')) assert.ok(line.length <= 79, line);
});

it('lists the words of --info and --debug for their help', () => {
  assert.match(helpText('info'), /NAME/);
  assert.match(helpText('info'), /PROGRESS/);
  assert.match(helpText('debug'), /FILTER/);
  assert.doesNotMatch(helpText('debug'), /^Usage/m);
});
