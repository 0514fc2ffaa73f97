import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RateLimiter } from '../../../src/broker/bandwidth.js';

test('a relayed stream is held to the average rate; short waits are carried over', () => {
  let now = 0;
  const limiter = new RateLimiter(1000, () => now);
  assert.equal(limiter.took(50), 0, '50 ms ahead: carried over');
  assert.equal(limiter.took(100), 150, '150 bytes at 1000/s are due at 150 ms');
  now = 1000;
  assert.equal(limiter.took(500), 0, 'behind schedule: no wait');
  assert.equal(limiter.took(1000), 650);
});
