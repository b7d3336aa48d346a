// Credential programs run for real: a marker program proves restricted workspaces run nothing, whichever way the
// kubeconfig names it; a counting plugin proves one run per expiry (20 concurrent callers, expiry, invalidate);
// dispose and a hanging plugin prove the plugin's process tree ends; messages name the plugin, never its secrets.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { ResolvedEntry } from '../../src/core/kubeconfig/resolved.ts';
import { credentialProviderFor, credentialProviderForContext, type CredentialProviderOptions } from '../../src/infra/credentials/credentialProviderFor.ts';
import { CredentialError } from '../../src/infra/credentials/credentialProvider.ts';
import { ProcessRunner } from '../../src/infra/process/runner.ts';
import { allGone, nodeScript, pidsIn, privateDir, shScript, within } from './support/programFixtures.ts';

const V1 = 'client.authentication.k8s.io/v1';
let dir: string;
let remove: () => Promise<void>;
let runner: ProcessRunner;
const logs: string[] = [];

before(async () => {
  ({ dir, remove } = await privateDir('liqo-creds-'));
  runner = new ProcessRunner({ trusted: true, killGraceMs: 300, logger: { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) } });
});
after(async () => {
  runner.dispose();
  await remove();
});

function user(fields: Record<string, unknown>, name = 'u'): ResolvedEntry {
  return { name, fields, filePath: path.join(dir, 'kubeconfig'), baseDir: dir };
}

function provider(fields: Record<string, unknown>, opts: Partial<CredentialProviderOptions> = {}) {
  const p = credentialProviderFor(user(fields), { trusted: true, runner, timeoutMs: 10_000, ...opts });
  assert.ok(p, 'a provider is expected for this user');
  return p;
}

const code = (c: CredentialError['code'], re?: RegExp) => (e: unknown) => e instanceof CredentialError && e.code === c && (!re || re.test(e.message));

/** Prints an ExecCredential whose token counts the runs (the counter file gains a line per run). */
async function countingPlugin(): Promise<string> {
  return nodeScript(
    path.join(dir, 'bin', 'counting-plugin'),
    `const fs = require('node:fs');
fs.appendFileSync(process.env.COUNTER, 'run\\n');
const runs = fs.readFileSync(process.env.COUNTER, 'utf8').split('\\n').filter(Boolean).length;
setTimeout(() => {
  const expirationTimestamp = new Date(Date.now() + Number(process.env.LIFETIME_MS)).toISOString();
  process.stdout.write(JSON.stringify({ kind: 'ExecCredential', apiVersion: '${V1}', status: { token: 'token-' + runs, expirationTimestamp } }));
}, 300);`,
  );
}

async function runs(counter: string): Promise<number> {
  return existsSync(counter) ? (await readFile(counter, 'utf8')).split('\n').filter(Boolean).length : 0;
}

test('restricted: exec, auth-provider cmd-path and auth-provider config.exec run nothing', async () => {
  const marker = path.join(dir, 'restricted-marker');
  await shScript(path.join(dir, 'bin', 'marker'), `: > '${marker}'\necho '{}'`);
  const users = [
    { exec: { command: './bin/marker', apiVersion: V1, interactiveMode: 'Never' } },
    { 'auth-provider': { name: 'gcp', config: { 'cmd-path': './bin/marker', 'cmd-args': 'config config-helper' } } },
    { 'auth-provider': { name: 'custom', config: { exec: { command: './bin/marker', apiVersion: V1, interactiveMode: 'Never' } } } },
  ];
  let trusted = false;
  for (const fields of users) {
    const p = provider(fields, { trusted: () => trusted });
    await assert.rejects(p.get(), code('EXEC_BLOCKED', /restricted/));
    assert.equal(existsSync(marker), false, `${JSON.stringify(fields)} ran its program`);
    assert.equal(runner.activeCount, 0);
  }
  // The same users run the marker once trust is granted: the witness works.
  trusted = true;
  for (const fields of users) {
    await assert.rejects(provider(fields, { trusted: () => trusted }).get(), code('EXEC_FAILED'));
    assert.equal(existsSync(marker), true);
    await import('node:fs/promises').then((fs) => fs.rm(marker));
  }
});

