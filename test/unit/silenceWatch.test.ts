// The silence watch of a log body (silenceWatch.ts): a quiet stream whose path answers the check is left alone,
// and checked less often the longer it stays quiet; a path that does not answer is reported once, with the reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SilenceWatch } from '../../src/infra/logs/silenceWatch.ts';
import { KubeApiError } from '../../src/infra/cluster/clusterClient.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a quiet stream whose path answers is not reported, and is checked less often as it stays quiet', async () => {
  const checks: number[] = [];
  const frozen: KubeApiError[] = [];
  const t0 = Date.now();
  const w = new SilenceWatch({ idleMs: 200, check: async () => void checks.push(Date.now() - t0), onFrozen: (e) => frozen.push(e) });
  await sleep(1000);
  w.stop();
  assert.deepEqual(frozen, []);
  // after 100 ms of silence, then 200 more, then 400 more: three checks in a second, not ten
  assert.ok(checks.length >= 2 && checks.length <= 4, `checks at ${checks.join(', ')} ms`);
});

test('data keeps the check away; a path that does not answer the check is reported once, naming the wait', async () => {
  let calls = 0;
  const frozen: KubeApiError[] = [];
  const never = (signal: AbortSignal) => {
    calls++;
    return new Promise<void>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
  };
  const w = new SilenceWatch({ idleMs: 1000, check: never, onFrozen: (e) => frozen.push(e) });
  for (let i = 0; i < 5; i++) {
    await sleep(40);
    w.touch();
  }
  assert.equal(calls, 0, 'data every 40 ms: no check');
  await sleep(1600);
  w.stop();
  assert.equal(frozen.length, 1);
  assert.equal(frozen[0]!.code, 'ANSWER_TIMEOUT');
  assert.match(frozen[0]!.message, /^nothing for 0\.5 s, and no answer to a check within 0\.5 s$/);
});

test('a check that fails as a route does (502) reports the path; one that fails otherwise (403) counts as an answer', async () => {
  const frozen: KubeApiError[] = [];
  const w = new SilenceWatch({ idleMs: 100, check: async () => { throw new KubeApiError('bad gateway', 502); }, onFrozen: (e) => frozen.push(e) });
  await sleep(300);
  w.stop();
  assert.equal(frozen.length, 1);
  assert.match(frozen[0]!.message, /a check failed: bad gateway/);
  const alive: KubeApiError[] = [];
  const v = new SilenceWatch({ idleMs: 100, check: async () => { throw new KubeApiError('forbidden', 403); }, onFrozen: (e) => alive.push(e) });
  await sleep(300);
  v.stop();
  assert.deepEqual(alive, []);
});
