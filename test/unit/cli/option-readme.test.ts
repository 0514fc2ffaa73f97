import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { OPTION_TABLE } from '../../../src/cli/option-table.js';
import { optionReadmeTable, README_END, README_START, withOptionTable } from '../../../src/cli/option-readme.js';

// Compiled to dist/test/unit/cli/, four levels below the package root.
const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');

it("README's option table is the one the option table writes (npm run docs rewrites it)", () => {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  assert.ok(start >= 0 && end > start, 'README.md has no option table markers');
  assert.equal(readme.slice(start + README_START.length, end), `\n${optionReadmeTable()}\n`, 'README.md is out of date: run npm run docs');
});

it('has a row for every option, and keeps what is around the markers', () => {
  const table = optionReadmeTable();
  assert.equal(table.split('\n').filter((l) => /^\| `/.test(l)).length, OPTION_TABLE.length);
  assert.equal(withOptionTable(`intro\n${README_START}\nold\n${README_END}\nrest`), `intro\n${README_START}\n${table}\n${README_END}\nrest`);
  assert.throws(() => withOptionTable('no markers'), /README.md needs the lines/);
});
