import assert from 'node:assert/strict';
import { it } from 'node:test';
import { validChmod } from '../../../src/cli/chmod-syntax.js';

it('accepts what rsync --chmod accepts', () => {
  for (const ok of ['u+x', 'Du+x', 'Fgo-w', 'a=rwX', 'u=g', 'o+u', 'ug+rs,o-t', '755', 'D2775', '0', '7777', '+x', '=', 'DD+x', 'uD+x', 'F-w,Dg+s']) {
    assert.ok(validChmod(ok), ok);
  }
});

it('refuses what rsync refuses, the whole value for one bad clause', () => {
  for (const bad of ['', 'u', 'u+q', 'u+x,', ',u+x', 'DF+x', 'FD+x', 'u755', '10000', '8', '7a', 'u+xg', 'u+gx', 'u+ug', 'u+x-w', 'u+x,bogus']) {
    assert.ok(!validChmod(bad), bad);
  }
});
