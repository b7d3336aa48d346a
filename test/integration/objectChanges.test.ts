// Reveal in YAML follows its object, not the rows nor the tree's caches: the document's object is read and watched
// whole through the cluster's client, so a change the tree keeps nothing of (an annotation on a pod) reaches it,
// redacted where it holds a credential, and a deleted object says so.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureTestbed, type Testbed } from '../testbed/index.ts';
import { followedObjectText } from '../../src/core/liqo/objectYaml.ts';
import type { ObjectFollow } from '../../src/infra/cluster/objectFollow.ts';
import { makeHarness, kubectl, trackUnhandledRejections, type Harness } from './support/treeHarness.ts';

const CONSUMER = 'kind-mlops-platform';
const POD = 'kubeflow/pipelines-ui';
const SCRATCH = `yaml-follow-${Date.now()}`;
let tb: Testbed;
let h: Harness;
const follows: ObjectFollow[] = [];
const rejections = trackUnhandledRejections();

before(async () => {
  tb = await ensureTestbed('seed-000');
  h = makeHarness([tb.kubeconfig]);
  await h.open();
  await h.until(() => Boolean(h.row(CONSUMER)?.description?.startsWith(CONSUMER) && h.quiet()), 'the consumer watched');
});

after(async () => {
  for (const f of follows) f.stop();
  h?.dispose();
  rejections.stop();
  if (tb) {
    await kubectl(tb.kubectl, tb.kubeconfig, CONSUMER, 'annotate', 'pod', '-n', 'kubeflow', 'pipelines-ui', 'example.com/rollout-', 'example.com/webhook-').catch(() => undefined);
    await kubectl(tb.kubectl, tb.kubeconfig, CONSUMER, 'delete', 'pod', '-n', 'default', SCRATCH, '--ignore-not-found', '--grace-period=0', '--force').catch(() => undefined);
  }
});

/** Follows one object of the consumer as an open document does, counting the changes it is told. */
function follow(kind: string, key: string): { f: ObjectFollow; told: () => number } {
  const entry = h.model.clusters.find((c) => c.contextName === CONSUMER)!;
  let told = 0;
  const f = h.model.followObject(entry.id, kind, key, () => told++);
  assert.ok(f, `${CONSUMER} has a client to follow ${key} through`);
  follows.push(f);
  return { f, told: () => told };
}

const text = (f: ObjectFollow, key: string): string => followedObjectText(f.current, key, CONSUMER);

test('the document shows the whole object, not the fields the tree caches', async () => {
  const entry = h.model.clusters.find((c) => c.contextName === CONSUMER)!;
  const { f } = follow('pods', POD);
  await f.answer();
  assert.equal(f.current.kind, 'present');
  const yaml = text(f, POD);
  assert.match(yaml, /^kind: Pod$/m);
  assert.match(yaml, /containers:\n\s+- /, 'the spec the tree does not keep');
  const cached = h.model.object(entry.id, 'pods', POD);
  assert.ok(cached, 'the tree caches the pod');
  assert.equal((cached as { spec?: { containers?: unknown } }).spec?.containers, undefined, 'the cache keeps only what rows read');
});

test('an annotation no row shows and the cache does not keep reaches the document, with its credential redacted', async () => {
  const entry = h.model.clusters.find((c) => c.contextName === CONSUMER)!;
  const { f, told } = follow('pods', POD);
  await f.answer();
  const rowsBefore = JSON.stringify(h.children(CONSUMER, 'Offloaded Namespaces', 'kubeflow'));
  const toldBefore = told();
  const stamp = `r${Date.now()}`;
  await kubectl(tb.kubectl, tb.kubeconfig, CONSUMER, 'annotate', '--overwrite', 'pod', '-n', 'kubeflow', 'pipelines-ui', `example.com/rollout=${stamp}`, 'example.com/webhook=https://bot:hunter2-pw@hooks.example.com/notify');
  await h.until(() => text(f, POD).includes(`example.com/rollout: ${stamp}`), 'the annotation in the followed object');
  assert.ok(told() > toldBefore, 'the follow told its document');
  const yaml = text(f, POD);
  assert.match(yaml, /example\.com\/webhook: https:\/\/bot:<redacted>@hooks\.example\.com\/notify/);
  assert.doesNotMatch(yaml, /hunter2/);
  assert.equal(h.model.object(entry.id, 'pods', POD)?.metadata.annotations, undefined, 'the tree cache has no annotations to show');
  assert.equal(JSON.stringify(h.children(CONSUMER, 'Offloaded Namespaces', 'kubeflow')), rowsBefore, 'no row changed');
});

test('a deleted object says so', async () => {
  // In a namespace the tree shows no pods of: a document follows any object, not only the cached ones.
  await kubectl(tb.kubectl, tb.kubeconfig, CONSUMER, 'run', SCRATCH, '-n', 'default', '--image=registry.example/scratch:1', '--restart=Never');
  const key = `default/${SCRATCH}`;
  const { f } = follow('pods', key);
  await f.answer();
  assert.equal(f.current.kind, 'present');
  await kubectl(tb.kubectl, tb.kubeconfig, CONSUMER, 'delete', 'pod', '-n', 'default', SCRATCH, '--grace-period=0', '--force');
  await h.until(() => f.current.kind === 'gone', 'the deletion in the followed object');
  assert.match(text(f, key), new RegExp(`^# ${key} is no longer in ${CONSUMER} \\(deleted\\)\\.$`, 'm'));
});

test('a stopped follow (its document closed) is told nothing more', async () => {
  const stopped = follow('pods', POD);
  const live = follow('pods', POD);
  await Promise.all([stopped.f.answer(), live.f.answer()]);
  stopped.f.stop();
  const toldBefore = stopped.told();
  const stamp = `s${Date.now()}`;
  await kubectl(tb.kubectl, tb.kubeconfig, CONSUMER, 'annotate', '--overwrite', 'pod', '-n', 'kubeflow', 'pipelines-ui', `example.com/rollout=${stamp}`);
  await h.until(() => text(live.f, POD).includes(`example.com/rollout: ${stamp}`), 'the annotation at the live follow');
  assert.equal(stopped.told(), toldBefore);
  assert.doesNotMatch(text(stopped.f, POD), new RegExp(stamp));
});

test('no unhandled promise rejection happened', () => {
  assert.deepEqual(rejections.seen, []);
});
