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
// The model loads the sessions' module lazily (after its first rows); timed tests load it up front.
import '../../src/infra/cluster/clusterSession.ts';
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
    assert.equal(refusedRow.collapsible, 'collapsed', 'a failed cluster stays collapsed: the error is in its description');
    assert.match(refusedRow.tooltip ?? '', /\*\*Connection refused by 127\\\.0\\\.0\\\.1:\d+\*\*/, 'the error, escaped, in the tooltip');
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

test('a missing credential plugin is explained once the cluster is opened (default policy onExpand)', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'liqo-exec-'));
  const file = path.join(dir, 'config');
  try {
    await writeFile(
      file,
      `clusters:\n- name: c\n  cluster: {server: 'https://127.0.0.1:1'}\ncontexts:\n- name: eks\n  context: {cluster: c, user: u}\nusers:\n- name: u\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      interactiveMode: Never\n      command: liqo-test-no-such-plugin\n`,
    );
    const model = new FederationModel({ sources: [{ path: file, origin: 'default' }], timeoutMs: 3000, allowExec: true }, { info: () => undefined, warn: () => undefined, error: () => undefined });
    await model.activate();
    const [waiting] = model.roots();
    assert.equal(waiting?.description, '127.0.0.1:1 · expand to connect (runs liqo-test-no-such-plugin)');
    assert.equal(waiting?.contextValue, 'liqo:cluster+deferred');
    assert.equal(waiting?.collapsible, 'collapsed');
    assert.deepEqual(model.children(waiting.id).map((r) => r.label), ['Connecting…'], 'expanding it connects');
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

test('credential plugins do not run at start-up (onExpand): only the opened cluster runs its plugin, once', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'liqo-policy-'));
  const file = path.join(dir, 'config');
  const marker = (i: number): string => path.join(dir, `ran-${i}`);
  const n = 20;
  try {
    // Each context's plugin would leave a marker file; none may appear until its cluster is opened.
    const contexts = Array.from({ length: n }, (_, i) => `- name: eks-${i}\n  context: {cluster: c, user: u${i}}`).join('\n');
    const users = Array.from({ length: n }, (_, i) => `- name: u${i}\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: touch\n      args: ['${marker(i)}']\n      interactiveMode: Never`).join('\n');
    await writeFile(file, `clusters:\n- name: c\n  cluster: {server: 'https://127.0.0.1:1'}\ncontexts:\n${contexts}\nusers:\n${users}\n`);
    const model = new FederationModel({ sources: [{ path: file, origin: 'default' }], timeoutMs: 2000, allowExec: true }, { info: () => undefined, warn: () => undefined, error: () => undefined });
    await model.activate();
    await new Promise((r) => setTimeout(r, 300));
    // (the 20 contexts share one server and CA: their rows also carry +sameCluster)
    const deferred = (r: { contextValue?: string } | undefined) => /^liqo:cluster\+deferred(\+|$)/.test(r?.contextValue ?? '');
    assert.ok(model.roots().every(deferred), 'every context waits');
    assert.equal(model.settled, true, 'deferred contexts do not keep the model unsettled');
    for (let i = 0; i < n; i++) await assert.rejects(readFile(marker(i)), `plugin ${i} did not run`);
    const third = model.roots()[3]!;
    model.children(third.id);
    await until(model, (r) => !deferred(r[3]) && !/connecting/.test(r[3]?.description ?? ''), 'the opened cluster to connect');
    await readFile(marker(3));
    for (let i = 0; i < n; i++) if (i !== 3) await assert.rejects(readFile(marker(i)), `plugin ${i} still did not run`);
    model.dispose();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('dispose() during a reload is final: nothing comes back', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'liqo-dispose-'));
  const file = path.join(dir, 'config');
  try {
    await writeFile(file, kubeconfig('one', 'https://127.0.0.1:1'));
    const model = new FederationModel({ sources: [{ path: file, origin: 'default' }], timeoutMs: 1000, allowExec: false }, { info: () => undefined, warn: () => undefined, error: () => undefined });
    let events = 0;
    model.onDidChange(() => events++);
    const loading = model.activate();
    model.dispose();
    await loading;
    await model.reload();
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(model.roots(), [], 'no context was loaded after dispose');
    assert.equal(model.session(`${file}#one`), undefined, 'no session exists');
    assert.equal(events, 0, 'no change was reported after dispose');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a hidden context stays hidden in the next model over the same store; filters change the root rows', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'liqo-hide-'));
  const file = path.join(dir, 'config');
  const { ViewMemory, inProcessStore } = await import('../../src/infra/viewMemory.ts');
  const store = inProcessStore();
  const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
  try {
    await writeFile(file, `clusters:\n- name: c\n  cluster: {server: 'https://127.0.0.1:1'}\ncontexts:\n- name: a\n  context: {cluster: c, user: u}\n- name: b\n  context: {cluster: c, user: u}\nusers:\n- name: u\n  user: {token: t}\n`);
    const first = new FederationModel({ sources: [{ path: file, origin: 'default' }], timeoutMs: 1000, allowExec: false }, quiet, new ViewMemory(store));
    await first.activate();
    assert.deepEqual(first.roots().map((r) => r.label), ['a', 'b']);
    const rootChanges: unknown[] = [];
    first.onDidChange((ids) => ids === undefined && rootChanges.push(ids));
    first.setHidden([`${file}#a`], true);
    assert.deepEqual(first.roots().map((r) => r.label), ['b']);
    first.setFilter({ text: 'nomatch', liqoOnly: false, hideUnreachable: false });
    assert.deepEqual(first.roots(), []);
    assert.deepEqual(first.counts(), { shown: 0, total: 2, hidden: 1 });
    await new Promise((r) => setImmediate(r));
    assert.equal(rootChanges.length, 1, 'hide and filter reach the view as one root refresh');
    first.dispose();
    // The window reloads: a new model over the same (global) state.
    const second = new FederationModel({ sources: [{ path: file, origin: 'default' }], timeoutMs: 1000, allowExec: false }, quiet, new ViewMemory(store));
    await second.activate();
    assert.deepEqual(second.roots().map((r) => r.label), ['b'], 'a is still hidden');
    assert.deepEqual(second.hiddenClusters.map((e) => e.contextName), ['a']);
    second.setHidden([`${file}#a`], false);
    assert.deepEqual(second.roots().map((r) => r.label), ['a', 'b']);
    second.dispose();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
