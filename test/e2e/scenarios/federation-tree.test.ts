// The federation tree on seed-000, as a user sees it: the packaged extension installed from the .vsix, the Liqo view
// opened from the activity bar, rows checked by their exact accessible names (label, description), so a wrong or
// missing label, count or state fails the run. One workbench for the file; the tests run in order and build on it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openSession } from '../lib/fixture.ts';
import type { Session } from '../lib/fixture.ts';
import { findRow, formatRows } from '../pages/workbench-page.ts';

// seed-000 (test/testbed/scenarios): consumer kind-mlops-platform peered with provider cluster-b; cluster IDs equal
// the context names; Liqo v1.0.1 on both.
const CONSUMER = 'kind-mlops-platform, kind-mlops-platform · Liqo v1.0.1 · healthy';
const PROVIDER = 'cluster-b, cluster-b · Liqo v1.0.1 · healthy';
const PEERING = 'cluster-b, Provider · healthy · ⇄ cluster-b';
const VIRTUAL_NODE = 'cluster-b, Ready · 16 CPU · 64Gi · 110 pods · 4 GPU · → cluster-b';
const KUBEFLOW = 'kubeflow, Ready · LocalAndRemote → kubeflow-kind-mlops-platform';

const names = (rows: { name: string }[]) => rows.map((r) => r.name);

describe('Federation tree on seed-000', () => {
  let s: Session;

  before(async () => {
    s = await openSession('federation-tree');
  });
  after(async () => {
    await s?.close();
  });

  test('the Liqo view lists the consumer and the provider with their cluster IDs', () =>
    s.step('clusters', async () => {
      await s.ui.openViewContainer('Liqo');
      await s.ui.setSideBarWidth(620);
      // Liqo's details arrive with the first lists, a moment after the connection: wait for the final rows.
      const wanted = [CONSUMER, PROVIDER].join('\n');
      const rows = await s.ui.waitForRows((r) => names(r.filter((x) => x.level === 1)).join('\n') === wanted, 60_000, 'both clusters with their cluster IDs');
      assert.deepEqual(names(rows.filter((r) => r.level === 1)), [CONSUMER, PROVIDER], `root rows:\n${formatRows(rows)}`);
      const tip = await s.ui.tooltip(CONSUMER);
      assert.match(tip, /cluster ID kind-mlops-platform/, tip);
      await s.ui.screenshot('01-clusters');
    }));

  test('Peerings → cluster-b is established and linked to the provider\'s context', () =>
    s.step('peerings', async () => {
      await s.ui.expectChildren(CONSUMER, ['Peerings, 1', 'Virtual Nodes, 1', 'Offloaded Namespaces, 1', 'Services, 0', 'Namespaces, 8']);
      await s.ui.expectChildren([CONSUMER, 'Peerings, 1'], [PEERING]);
      const peering = [CONSUMER, 'Peerings, 1', PEERING];
      await s.ui.expectChildren(peering, [
        'Networking, Ready, Established',
        'Authentication, Ready',
        'Offloading, Ready',
        'Remote API server, Established · APIServerReady',
      ]);
      await s.ui.expectChildren([...peering, 'Networking, Ready, Established'], [
        'Network configuration, Ready · NetworkConfigurationPresence',
        'Gateway presence, Ready · GatewayPresence',
        'Gateway client, Ready · GatewaysReady',
        'Network connection, Established · ConnectionEstablished',
      ]);
      await s.ui.screenshot('02-peering');

      const menu = await s.ui.contextMenuItems(peering);
      assert.ok(menu.includes('Go to Peer Cluster'), `context menu: ${menu.join(' | ')}`);
      await s.ui.contextMenu(peering, 'Go to Peer Cluster');
      const rows = await s.ui.waitForRows((r) => r.find((x) => x.name === PROVIDER)?.selected === true, 15_000, 'the provider cluster selected');
      const provider = rows[findRow(rows, PROVIDER)]!;
      assert.equal(provider.expanded, true, 'Go to Peer Cluster expands the provider');
      await s.ui.screenshot('03-peer-revealed');
    }));

  test('Virtual nodes → cluster-b with its GPU', () =>
    s.step('virtual-nodes', async () => {
      await s.ui.expectChildren([CONSUMER, 'Virtual Nodes, 1'], [VIRTUAL_NODE]);
      const tip = await s.ui.tooltip([CONSUMER, 'Virtual Nodes, 1', VIRTUAL_NODE], { screenshot: '04-virtual-node-hover' });
      assert.match(tip, /^Capacity: .*· 4 GPU$/m, tip);
      await s.ui.expectChildren([CONSUMER, 'Virtual Nodes, 1', VIRTUAL_NODE], [
        'inference-server, Running · → cluster-b',
        'llm-finetune-7b, Failed · OOMKilled (exit 137) · → cluster-b',
        'training-worker-0, Running · → cluster-b',
        'training-worker-1, Running · → cluster-b',
      ]);
      await s.ui.screenshot('04-virtual-node');

      await s.ui.inlineAction([CONSUMER, 'Virtual Nodes, 1', VIRTUAL_NODE], 'Reveal in YAML');
      let editor = await s.ui.activeEditor();
      for (let i = 0; i < 20 && !/kind: VirtualNode/.test(editor.text); i++) {
        await s.ui.page.waitForTimeout(250);
        editor = await s.ui.activeEditor();
      }
      assert.match(editor.title, /cluster-b\.yaml/, editor.title);
      assert.match(editor.text, /kind: VirtualNode/, editor.text);
      assert.match(editor.text, /clusterID: cluster-b/, editor.text);
      assert.doesNotMatch(editor.text, /managedFields/, 'managedFields are not shown');
      await s.ui.screenshot('04-virtual-node-yaml');
      await s.ui.page.keyboard.press('Control+W');
    }));

  test('Offloaded namespaces → kubeflow Ready with its pods', () =>
    s.step('offloaded-namespaces', async () => {
      await s.ui.collapse([CONSUMER, 'Peerings, 1']);
      await s.ui.collapse([CONSUMER, 'Virtual Nodes, 1']);
      await s.ui.collapse(PROVIDER);
      await s.ui.expectChildren([CONSUMER, 'Offloaded Namespaces, 1'], [KUBEFLOW]);
      await s.ui.expectChildren([CONSUMER, 'Offloaded Namespaces, 1', KUBEFLOW], [
        'cluster-b, Ready · NamespaceCreated: Namespace correctly offloaded to the remote cluster',
        'inference-server, Running · → cluster-b',
        'llm-finetune-7b, Failed · OOMKilled (exit 137) · → cluster-b',
        'pipelines-ui, Running · local · kind-mlops-platform-worker',
        'training-worker-0, Running · → cluster-b',
        'training-worker-1, Running · → cluster-b',
      ]);
      await s.ui.screenshot('05-offloaded-namespace');
    }));
});
