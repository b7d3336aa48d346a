// The one program runner with real programs: the trust gate spawns nothing, no shell ever reads an argument, and a
// timeout, an abort or dispose() ends the whole process tree, children that ignore SIGTERM included.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { ProcessRunError, ProcessRunner } from '../../src/infra/process/runner.ts';
import { allGone, pidsIn, privateDir, shScript, within } from './support/programFixtures.ts';

let dir: string;
let remove: () => Promise<void>;
const logs: string[] = [];
const logger = { info: (m: string) => logs.push(m), warn: (m: string) => logs.push(m), error: (m: string) => logs.push(m) };

before(async () => {
  ({ dir, remove } = await privateDir('liqo-runner-'));
});
after(async () => remove());

const isRunError = (reason: string) => (e: unknown) => e instanceof ProcessRunError && e.reason === reason;

/** A script that starts a sleeping child, writes both pids, and waits. */
async function treeScript(name: string, childPrefix = ''): Promise<{ script: string; pids: string }> {
  const pids = path.join(dir, `${name}.pids`);
  const script = await shScript(path.join(dir, `${name}.sh`), `${childPrefix}sleep 300 &\necho $! >> '${pids}'\necho $$ >> '${pids}'\nwait`);
  return { script, pids };
}

test('an untrusted runner, or an untrusted run, spawns nothing', async () => {
  const marker = path.join(dir, 'trust-marker');
  const script = await shScript(path.join(dir, 'marker.sh'), `: > '${marker}'`);
  let trusted = false;
  const runner = new ProcessRunner({ trusted: () => trusted, logger });
  await assert.rejects(runner.run(script, []), (e: unknown) => isRunError('BLOCKED')(e) && /restricted/.test((e as Error).message));
  trusted = true;
  await assert.rejects(runner.run(script, [], { trusted: false }), isRunError('BLOCKED'));
  await assert.rejects(runner.run(script, [], { trusted: () => false }), isRunError('BLOCKED'));
  assert.equal(existsSync(marker), false);
  // Once trust is granted the same program runs: the marker is a real witness.
  assert.equal((await runner.run(script, [])).exitCode, 0);
  assert.equal(existsSync(marker), true);
});

test('arguments reach the program as they are: no shell expands or splits them', async () => {
  const marker = path.join(dir, 'shell-marker');
  const runner = new ProcessRunner({ trusted: true, logger });
  const arg = `$(touch ${marker}); \`touch ${marker}\` | & > *`;
  const r = await runner.run('printf', ['%s', arg]);
  assert.equal(r.stdout, arg);
  assert.equal(existsSync(marker), false);
});

test('exit codes are results; stdin, env and cwd reach the program; a missing program is NOT_FOUND', async () => {
  const runner = new ProcessRunner({ trusted: true, logger });
  const r = await runner.run('sh', ['-c', 'read line; echo "$line/$GREETING/$(pwd)"; echo oops >&2; exit 7'], { stdin: 'hello\n', env: { GREETING: 'hi' }, cwd: dir });
  assert.deepEqual([r.exitCode, r.stdout.trim(), r.stderr.trim()], [7, `hello/hi/${dir}`, 'oops']);
  await assert.rejects(runner.run('liqo-no-such-program', []), (e: unknown) => isRunError('NOT_FOUND')(e) && /not found in PATH/.test((e as Error).message));
  await assert.rejects(runner.run(path.join(dir, 'missing', 'p'), []), isRunError('NOT_FOUND'));
});

test('output lines are streamed redacted, the captured output is bounded, and the log holds no secret', async () => {
  const runner = new ProcessRunner({ trusted: true, logger });
  const lines: string[] = [];
  const r = await runner.run('sh', ['-c', 'echo "token: s3cr3t-value"; echo plain >&2; printf tail'], {
    onLine: (l, s) => lines.push(`${s}:${l}`),
    env: { X: 'y' },
  });
  assert.deepEqual(lines.sort(), ['stderr:plain', 'stdout:tail', 'stdout:token: <redacted>'].sort());
  assert.match(r.stdout, /s3cr3t-value/, 'the caller still gets the raw output to parse');
  const throwing = await runner.run('echo', ['x'], { onLine: () => { throw new Error('handler bug'); } });
  assert.equal(throwing.exitCode, 0, 'a failing output handler does not break the run');
  assert.match(logs.join('\n'), /output handler of echo failed: handler bug/);
  const big = await runner.run('head', ['-c', '3000000', '/dev/zero'], { maxOutputBytes: 1000 });
  assert.equal(big.stdout.length, 1000);
  assert.equal(big.stdoutTruncated, true);
  await runner.run('echo', ['--password', 'hunter2', 'Bearer abc.def']);
  await runner.run('echo', ['private-arg'], { logArguments: false });
  const joined = logs.join('\n');
  assert.equal(/hunter2|abc\.def|s3cr3t|private-arg/.test(joined), false, joined);
});

