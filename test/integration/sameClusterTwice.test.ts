// The same cluster twice, on the seed-000 test bed: a kubeconfig with a second context to the consumer's API server
// (same server, same CA, same user) — both rows say "same cluster as" the other, with the reason in the tooltip;
// the provider's row, another API server, says nothing of the kind. Also the lock of a read-only context on its row.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse, stringify } from 'yaml';
import { ensureTestbed } from '../testbed/index.ts';
import { FederationModel } from '../../src/infra/federationModel.ts';
import type { TreeNodeView } from '../../src/core/tree/view.ts';

let dir: string;
let model: FederationModel;

const rowOf = (name: string): TreeNodeView | undefined => model.roots().find((r) => r.label === name);
const plain = (s: string | undefined) => (s ?? '').replace(/\\(.)/g, '$1');

before(async () => {
  const tb = await ensureTestbed('seed-000');
  dir = mkdtempSync(path.join(os.tmpdir(), 'liqo-same-cluster-'));
  const doc = parse(readFileSync(tb.kubeconfig, 'utf8')) as { contexts: { name: string; context: Record<string, unknown> }[] };
  const original = doc.contexts.find((c) => c.name === 'kind-mlops-platform')!;
  doc.contexts.push({ name: 'mlops-again', context: { ...original.context } });
  const file = path.join(dir, 'config');
  writeFileSync(file, stringify(doc), { mode: 0o600 });
  model = new FederationModel({ sources: [{ path: file, origin: 'default' }], timeoutMs: 10_000, allowExec: false }, { info: () => undefined, warn: () => undefined, error: () => undefined });
  model.setVisible(true);
  await model.activate();
});

after(() => {
  model?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('two contexts to one API server and CA: both rows say so; the other cluster does not', async () => {
  const a = rowOf('kind-mlops-platform');
  const b = rowOf('mlops-again');
  assert.ok(a && b, 'both contexts have rows');
  assert.match(a.description ?? '', /same cluster as mlops-again/);
  assert.match(b.description ?? '', /same cluster as kind-mlops-platform/);
  assert.match(plain(a.tooltip), /Same cluster as \*\*mlops-again\*\* \(same server and certificate authority\)/);
  assert.match(a.contextValue, /\+sameCluster/);
  assert.doesNotMatch(rowOf('cluster-b')?.description ?? '', /same cluster/);
});

test('once connected, the Liqo cluster ID agrees: the mark stays (the rows are one cluster by either test)', async () => {
  const end = Date.now() + 60_000;
  while (Date.now() < end && !/Liqo/.test(rowOf('kind-mlops-platform')?.description ?? '')) await sleep(250);
  assert.match(rowOf('kind-mlops-platform')?.description ?? '', /Liqo/, 'connected and Liqo read');
  assert.match(rowOf('mlops-again')?.description ?? '', /same cluster as kind-mlops-platform/);
});

test('a read-only context shows the lock and the pattern; lifting it removes both', () => {
  model.setReadOnlyContexts(['*again']);
  const row = rowOf('mlops-again')!;
  assert.equal(row.icon?.id === 'lock' || row.icon?.id === 'loading~spin', true, `icon ${row.icon?.id}`);
  assert.match(row.description ?? '', /^read-only/);
  assert.match(plain(row.tooltip), /it matches "\*again" in liqo\.readOnlyContexts/);
  assert.match(row.contextValue, /\+readOnly/);
  assert.doesNotMatch(rowOf('kind-mlops-platform')?.contextValue ?? '', /readOnly/);
  model.setReadOnlyContexts([]);
  assert.doesNotMatch(rowOf('mlops-again')?.description ?? '', /read-only/);
});
