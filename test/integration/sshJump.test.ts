// Import over SSH through a jump host against a real sshd on loopback (issue 18). One sshd plays both parts: the
// jump host by its address (127.0.0.2) and the target by the name `localhost` (ssh refuses a jump to the very same
// destination); a second daemon would add nothing the test checks. The client options (identity, known_hosts,
// IdentityAgent=none) are given only as options, with no ssh_config: with `-J` OpenSSH started the jump's ssh
// without them (and without BatchMode or StrictHostKeyChecking), so it could not log in, or could ask about an
// unknown bastion key. Through the ProxyCommand the jump gets the same options: the fetch works, and an unknown
// jump host key is refused (not asked, not added) with its own message.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { ProcessRunner } from '../../src/infra/process/runner.ts';
import { fetchRemoteKubeconfig } from '../../src/infra/ssh/fetchKubeconfig.ts';
import { SshError } from '../../src/infra/ssh/sshError.ts';
import { privateDir, within } from './support/programFixtures.ts';
import { startSshServer, processesWith, type SshServer } from './support/sshServer.ts';

let sshd: SshServer;
let dir: string;
let remove: () => Promise<void>;
let remoteFile: string;
const runner = new ProcessRunner({ trusted: true, logger: { info: () => {}, warn: () => {}, error: () => {} } });
const HOST = '127.0.0.1';

before(async () => {
  ({ dir, remove } = await privateDir('liqo-sshjump-'));
  sshd = await startSshServer(HOST);
  remoteFile = path.join(dir, 'remote', 'config');
  await mkdir(path.dirname(remoteFile));
  await writeFile(remoteFile, 'apiVersion: v1\nkind: Config\ncontexts: []\n', { mode: 0o600 });
});

after(async () => {
  runner.dispose();
  await sshd?.stop();
  await remove?.();
});

const jumpTarget = () => ({ host: 'localhost', user: 'root', port: sshd.port, jump: `root@${HOST}:${sshd.port}` });

test('through a jump host with options only (no ssh_config): the jump ssh gets the identity and known_hosts', async () => {
  const fetched = await within(fetchRemoteKubeconfig(runner, jumpTarget(), { paths: [remoteFile], sudo: false, client: sshd.client, timeoutMs: 20_000 }), 30_000, 'the fetch');
  assert.equal(fetched.path, remoteFile);
  assert.equal(fetched.text, await readFile(remoteFile, 'utf8'));
  assert.deepEqual(await processesWith(sshd.client.identityFile!), [], 'no ssh left, the jump included');
});

test('an unknown jump host key is refused without a prompt and not added to known_hosts', async () => {
  // known_hosts that knows the target (by name) but not the jump host (by address).
  const known = (await readFile(path.join(sshd.dir, 'known_hosts'), 'utf8')).split('\n').filter((l) => l.startsWith('[localhost]')).join('\n') + '\n';
  const knownHostsFile = path.join(dir, 'known_hosts.target-only');
  await writeFile(knownHostsFile, known, { mode: 0o600 });
  await assert.rejects(
    within(fetchRemoteKubeconfig(runner, jumpTarget(), { paths: [remoteFile], sudo: false, client: { ...sshd.client, knownHostsFile }, timeoutMs: 20_000 }), 30_000, 'the fetch'),
    (e: unknown) => {
      assert.ok(e instanceof SshError, String(e));
      assert.equal(e.kind, 'unknown-host-key', e.message);
      return true;
    },
  );
  assert.equal(await readFile(knownHostsFile, 'utf8'), known, 'the jump host key was added');
  assert.deepEqual(await processesWith(sshd.client.identityFile!), []);
});
