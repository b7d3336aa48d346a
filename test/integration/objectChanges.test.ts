// Reveal in YAML follows its object, not the rows: a change no row shows (an annotation on a pod) reaches the
// model's object-change event, and the object's YAML then carries it, redacted where it holds a credential.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureTestbed, type Testbed } from '../testbed/index.ts';
import { objectYaml } from '../../src/core/liqo/objectYaml.ts';
import type { WatchedKind } from '../../src/core/liqo/snapshot.ts';
import { makeHarness, kubectl, trackUnhandledRejections, type Harness } from './support/treeHarness.ts';

const CONSUMER = 'kind-mlops-platform';
const POD = 'kubeflow/pipelines-ui';
let tb: Testbed;
let h: Harness;
const rejections = trackUnhandledRejections();

before(async () => {
  tb = await ensureTestbed('seed-000');
  h = makeHarness([tb.kubeconfig]);
  await h.open();
  await h.until(() => Boolean(h.row(CONSUMER)?.description?.startsWith(CONSUMER) && h.quiet()), 'the consumer watched');
});

after(async () => {
  h?.dispose();
  rejections.stop();
  if (tb) await kubectl(tb.kubectl, tb.kubeconfig, CONSUMER, 'annotate', 'pod', '-n', 'kubeflow', 'pipelines-ui', 'example.com/rollout-', 'example.com/webhook-').catch(() => undefined);
});

test('an annotation no row shows reaches the object event and the YAML, with its credential redacted', async () => {
  const entry = h.model.clusters.find((c) => c.contextName === CONSUMER)!;
  const rowsBefore = JSON.stringify(h.children(CONSUMER, 'Offloaded Namespaces', 'kubeflow'));
  const events: ReadonlySet<WatchedKind>[] = [];
  const sub = h.model.onDidChangeObjects((id, kinds) => {
    if (id === entry.id && kinds) events.push(kinds);
  });
  try {
    const stamp = `r${Date.now()}`;
    if (tb) await kubectl(tb.kubectl, tb.kubeconfig, CONSUMER, 'annotate', '--overwrite', 'pod', '-n', 'kubeflow', 'pipelines-ui', `example.com/rollout=${stamp}`, 'example.com/webhook=https://bot:hunter2-pw@hooks.example.com/notify');
    // The cache is written at once, the object event after the model's debounce: wait for both.
    await h.until(() => h.model.object(entry.id, 'pods', POD)?.metadata.annotations?.['example.com/rollout'] === stamp && events.some((k) => k.has('pods')), 'the annotation in the cache and its object event');
    assert.ok(events.some((k) => k.has('pods')), 'an object event named the pods kind');
    assert.equal(JSON.stringify(h.children(CONSUMER, 'Offloaded Namespaces', 'kubeflow')), rowsBefore, 'no row changed: only the object event tells');
    const yaml = objectYaml(h.model.object(entry.id, 'pods', POD)!);
    assert.match(yaml, new RegExp(`example\\.com/rollout: ${stamp}`));
    assert.match(yaml, /example\.com\/webhook: https:\/\/bot:<redacted>@hooks\.example\.com\/notify/);
    assert.doesNotMatch(yaml, /hunter2/);
  } finally {
    sub.dispose();
  }
});

test('no unhandled promise rejection happened', () => {
  assert.deepEqual(rejections.seen, []);
});