test('a counting plugin runs once for 20 concurrent callers, again after expiry, again after invalidate()', async () => {
  const counter = path.join(dir, 'count-a');
  const plugin = await countingPlugin();
  const p = provider({ exec: { command: plugin, apiVersion: V1, interactiveMode: 'IfAvailable', env: [{ name: 'COUNTER', value: counter }, { name: 'LIFETIME_MS', value: '60000' }] } });
  const all = await Promise.all(Array.from({ length: 20 }, () => p.get()));
  assert.equal(await runs(counter), 1);
  assert.deepEqual(new Set(all.map((c) => c.token)), new Set(['token-1']));
  assert.ok(all[0]?.expiresAt && all[0].expiresAt.getTime() > Date.now() + 50_000);
  assert.equal((await p.get()).token, 'token-1');
  assert.equal(await runs(counter), 1, 'cached until expiry');
  p.invalidate();
  const again = await Promise.all(Array.from({ length: 5 }, () => p.get()));
  assert.deepEqual(new Set(again.map((c) => c.token)), new Set(['token-2']));
  assert.equal(await runs(counter), 2);

  const shortCounter = path.join(dir, 'count-b');
  const short = provider(
    { exec: { command: plugin, apiVersion: V1, interactiveMode: 'Never', env: [{ name: 'COUNTER', value: shortCounter }, { name: 'LIFETIME_MS', value: '1500' }] } },
    { expirySkewMs: 0 },
  );
  const first = await short.get();
  assert.equal(first.token, 'token-1');
  assert.equal((await short.get()).token, 'token-1', 'still valid');
  await new Promise((r) => setTimeout(r, Math.max(0, (first.expiresAt?.getTime() ?? 0) - Date.now()) + 50));
  assert.equal((await short.get()).token, 'token-2', 'expired: fetched again');
  assert.equal(await runs(shortCounter), 2);
});

test('dispose() during a run kills the plugin and its children; later get() calls are refused', async () => {
  const pids = path.join(dir, 'dispose.pids');
  const plugin = await shScript(path.join(dir, 'bin', 'slow-plugin'), `sleep 300 &\necho $! >> '${pids}'\necho $$ >> '${pids}'\nwait`);
  const p = provider({ exec: { command: plugin, apiVersion: V1, interactiveMode: 'Never' } }, { timeoutMs: 60_000 });
  const running = p.get();
  const all = await pidsIn(pids, 2);
  p.dispose();
  await assert.rejects(within(running, 8000, 'get'), code('EXEC_FAILED', /stopped/));
  assert.equal(await allGone(all, 5000), true, `still running: ${all.join(', ')}`);
  await assert.rejects(p.get(), code('EXEC_FAILED'));
});

test('a plugin that hangs (a login waiting in a browser) is killed at the timeout and blamed, not the server', async () => {
  const pids = path.join(dir, 'hang.pids');
  const plugin = await shScript(path.join(dir, 'bin', 'hanging-plugin'), `sleep 300 &\necho $! >> '${pids}'\necho $$ >> '${pids}'\nwait`);
  const p = provider({ exec: { command: plugin, apiVersion: V1, interactiveMode: 'IfAvailable' } }, { timeoutMs: 800 });
  await assert.rejects(within(p.get(), 8000, 'get'), code('TIMEOUT', /did not answer within 0\.8 s.*the plugin, not the server, did not answer.*log in in a terminal/));
  assert.equal(await allGone(await pidsIn(pids, 2), 5000), true);
});

