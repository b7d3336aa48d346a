// The tree model over real kubeconfig files and real loopback sockets (no API server needed for these cases):
// a refused port, a silent server that never answers (timeout), a malformed file, and live reload on edit.
// Integration tier: these open sockets and file watchers and wait with wall-clock bounds (the unit tier does not).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile, rename } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FederationModel } from '../../src/infra/federationModel.ts';
import type { TreeNodeView } from '../../src/core/tree/view.ts';

const kubeconfig = (ctx: string, server: string): string => `apiVersion: v1
kind: Config
current-context: ${ctx}
clusters:
- name: ${ctx}
  cluster: {server: '${server}'}
contexts:
- name: ${ctx}
  context: {cluster: ${ctx}, user: ${ctx}}
users:
- name: ${ctx}
  user: {token: not-a-real-token}
`;

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('no port');
  return addr.port;
}

async function closedPort(): Promise<number> {
  const s = createServer();
  const port = await listen(s);
  await new Promise((r) => s.close(r));
  return port;
}

async function until(model: FederationModel, pred: (rows: TreeNodeView[]) => boolean, what: string, ms = 8000): Promise<TreeNodeView[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const rows = model.roots();
    if (pred(rows)) return rows;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(rows.map((r) => [r.label, r.description]))}`);
    await new Promise<void>((resolve) => {
      const sub = model.onDidChange(() => {
        sub.dispose();
        resolve();
      });
      setTimeout(() => {
        sub.dispose();
        resolve();
      }, 100);
    });
  }
}

test('refused, silent and malformed inputs each show as explained rows, in parallel, within the timeout', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'liqo-model-'));
  const sockets: Socket[] = [];
  const silent = createServer((s) => sockets.push(s)); // accepts TCP and never says a word
  const silentPort = await listen(silent);
  const refusedPort = await closedPort();
  try {
    await writeFile(path.join(dir, 'refused.yaml'), kubeconfig('refused', `https://127.0.0.1:${refusedPort}`));
    await writeFile(path.join(dir, 'silent.yaml'), kubeconfig('silent', `https://127.0.0.1:${silentPort}`));
    await writeFile(path.join(dir, 'broken.yaml'), 'apiVersion: v1\ncontexts:\n  - name: a\n   bad-indent: true\n');
    const before = await readFile(path.join(dir, 'refused.yaml'), 'utf8');
    const model = new FederationModel(
      {
        sources: ['refused.yaml', 'silent.yaml', 'broken.yaml'].map((f) => ({ path: path.join(dir, f), origin: 'KUBECONFIG' as const })),
        timeoutMs: 1500,
        allowExec: false,
      },
      { info: () => undefined, warn: () => undefined, error: () => undefined },
    );
    const t0 = Date.now();
    await model.activate();
    const rows = await until(model, (r) => r.every((x) => !/connecting/.test(x.description ?? '')), 'all probes to settle');
    const elapsed = Date.now() - t0;
    // Both probes ran in parallel: the refused one did not wait for the silent one's timeout and vice versa.
    assert.ok(elapsed < 1500 + 1500, `settled in ${elapsed} ms`);
    assert.deepEqual(
      rows.map((r) => [r.label, r.description, r.contextValue, r.icon?.id]),
      [
        ['broken.yaml', 'line 4: Sequence item without - indicator', 'liqo:kubeconfigError', 'warning'],
        ['refused', `Connection refused by 127.0.0.1:${refusedPort}`, 'liqo:cluster+error', 'vm-outline'],
        ['silent', `No answer from 127.0.0.1:${silentPort} within 1.5 s`, 'liqo:cluster+error', 'vm-outline'],
      ],
    );
    const refusedRow = rows[1]!;
    assert.equal(refusedRow.collapsible, 'expanded');
    const [errorRow] = model.children(refusedRow.id);
    assert.equal(errorRow?.contextValue, 'liqo:clusterError+refused');
    assert.deepEqual(errorRow?.command, { command: 'liqo.cluster.retry', title: 'Retry', arguments: [`${path.join(dir, 'refused.yaml')}#refused`] });
    assert.match(errorRow?.tooltip ?? '', /tunnel/);
    assert.equal(await readFile(path.join(dir, 'refused.yaml'), 'utf8'), before, 'browsing never writes the kubeconfig');
    model.dispose();
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise((r) => silent.close(r));
    await rm(dir, { recursive: true, force: true });
  }
});

