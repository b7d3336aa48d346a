// Which operations the rows offer, by right-clicks on seed-000 in the real workbench (issue 18): Install Liqo is not
// offered on clusters that run Liqo, and Request Resources only on the consumer's row of its provider — never on the
// provider's row of its consumer, where it always failed. Menus are read as a user sees them (the context menu's items).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openSession } from '../lib/fixture.ts';
import type { Session } from '../lib/fixture.ts';

// seed-000: consumer kind-mlops-platform peered with provider cluster-b, Liqo v1.0.1 on both, cluster IDs = context names
const CONSUMER = 'kind-mlops-platform, kind-mlops-platform · Liqo v1.0.1 · healthy';
const PROVIDER = 'cluster-b, cluster-b · Liqo v1.0.1 · healthy';
const PROVIDER_PEERING = [CONSUMER, 'Peerings, 1', 'cluster-b, Provider · healthy · ⇄ cluster-b'];
const CONSUMER_PEERING = [PROVIDER, 'Peerings, 1', 'kind-mlops-platform, Consumer · healthy · ⇄ kind-mlops-platform'];

describe('Operation menus on seed-000', () => {
  let s: Session;

  before(async () => {
    s = await openSession('operation-menus');
  });
  after(async () => {
    await s?.close();
  });

  test('a cluster that runs Liqo offers Peer Clusters but not Install Liqo', () =>
    s.step('cluster-menu', async () => {
      await s.ui.openViewContainer('Liqo');
      await s.ui.setSideBarWidth(620);
      await s.ui.waitForRows((r) => r.some((x) => x.name === CONSUMER) && r.some((x) => x.name === PROVIDER), 60_000, 'both clusters with Liqo');
      for (const cluster of [CONSUMER, PROVIDER]) {
        const menu = await s.ui.contextMenuItems(cluster);
        assert.ok(menu.includes('Peer Clusters…'), `${cluster}: ${menu.join(' | ')}`);
        assert.ok(!menu.includes('Install Liqo…'), `${cluster}: ${menu.join(' | ')}`);
      }
      await s.ui.screenshot('01-cluster-menu');
    }));

  test('Request Resources is on the consumer\'s row of its provider only; Unpeer on both sides', () =>
    s.step('peering-menus', async () => {
      await s.ui.expand(CONSUMER);
      await s.ui.expand([CONSUMER, 'Peerings, 1']);
      const consumerSide = await s.ui.contextMenuItems(PROVIDER_PEERING);
      assert.ok(consumerSide.includes('Request Resources…'), consumerSide.join(' | '));
      assert.ok(consumerSide.includes('Unpeer…'), consumerSide.join(' | '));
      await s.ui.expand(PROVIDER);
      await s.ui.expand([PROVIDER, 'Peerings, 1']);
      const providerSide = await s.ui.contextMenuItems(CONSUMER_PEERING);
      assert.ok(!providerSide.includes('Request Resources…'), providerSide.join(' | '));
      assert.ok(providerSide.includes('Unpeer…'), providerSide.join(' | '));
      await s.ui.screenshot('02-peering-menus');
    }));
});