test('a plugin that timed out is not started again at once: later get() calls fail fast until the cooldown or a Retry', async () => {
  const starts = path.join(dir, 'hang-again.starts');
  const plugin = await shScript(path.join(dir, 'bin', 'hanging-again-plugin'), `echo start >> '${starts}'\nsleep 300 &\nwait`);
  const p = provider({ exec: { command: plugin, apiVersion: V1, interactiveMode: 'IfAvailable' } }, { timeoutMs: 800 });
  const started = async (): Promise<number> => (existsSync(starts) ? (await readFile(starts, 'utf8')).split('\n').filter(Boolean).length : 0);
  await assert.rejects(within(p.get(), 8000, 'get'), code('TIMEOUT'));
  assert.equal(await started(), 1);
  // What the watches' retries and the session's re-probe do right after a timeout: no new run, the same blame.
  for (let i = 0; i < 3; i++) {
    const t0 = Date.now();
    await assert.rejects(within(p.get(), 8000, 'get'), code('TIMEOUT', /did not answer within 0\.8 s.*not started again for \d+ s \(or at once on Retry\)/));
    assert.ok(Date.now() - t0 < 500, 'failed at once, without running the plugin');
  }
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(await started(), 1, 'the hanging plugin was not started again');
  p.retryNow();
  await assert.rejects(within(p.get(), 8000, 'get'), code('TIMEOUT', /did not answer within 0\.8 s/));
  assert.equal(await started(), 2, 'Retry runs it again');
  p.dispose();
});