test('editing a kubeconfig on disk updates the tree without reload, including atomic replace', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'liqo-watch-'));
  const file = path.join(dir, 'config');
  try {
    await writeFile(file, kubeconfig('first', 'https://127.0.0.1:1'));
    const model = new FederationModel({ sources: [{ path: file, origin: 'default' }], timeoutMs: 1000, allowExec: false }, { info: () => undefined, warn: () => undefined, error: () => undefined });
    await model.activate();
    assert.deepEqual(model.roots().map((r) => r.label), ['first']);
    await writeFile(file, kubeconfig('second', 'https://127.0.0.1:1'));
    await until(model, (r) => r.map((x) => x.label).join() === 'second', 'in-place edit');
    // editors and kubectl write a temp file and rename it over the original
    await writeFile(path.join(dir, 'config.tmp'), kubeconfig('third', 'https://127.0.0.1:1'));
    await rename(path.join(dir, 'config.tmp'), file);
    await until(model, (r) => r.map((x) => x.label).join() === 'third', 'atomic replace');
    await writeFile(file, 'contexts: [oops\n');
    const rows = await until(model, (r) => r[0]?.contextValue === 'liqo:kubeconfigError', 'malformed edit');
    assert.equal(rows.length, 1);
    model.dispose();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a kubeconfig that appears later (no ~/.kube yet) is picked up', async () => {
  const home = await mkdtemp(path.join(tmpdir(), 'liqo-home-'));
  const file = path.join(home, '.kube', 'config');
  try {
    const model = new FederationModel({ sources: [{ path: file, origin: 'default' }], timeoutMs: 1000, allowExec: false }, { info: () => undefined, warn: () => undefined, error: () => undefined });
    await model.activate();
    assert.equal(model.isEmpty, true);
    const { mkdir } = await import('node:fs/promises');
    await mkdir(path.dirname(file));
    await new Promise((r) => setTimeout(r, 400));
    await writeFile(file, kubeconfig('late', 'https://127.0.0.1:1'));
    await until(model, (r) => r[0]?.label === 'late', 'the new file');
    assert.equal(model.isEmpty, false);
    model.dispose();
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});

test('a credential plugin is not run when exec is not allowed (restricted workspace)', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'liqo-exec-'));
  const file = path.join(dir, 'config');
  const marker = path.join(dir, 'ran');
  try {
    await writeFile(
      file,
      `clusters:\n- name: c\n  cluster: {server: 'https://127.0.0.1:1'}\ncontexts:\n- name: eks\n  context: {cluster: c, user: u}\nusers:\n- name: u\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      interactiveMode: Never\n      command: touch\n      args: ['${marker}']\n`,
    );
    const model = new FederationModel({ sources: [{ path: file, origin: 'default' }], timeoutMs: 1000, allowExec: false }, { info: () => undefined, warn: () => undefined, error: () => undefined });
    await model.activate();
    const rows = await until(model, (r) => r[0]?.contextValue === 'liqo:cluster+error', 'blocked exec');
    assert.match(rows[0]?.description ?? '', /credential plugin "touch" is not run in a restricted workspace/);
    await assert.rejects(readFile(marker), 'the plugin never ran');
    model.dispose();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a missing credential plugin is explained', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'liqo-exec-'));
  const file = path.join(dir, 'config');
  try {
    await writeFile(
      file,
      `clusters:\n- name: c\n  cluster: {server: 'https://127.0.0.1:1'}\ncontexts:\n- name: eks\n  context: {cluster: c, user: u}\nusers:\n- name: u\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      interactiveMode: Never\n      command: liqo-test-no-such-plugin\n`,
    );
    const model = new FederationModel({ sources: [{ path: file, origin: 'default' }], timeoutMs: 3000, allowExec: true }, { info: () => undefined, warn: () => undefined, error: () => undefined });
    await model.activate();
    const rows = await until(model, (r) => r[0]?.contextValue === 'liqo:cluster+error', 'missing plugin');
    assert.equal(rows[0]?.description, 'Credential plugin "liqo-test-no-such-plugin" not found');
    model.dispose();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('an auth provider that runs a program (gcp cmd-path) is not run in a restricted workspace either', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'liqo-authp-'));
  const file = path.join(dir, 'config');
  const marker = path.join(dir, 'ran');
  try {
    await writeFile(
      file,
      `clusters:\n- name: c\n  cluster: {server: 'https://127.0.0.1:1'}\ncontexts:\n- name: gke\n  context: {cluster: c, user: u}\nusers:\n- name: u\n  user:\n    auth-provider:\n      name: gcp\n      config:\n        cmd-path: touch\n        cmd-args: '${marker}'\n`,
    );
    const model = new FederationModel({ sources: [{ path: file, origin: 'default' }], timeoutMs: 1000, allowExec: false }, { info: () => undefined, warn: () => undefined, error: () => undefined });
    await model.activate();
    const rows = await until(model, (r) => r[0]?.contextValue === 'liqo:cluster+error', 'blocked auth provider');
    assert.match(rows[0]?.description ?? '', /credential plugin "touch" is not run in a restricted workspace/);
    await assert.rejects(readFile(marker), 'the program never ran');
    model.dispose();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
