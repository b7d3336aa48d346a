// Federation operations in the workbench on the live test bed (Liqo's own controllers; `npm run e2e -- --live`):
// Peer Clusters… cancelled from its notification once the provider made its Tenant (rolled back: nothing of it left
// on either side, no peering row), then Peer Clusters… again from the palette until the peering shows in the tree, then right-click a namespace → Offload
// Namespace… → Ready in the tree → Unoffload, and Unpeer… from the peering row. Every step goes through the quick
// picks and modal confirmations a user sees; the tree is read by its rows' accessible names.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { liveBedAsFound, openSession, sharedSetup } from '../lib/fixture.ts';
import type { Session } from '../lib/fixture.ts';
import { startPeerClusters } from '../pages/peer-flow.ts';
import { formatRows } from '../pages/workbench-page.ts';
import { clickNotificationButton } from '../pages/federation-health.ts';

const run = promisify(execFile);
const CONSUMER = /^kind-mlops-platform, kind-mlops-platform · Liqo v1\.0\.1/;
const NS = `e2e-offload-${Date.now().toString(36)}`;

describe('Federation operations on the live test bed', () => {
  let s: Session;
  const kubectl = (...args: string[]) => run(s.testbed.kubectl, ['--kubeconfig', s.testbed.kubeconfig, '--context', 'kind-mlops-platform', ...args]);
  const namesOn = async (context: string, ...args: string[]): Promise<string[]> =>
    (await run(s.testbed.kubectl, ['--kubeconfig', s.testbed.kubeconfig, '--context', context, 'get', ...args, '-o', 'name'])).stdout.split('\n').filter((l) => l.trim());

  before(async () => {
    await liveBedAsFound('operations');
    // the test bed's liqoctl (the release its Liqo runs), as a user sets it
    const { testbed } = await sharedSetup();
    s = await openSession('operations-live', { settings: { 'liqo.liqoctlPath': testbed.liqoctl } });
  });
  after(async () => {
    if (s) await kubectl('delete', 'namespace', NS, '--wait=false', '--ignore-not-found').catch(() => undefined);
    await s?.close();
  });

  test('Peer Clusters… cancelled from its notification midway: what liqoctl had made is removed on both sides', () =>
    s.step('peer-cancelled', async () => {
      await s.ui.openViewContainer('Liqo');
      await s.ui.setSideBarWidth(620);
      await s.ui.row(CONSUMER, 90_000);
      await startPeerClusters(s.ui, 'kind-mlops-platform', 'cluster-b');
      await s.ui.dialogButton('Peer', 60_000);
      // Cancel once the provider holds a Tenant for the consumer: liqoctl still has the Identity, slice and virtual
      // node to make, so the rollback has objects on the provider to remove
      const deadline = Date.now() + 300_000;
      while ((await namesOn('cluster-b', 'tenants.authentication.liqo.io', '-A')).length === 0) {
        assert.ok(Date.now() < deadline, 'a Tenant on cluster-b within 5 minutes of Peer');
        assert.ok(!(await s.ui.notifications()).some((n) => n.includes('is peered with')), 'liqoctl peer ended before the provider showed a Tenant');
        await new Promise((r) => setTimeout(r, 250));
      }
      await clickNotificationButton(s.ui, 'Peering kind-mlops-platform → cluster-b', 'Cancel');
      await s.ui.page.locator('.notifications-toasts').getByText('Peering kind-mlops-platform → cluster-b cancelled; what it had made is removed.').waitFor({ timeout: 300_000 });
      assert.deepEqual(await namesOn('cluster-b', 'tenants.authentication.liqo.io,foreignclusters.core.liqo.io', '-A'), [], 'nothing of the peering on the provider');
      assert.deepEqual(await namesOn('kind-mlops-platform', 'identities.authentication.liqo.io,foreignclusters.core.liqo.io', '-A'), [], 'nothing of the peering on the consumer');
      for (const [context, tenantNs] of [['cluster-b', 'liqo-tenant-kind-mlops-platform'], ['kind-mlops-platform', 'liqo-tenant-cluster-b']] as const) {
        assert.ok(!(await namesOn(context, 'namespaces')).includes(`namespace/${tenantNs}`), `${context}: the tenant namespace ${tenantNs} removed`);
      }
      // both Peerings folders count none again, and the provider lists no consumer (its Tenant is gone)
      await s.ui.expand(CONSUMER);
      await s.ui.expand(/^cluster-b, cluster-b · Liqo v/);
      const rows = await s.ui.waitForRows(
        (rs) => rs.filter((r) => r.name === 'Peerings, 0').length === 2 && !rs.some((r) => /^(Peerings|Consumers), [1-9]/.test(r.name)),
        60_000,
        'Peerings, 0 on both clusters and no consumer listed',
      );
      assert.ok(!(await s.ui.notifications()).some((n) => /not all it had made could be removed/.test(n)), formatRows(rows));
      await s.ui.screenshot('00-peer-cancelled');
    }));

  test('Peer Clusters… from the palette after the cancelled one: the peering appears in the tree', () =>
    s.step('peer', async () => {
      await s.ui.row(CONSUMER, 90_000);
      await startPeerClusters(s.ui, 'kind-mlops-platform', 'cluster-b');
      const text = await s.ui.dialogButton('Peer', 60_000);
      assert.match(text, /kind-mlops-platform \(cluster ID kind-mlops-platform\) consumes from cluster-b \(cluster ID cluster-b\)/);
      // liqoctl peer runs (its output in the Liqo log); the notification says when it is done
      await s.ui.page.locator('.notifications-toasts').getByText('kind-mlops-platform is peered with cluster-b.').waitFor({ timeout: 300_000 });
      await s.ui.expand(CONSUMER);
      await s.ui.row([CONSUMER, /^Peerings\b/], 180_000);
      await s.ui.expand([CONSUMER, /^Peerings\b/]);
      await s.ui.row([CONSUMER, /^Peerings\b/, /^cluster-b, Provider · /], 180_000);
      await s.ui.row([CONSUMER, /^Virtual Nodes\b/], 120_000);
      await s.ui.expand([CONSUMER, /^Virtual Nodes\b/]);
      await s.ui.row([CONSUMER, /^Virtual Nodes\b/, /^cluster-b, Ready/], 120_000);
      await s.ui.screenshot('01-peered');
    }));

  test('right-click a namespace → Offload Namespace… → Ready in the tree', () =>
    s.step('offload', async () => {
      await kubectl('create', 'namespace', NS);
      await s.ui.expand(CONSUMER);
      await s.ui.expand([CONSUMER, /^Namespaces\b/]);
      const nsRow = [CONSUMER, /^Namespaces\b/, new RegExp(`^${NS}(,|$)`)];
      await s.ui.row(nsRow, 60_000);
      await s.ui.contextMenu(nsRow, 'Offload Namespace…');
      await s.ui.quickPick('Pods run only on virtual nodes'); // Remote (its detail: "Remote" alone also matches LocalAndRemote)
      await s.ui.quickPick('DefaultName');
      await s.ui.acceptQuickPick(/cluster selector/i); // no cluster selector: every peered cluster
      await s.ui.dialogButton('Offload');
      await s.ui.row([CONSUMER, /^Offloaded Namespaces\b/], 120_000);
      await s.ui.expand([CONSUMER, /^Offloaded Namespaces\b/]);
      await s.ui.row([CONSUMER, /^Offloaded Namespaces\b/, new RegExp(`^${NS}, Ready · Remote`)], 120_000);
      const { stdout } = await kubectl('get', 'namespaceoffloading', 'offloading', '-n', NS, '-o', 'jsonpath={.status.offloadingPhase}');
      assert.equal(stdout, 'Ready');
      await s.ui.screenshot('02-offloaded');
    }));

  test('Unoffload… from the offloaded namespace row: it leaves the tree', () =>
    s.step('unoffload', async () => {
      const row = [CONSUMER, /^Offloaded Namespaces\b/, new RegExp(`^${NS}, Ready`)];
      await s.ui.contextMenu(row, 'Unoffload Namespace…');
      await s.ui.dialogButton('Unoffload');
      // Terminating first, then gone: from Offloaded Namespaces, and no longer marked offloaded under Namespaces
      await s.ui.waitForRows((rows) => !rows.some((r) => r.name.startsWith(`${NS}, `)), 180_000, `${NS} gone from Offloaded Namespaces and no longer offloaded`);
      await s.ui.screenshot('03-unoffloaded');
    }));

  test('Unpeer… from the peering row, confirmed in a dialog naming both clusters: the virtual node leaves the tree', () =>
    s.step('unpeer', async () => {
      await s.ui.contextMenu([CONSUMER, /^Peerings\b/, /^cluster-b, Provider · /], 'Unpeer…');
      const text = await s.ui.dialogButton('Unpeer');
      assert.match(text, /Unpeer kind-mlops-platform \(consumer\) from cluster-b \(provider\)\?/);
      // liqoctl removes the virtual node first and the peering after it: wait for both
      const rows = await s.ui.waitForRows((rs) => !rs.some((r) => /^cluster-b, Ready/.test(r.name) || /^cluster-b, Provider · /.test(r.name)), 180_000, 'the virtual node and the peering gone');
      assert.ok(!rows.some((r) => /^cluster-b, Provider · /.test(r.name)), formatRows(rows));
      await s.ui.screenshot('04-unpeered');
    }));
});
