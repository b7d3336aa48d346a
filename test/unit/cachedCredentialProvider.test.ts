// The caching and sharing rules on their own, with a fetch function written here in place of a program (the real
// plugins run in test/integration/credentialPrograms.test.ts), and a clock the test moves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CachedCredentialProvider } from '../../src/infra/credentials/cachedCredentialProvider.ts';
import { CredentialError, type Credential } from '../../src/infra/credentials/credentialProvider.ts';

function deferred(): { promise: Promise<Credential>; resolve: (c: Credential) => void; reject: (e: unknown) => void } {
  let resolve!: (c: Credential) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<Credential>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

test('callers during a fetch share it; the result is cached until expiry minus the skew', async () => {
  let now = 1_000_000;
  const fetches: ReturnType<typeof deferred>[] = [];
  const p = new CachedCredentialProvider('plugin', () => {
    const d = deferred();
    fetches.push(d);
    return d.promise;
  }, { expirySkewMs: 1000, now: () => now });
  const waiting = Array.from({ length: 5 }, () => p.get());
  await new Promise((r) => setImmediate(r));
  assert.equal(fetches.length, 1);
  fetches[0]?.resolve({ token: 'a', expiresAt: new Date(now + 10_000) });
  assert.deepEqual((await Promise.all(waiting)).map((c) => c.token), ['a', 'a', 'a', 'a', 'a']);
  now += 8_999;
  assert.equal((await p.get()).token, 'a');
  assert.equal(fetches.length, 1);
  now += 1;
  const refreshed = p.get();
  await new Promise((r) => setImmediate(r));
  assert.equal(fetches.length, 2);
  // A credential shorter-lived than twice the skew serves half its life instead of none.
  fetches[1]?.resolve({ token: 'b', expiresAt: new Date(now + 1000) });
  assert.equal((await refreshed).token, 'b');
  now += 499;
  assert.equal((await p.get()).token, 'b');
  now += 1;
  const third = p.get();
  await new Promise((r) => setImmediate(r));
  assert.equal(fetches.length, 3);
  fetches[2]?.resolve({ token: 'c' });
  assert.equal((await third).token, 'c');
});

test('a failed fetch is not cached, invalidate() forces a new one, a caller may stop waiting alone', async () => {
  let calls = 0;
  const gate = deferred();
  const p = new CachedCredentialProvider('plugin', async () => {
    calls += 1;
    if (calls === 1) throw new CredentialError('EXEC_FAILED', 'plugin', 'first fails');
    if (calls === 2) return gate.promise;
    return { token: `t${calls}` };
  });
  await assert.rejects(p.get(), /first fails/);
  const ac = new AbortController();
  const impatient = p.get(ac.signal);
  const patient = p.get();
  ac.abort(new Error('stopped waiting'));
  await assert.rejects(impatient, /stopped waiting/);
  gate.resolve({ token: 't2' });
  assert.equal((await patient).token, 't2');
  p.invalidate();
  assert.equal((await p.get()).token, 't3');
  assert.equal(calls, 3);
});

test('a fetch that throws at once still clears the in-flight slot', async () => {
  let calls = 0;
  const p = new CachedCredentialProvider('plugin', () => {
    calls += 1;
    throw new Error(`sync ${calls}`);
  });
  await assert.rejects(p.get(), /sync 1/);
  await assert.rejects(p.get(), /sync 2/);
});

test('dispose() aborts the running fetch, and later get() calls are refused', async () => {
  let seen: AbortSignal | undefined;
  const p = new CachedCredentialProvider('plugin', (signal) => {
    seen = signal;
    return new Promise((_res, rej) => signal.addEventListener('abort', () => rej(new CredentialError('EXEC_FAILED', 'plugin', 'killed'))));
  });
  const running = p.get();
  await new Promise((r) => setImmediate(r));
  p.dispose();
  assert.equal(seen?.aborted, true);
  await assert.rejects(running, /killed/);
  await assert.rejects(p.get(), (e: unknown) => e instanceof CredentialError && /connection was closed/.test(e.message));
});

test('after a timeout the program is left alone: 30 s, doubling per timeout in a row, reset by a success or by Retry', async () => {
  let now = 1_000_000;
  let fetches = 0;
  let answer: 'timeout' | 'token' = 'timeout';
  const p = new CachedCredentialProvider('plugin', async () => {
    fetches++;
    if (answer === 'timeout') throw new CredentialError('TIMEOUT', 'plugin', 'plugin did not answer');
    return { token: `t${fetches}` };
  }, { now: () => now });
  const timedOut = (e: unknown) => e instanceof CredentialError && e.code === 'TIMEOUT';
  await assert.rejects(p.get(), timedOut);
  now += 29_999;
  await assert.rejects(p.get(), (e: unknown) => timedOut(e) && /not started again for 1 s/.test((e as Error).message));
  assert.equal(fetches, 1);
  now += 1;
  await assert.rejects(p.get(), timedOut);
  assert.equal(fetches, 2, 'run again once the cooldown is over');
  now += 59_999;
  await assert.rejects(p.get(), timedOut);
  assert.equal(fetches, 2, 'the second timeout in a row waits 60 s');
  p.retryNow();
  answer = 'token';
  assert.equal((await p.get()).token, 't3', 'Retry runs it at once');
  p.invalidate();
  answer = 'timeout';
  await assert.rejects(p.get(), timedOut);
  now += 30_000;
  await assert.rejects(p.get(), timedOut);
  assert.equal(fetches, 5, 'after a success the cooldown starts again at 30 s');
  // Other failures are not cooled down: the caller's retry policy decides.
  const failing = new CachedCredentialProvider('plugin', () => Promise.reject(new CredentialError('EXEC_FAILED', 'plugin', 'exit 1')));
  await assert.rejects(failing.get(), /exit 1/);
  await assert.rejects(failing.get(), /exit 1/);
});
