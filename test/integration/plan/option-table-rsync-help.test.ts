// The option table knows every option the installed rsync documents, with
// the same short letter and whether it takes a value.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { it } from 'node:test';
import { OPTION_TABLE, spellingsOf } from '../../../src/cli/option-table.js';

/** `--verbose, -v   increase verbosity` -> [['--verbose', false], ['-v', false]] */
function documentedSpellings(help: string): [string, boolean][] {
  const spellings: [string, boolean][] = [];
  for (const line of help.split('\n')) {
    if (!line.startsWith('-') || line.startsWith('--no-OPTION')) continue;
    const names = line.split(/ {2,}/)[0]!.replace(' (*)', '');
    // `--block-size=SIZE, -B`: the value is shown on the long name only.
    const takesValue = names.includes('=');
    for (const word of names.split(', ')) spellings.push([word.split('=')[0]!, takesValue]);
  }
  return spellings;
}

it('covers every option rsync --help lists', () => {
  const help = execFileSync('rsync', ['--help'], { encoding: 'utf8' });
  const documented = documentedSpellings(help);
  assert.ok(documented.length > 150, `parsed only ${documented.length} options from rsync --help`);
  for (const [spelling, takesValue] of documented) {
    const option = OPTION_TABLE.find((o) => {
      const { positive, negative } = spellingsOf(o);
      return positive.includes(spelling) || negative.includes(spelling);
    });
    assert.ok(option, `${spelling} is missing from the option table`);
    const negation = spellingsOf(option).negative.includes(spelling);
    assert.equal(!negation && option.arg !== undefined, takesValue, `${spelling}: value or not`);
  }
});