test('a timeout kills the whole process tree', async () => {
  const { script, pids } = await treeScript('timeout');
  const runner = new ProcessRunner({ trusted: true, logger, killGraceMs: 500 });
  const started = Date.now();
  await assert.rejects(within(runner.run(script, [], { timeoutMs: 700 }), 8000, 'run'), (e: unknown) => isRunError('TIMEOUT')(e) && /did not finish within 0\.7 s/.test((e as Error).message));
  assert.ok(Date.now() - started < 10_000);
  const all = await pidsIn(pids, 2);
  assert.equal(await allGone(all, 5000), true, `still running: ${all.join(', ')}`);
  assert.equal(runner.activeCount, 0);
});

test('an abort kills the tree, also a child that ignores SIGTERM (SIGKILL after the grace period)', async () => {
  const { script, pids } = await treeScript('stubborn', "trap '' TERM\n");
  const runner = new ProcessRunner({ trusted: true, logger, killGraceMs: 300 });
  const ac = new AbortController();
  const running = runner.run(script, [], { signal: ac.signal });
  const all = await pidsIn(pids, 2);
  ac.abort();
  await assert.rejects(within(running, 8000, 'run'), isRunError('ABORTED'));
  assert.equal(await allGone(all, 5000), true, `still running: ${all.join(', ')}`);
  await assert.rejects(runner.run('true', [], { signal: ac.signal }), isRunError('ABORTED'));
});

test('dispose() kills every running tree and refuses new runs', async () => {
  const a = await treeScript('dispose-a');
  const b = await treeScript('dispose-b');
  const runner = new ProcessRunner({ trusted: true, logger, killGraceMs: 300 });
  // Both rejections are awaited together (one awaited after the other would be unhandled for a while).
  const runs = [runner.run(a.script, []), runner.run(b.script, [])].map((r) => assert.rejects(within(r, 8000, 'run'), isRunError('DISPOSED')));
  const all = [...(await pidsIn(a.pids, 2)), ...(await pidsIn(b.pids, 2))];
  assert.equal(runner.activeCount, 2);
  runner.dispose();
  await Promise.all(runs);
  assert.equal(await allGone(all, 5000), true, `still running: ${all.join(', ')}`);
  await assert.rejects(runner.run('true', []), isRunError('DISPOSED'));
});

test('the stderr tail of a stopped program is redacted before it is cut: a long key cut in its middle does not show', async () => {
  // A PEM body longer than the tail: cut first, the tail would begin inside the key, without its BEGIN line.
  const body = Array.from({ length: 40 }, (_, i) => `MIIEvQIBADANBgkqhkiG9w0BAQEFAASC${String(i).padStart(4, '0')}abcdefghij`).join('\n');
  const script = await shScript(path.join(dir, 'pem.sh'), `printf '%s\\n' '-----BEGIN PRIVATE KEY-----' >&2\nprintf '%s\\n' '${body}' >&2\nprintf '%s\\n' '-----END PRIVATE KEY-----' >&2\nsleep 300`);
  const runner = new ProcessRunner({ trusted: true, logger, killGraceMs: 200 });
  await assert.rejects(within(runner.run(script, [], { timeoutMs: 700 }), 8000, 'run'), (e: unknown) => {
    assert.ok(isRunError('TIMEOUT')(e), String(e));
    const tail = (e as ProcessRunError).stderrTail;
    assert.ok(!tail.includes('MIIEvQIBADANBgkqhkiG9w0BAQEFAASC'), `the key's body is in the tail: ${tail.slice(0, 120)}`);
    return true;
  });
});