test('the plugin gets kubectl-like input: non-interactive, cluster info when asked, its env, no terminal on stdin', async () => {
  const seen = path.join(dir, 'seen.json');
  await writeFile(path.join(dir, 'ca.crt'), 'CA BYTES');
  const plugin = await nodeScript(
    path.join(dir, 'bin', 'echo-plugin'),
    `const fs = require('node:fs');
fs.writeFileSync('${seen}', JSON.stringify({ info: JSON.parse(process.env.KUBERNETES_EXEC_INFO), mode: process.env.MODE, args: process.argv.slice(2), stdinTTY: process.stdin.isTTY === true }));
process.stdout.write(JSON.stringify({ kind: 'ExecCredential', apiVersion: 'client.authentication.k8s.io/v1beta1', status: { clientCertificateData: 'CERT', clientKeyData: 'KEY' } }));`,
  );
  const cluster: ResolvedEntry = { name: 'c', fields: { server: 'https://127.0.0.1:6443', 'certificate-authority': 'ca.crt' }, filePath: path.join(dir, 'kubeconfig'), baseDir: dir };
  const execUser = user({ exec: { command: path.relative(dir, plugin), args: ['get-token', '--cluster', 'c'], apiVersion: 'client.authentication.k8s.io/v1beta1', provideClusterInfo: true, env: [{ name: 'MODE', value: 'x' }] } });
  const p = credentialProviderForContext({ contextName: 'ctx', filePath: execUser.filePath, cluster, user: execUser }, { trusted: true, runner, timeoutMs: 10_000 });
  assert.ok(p);
  assert.deepEqual(await p.get(), { token: undefined, clientCertificatePem: 'CERT', clientKeyPem: 'KEY', expiresAt: undefined });
  assert.deepEqual(JSON.parse(await readFile(seen, 'utf8')), {
    info: {
      kind: 'ExecCredential',
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      spec: { interactive: false, cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': Buffer.from('CA BYTES').toString('base64') } },
    },
    mode: 'x',
    args: ['get-token', '--cluster', 'c'],
    stdinTTY: false,
  });
});

test('gcp-style cmd-path: arguments split without a shell, token and expiry read at token-key/expiry-key', async () => {
  const marker = path.join(dir, 'cmd-args-marker');
  const plugin = await nodeScript(
    path.join(dir, 'bin', 'gcloud-like'),
    `process.stdout.write(JSON.stringify({ args: process.argv.slice(2), credential: { access_token: 'ya29.from-cmd', token_expiry: '2099-01-01T00:00:00Z' } }));`,
  );
  const p = provider({
    'auth-provider': {
      name: 'gcp',
      config: { 'cmd-path': plugin, 'cmd-args': `config config-helper $(touch ${marker})`, 'token-key': '{.credential.access_token}', 'expiry-key': '{.credential.token_expiry}' },
    },
  });
  assert.deepEqual(await p.get(), { token: 'ya29.from-cmd', expiresAt: new Date('2099-01-01T00:00:00Z') });
  assert.equal(existsSync(marker), false);
  // A still-valid stored access-token is used first, without a run (also in a restricted workspace).
  const stored = provider(
    { 'auth-provider': { name: 'gcp', config: { 'cmd-path': plugin, 'access-token': 'stored', expiry: '2099-01-01T00:00:00Z' } } },
    { trusted: false },
  );
  assert.equal((await stored.get()).token, 'stored');
  stored.invalidate();
  await assert.rejects(stored.get(), code('EXEC_BLOCKED'), 'refused: the command would run now');
});

test('failures say what to do and carry no token, argument or env value', async () => {
  const failing = await shScript(path.join(dir, 'bin', 'failing-plugin'), `echo "error: token: abc123secret expired, please log in" >&2\nexit 3`);
  const fields = { exec: { command: failing, args: ['--role', 'ARGSECRET'], apiVersion: V1, interactiveMode: 'Never', env: [{ name: 'K', value: 'ENVSECRET' }] } };
  const err = await provider(fields).get().catch((e: unknown) => e);
  assert.ok(code('EXEC_FAILED', /exited with code 3: error: token: <redacted>\..*log in in a terminal/)(err), String(err));
  assert.equal(/abc123secret|ARGSECRET|ENVSECRET/.test((err as Error).message + logs.join('\n')), false);

  await assert.rejects(
    provider({ exec: { command: 'liqo-missing-plugin', apiVersion: V1, interactiveMode: 'Never', installHint: 'Install it with: brew install liqo-missing-plugin' } }).get(),
    code('ENOENT', /"liqo-missing-plugin" was not found in PATH\. Install it with: brew install/),
  );
  const marker = path.join(dir, 'always-marker');
  const always = await shScript(path.join(dir, 'bin', 'always'), `: > '${marker}'`);
  await assert.rejects(provider({ exec: { command: always, apiVersion: V1, interactiveMode: 'Always' } }).get(), code('EXEC_FAILED', /needs a terminal.*Log in with it in a terminal/));
  assert.equal(existsSync(marker), false, 'interactiveMode Always is refused before anything runs');
  const badOutput = await shScript(path.join(dir, 'bin', 'bad-output'), `echo 'sekrit-token-text'`);
  const bad = await provider({ exec: { command: badOutput, apiVersion: V1, interactiveMode: 'Never' } }).get().catch((e: unknown) => e);
  assert.ok(code('EXEC_FAILED', /not JSON/)(bad));
  assert.equal((bad as Error).message.includes('sekrit'), false);
});

test('oidc passes its id-token through, runs nothing, and says refresh is out of scope once it expired', async () => {
  const part = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const valid = `${part({ alg: 'RS256' })}.${part({ exp: Math.floor(Date.now() / 1000) + 3600 })}.sig`;
  const p = provider({ 'auth-provider': { name: 'oidc', config: { 'id-token': valid, 'refresh-token': 'r' } } }, { trusted: false });
  const c = await p.get();
  assert.equal(c.token, valid);
  assert.ok(c.expiresAt);
  const expired = `${part({ alg: 'RS256' })}.${part({ exp: Math.floor(Date.now() / 1000) - 60 })}.sig`;
  const err = await provider({ 'auth-provider': { name: 'oidc', config: { 'id-token': expired } } }).get().catch((e: unknown) => e);
  assert.ok(code('EXEC_FAILED', /expired.*does not refresh oidc tokens/)(err));
  assert.equal((err as Error).message.includes(expired), false);
  assert.equal(credentialProviderFor(user({ token: 'static' }), { trusted: true, runner, timeoutMs: 1000 }), undefined);
  assert.equal(credentialProviderFor(user({ 'client-certificate': 'c', 'client-key': 'k' }), { trusted: true, runner, timeoutMs: 1000 }), undefined);
});
