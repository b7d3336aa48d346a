// Reading a server's request to wait: the Retry-After header (delay-seconds or HTTP-date) and a Status's
// details.retryAfterSeconds, as the watch layer honours them (pure functions, no server needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { httpError, MAX_RETRY_AFTER_SECONDS, parseRetryAfter, statusRetryAfter } from '../../src/infra/cluster/kubeErrors.ts';

const NOW = Date.parse('Sun, 06 Dec 2026 12:00:00 GMT');

test('Retry-After: delay-seconds, HTTP-date, capped, and nothing read from what is neither', () => {
  assert.equal(parseRetryAfter('5', NOW), 5);
  assert.equal(parseRetryAfter(' 0 ', NOW), 0);
  assert.equal(parseRetryAfter(['7', '9'], NOW), 7);
  assert.equal(parseRetryAfter('Sun, 06 Dec 2026 12:00:30 GMT', NOW), 30);
  assert.equal(parseRetryAfter('Sun, 06 Dec 2026 11:59:00 GMT', NOW), 0, 'a date in the past: no wait');
  assert.equal(parseRetryAfter('86400', NOW), MAX_RETRY_AFTER_SECONDS);
  for (const bad of [undefined, '', '-1', '1.5', '5 s', 'soon', '2026-12-06T12:00:30Z']) assert.equal(parseRetryAfter(bad, NOW), undefined, String(bad));
});

test('a Status body: details.retryAfterSeconds, and the header wins over it', () => {
  const body = JSON.stringify({ kind: 'Status', code: 429, message: 'too many requests', details: { retryAfterSeconds: 3 } });
  assert.equal(statusRetryAfter(JSON.parse(body)), 3);
  assert.equal(statusRetryAfter({ details: { retryAfterSeconds: 0 } }), undefined);
  assert.equal(statusRetryAfter({ details: { retryAfterSeconds: '3' } }), undefined);
  const fromBody = httpError(429, body, undefined, NOW);
  assert.equal(fromBody.status, 429);
  assert.equal(fromBody.message, 'too many requests');
  assert.equal(fromBody.retryAfterSeconds, 3);
  assert.equal(httpError(429, body, '10', NOW).retryAfterSeconds, 10);
  assert.equal(httpError(503, 'upstream down', undefined, NOW).retryAfterSeconds, undefined);
});
