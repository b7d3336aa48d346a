// Health at a glance (core/alerts/summary.ts): the status bar's words and tooltip from what is observed, and the
// "Why?" document's text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { federationGlance, whyMarkdown } from '../../src/core/alerts/summary.ts';
import type { Observation } from '../../src/core/alerts/watched.ts';

const o = (kind: Observation['kind'], what: string, failing: boolean, contextName = 'ctx-a', why?: string): Observation => ({ key: `${contextName}/${kind}/${what}`, entryId: `/k#${contextName}`, contextName, kind, failing, what, rowPath: ['r'], ...(why ? { why } : {}) });

test('the status bar counts peerings and what is failing, unreachable clusters first', () => {
  const g = federationGlance([
    o('cluster', 'Cluster ctx-a', false),
    o('peering', 'Peering with b', true, 'ctx-a', 'Network connection: the WireGuard tunnel between the gateways is down'),
    o('peering', 'Peering with c', false),
    o('peering', 'Peering with a', false, 'ctx-b'),
    o('cluster', 'Cluster ctx-c', true, 'ctx-c', 'unreachable: Connection refused'),
  ]);
  assert.equal(g.text, 'Liqo: 3 peerings, 2 failing');
  assert.deepEqual(g.failing.map((f) => f.what), ['Peering with b', 'Cluster ctx-c']);
  assert.equal(g.tooltip, 'What is failing (click to show the first):\n• Peering with b on ctx-a: Network connection: the WireGuard tunnel between the gateways is down\n• Cluster ctx-c: unreachable: Connection refused');
  assert.equal(federationGlance([o('peering', 'Peering with b', false)]).text, 'Liqo: 1 peering');
  assert.equal(federationGlance([]).tooltip, 'No peering in the clusters shown.');
});

test('clusters with peerings whose virtual nodes are not watched (collapsed rows) are named in the tooltip', () => {
  const healthy = federationGlance([o('peering', 'Peering with b', false)], ['ctx-z', 'ctx-a']);
  assert.equal(healthy.text, 'Liqo: 1 peering', 'the count is unchanged');
  assert.equal(
    healthy.tooltip,
    'Every peering, virtual node, ResourceSlice and offloaded namespace watched is healthy, and every cluster answers.\nNot watched while collapsed: the virtual nodes, ResourceSlices and offloaded namespaces of ctx-a, ctx-z (expand their rows to include them).',
  );
  const failing = federationGlance([o('cluster', 'Cluster ctx-c', true, 'ctx-c', 'unreachable: Connection refused')], ['ctx-a']);
  assert.equal(failing.tooltip, 'What is failing (click to show the first):\n• Cluster ctx-c: unreachable: Connection refused\nNot watched while collapsed: the virtual nodes, ResourceSlices and offloaded namespaces of ctx-a (expand its row to include them).');
});

test('Why? explains the object, what to check, then the row\'s own explanation', () => {
  const text = whyMarkdown({ ...o('virtualNode', 'Virtual node liqo-b', true, 'ctx-a', 'the virtual node is NotReady'), check: 'the virtual-kubelet pod' }, '**Virtual node liqo-b** → remote cluster b', (t) => t.replace(/\*/g, '\\*'));
  assert.equal(text, '# Virtual node liqo-b on ctx-a\n\n**What is wrong:** the virtual node is NotReady.\n\n**Check next:** the virtual-kubelet pod\n\n---\n\n**Virtual node liqo-b** → remote cluster b');
  assert.match(whyMarkdown(o('peering', 'Peering with b', false), undefined, (t) => t), /It is healthy now/);
});
