// Admiralty, KubeFed and Istio on seed-002, as a user sees them (issue 22): the main cluster's Admiralty folder shows
// the ML job's proxy pod with its delegate's state on remote, the delegate row below it goes to the remote cluster;
// the federation map draws the Admiralty, KubeFed and Istio links main → remote in their own styles, the servers in
// no kubeconfig as a dashed node, a legend, and a click on the Admiralty link reveals its Target row.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FrameLocator } from 'playwright-core';
import { openSession } from '../lib/fixture.ts';
import type { Session } from '../lib/fixture.ts';
import { findRow, formatRows } from '../pages/workbench-page.ts';
import { BURST_NS, DELEGATE_POD, PROXY_POD, TARGET } from '../../testbed/scenarios/seed002.ts';

// seed-002 (test/testbed/scenarios/seed002.ts): contexts `main` and `remote`, Liqo's CRDs but no Liqo.
const MAIN = /^main, /;
const REMOTE = /^remote, /;
const ADMIRALTY = /^Admiralty(, .*)?$/;
const PROXY = `${BURST_NS}/${PROXY_POD}, proxy Running · ready · ⇄ remote: ${DELEGATE_POD} Running · ready`;
const DELEGATE = new RegExp(`^${BURST_NS}/${DELEGATE_POD}, Running · ready · on remote \\(node [^)]+\\)$`);
const TARGET_ROW = `Target ${BURST_NS}/${TARGET}, → remote · answers`;
/** A link from main's node to remote's (node ids are `context:<kubeconfig>#<context>`). */
const link = (system: string) => `g.edge.link-${system}[data-id^="${system}:context:"][data-id*="#main->context:"][data-id$="#remote"]`;

describe('Admiralty, KubeFed and Istio on seed-002', () => {
  let s: Session;
  let map: FrameLocator;

  before(async () => {
    s = await openSession('other-federations');
    // On a loaded machine the extension host may take longer than the page object's 30 s to show the view container.
    await s.ui.page.locator('.activitybar').getByRole('tab', { name: /^Liqo\b/ }).waitFor({ timeout: 120_000 });
  });
  after(async () => {
    await s?.close();
  });

  test('the main cluster shows the proxy pod with its delegate on remote; the delegate row goes to remote', () =>
    s.step('proxy-delegate', async () => {
      await s.ui.openViewContainer('Liqo');
      await s.ui.setSideBarWidth(620);
      await s.ui.waitForRows((r) => findRow(r, MAIN) >= 0 && findRow(r, REMOTE) >= 0, 60_000, 'both seed-002 contexts');
      await s.ui.expand(MAIN);
      await s.ui.expand([MAIN, ADMIRALTY]);
      await s.ui.expand([MAIN, ADMIRALTY, 'Proxy Pods, 1']);
      // The delegate's state comes from remote's watches: the row settles once both clusters answered.
      await s.ui.row([MAIN, ADMIRALTY, 'Proxy Pods, 1', PROXY], 90_000);
      const delegates = await s.ui.children([MAIN, ADMIRALTY, 'Proxy Pods, 1', PROXY]);
      assert.equal(delegates.length, 1, formatRows(delegates));
      assert.match(delegates[0]!.name, DELEGATE);
      await s.ui.screenshot('01-proxy-delegate');

      await s.ui.clickRow([MAIN, ADMIRALTY, 'Proxy Pods, 1', PROXY, DELEGATE]);
      const rows = await s.ui.waitForRows((r) => r[findRow(r, REMOTE)]?.selected === true, 30_000, 'the remote cluster row selected');
      assert.ok(findRow(rows, REMOTE) >= 0, formatRows(rows));
      await s.ui.screenshot('02-delegate-cluster');
    }));

  test('the map draws the Admiralty, KubeFed and Istio links apart from peerings, with a legend', () =>
    s.step('map', async () => {
      await s.ui.runCommand('Liqo: Show Federation Map');
      map = s.ui.page.frameLocator('iframe.webview').frameLocator('#active-frame');
      const admiralty = map.locator(link('admiralty'));
      // The counts need remote's delegate: wait for the label that has it.
      await map.locator(`${link('admiralty')}[aria-label*="runs as delegate ${DELEGATE_POD}"]`).waitFor({ timeout: 90_000 });
      assert.match((await admiralty.getAttribute('aria-label')) ?? '', new RegExp(`^Admiralty link: main sends pods to remote: healthy\\. Target ${BURST_NS}/${TARGET} on main sends pods to context remote, which answers: proxy pod ${BURST_NS}/${PROXY_POD} \\(Running\\) runs as delegate ${DELEGATE_POD} \\(Running\\)\\.$`));
      assert.deepEqual(await admiralty.locator('text.link-label').allTextContents(), ['Admiralty ✓', '1 proxy → 1 delegate']);
      assert.match((await admiralty.getAttribute('class')) ?? '', /\bh-healthy\b/);

      const kubefed = map.locator(link('kubefed'));
      await kubefed.waitFor({ timeout: 30_000 });
      assert.match((await kubefed.getAttribute('aria-label')) ?? '', /^KubeFed link: main federates to member remote: failing\. KubeFedCluster remote on main makes context remote, which answers a member: Ready\. Not propagated there: FederatedDeployment burst\/blob-storage \(CreationFailed\)\.$/);
      assert.match((await kubefed.getAttribute('class')) ?? '', /\bh-failed\b/);

      const istio = map.locator(link('istio'));
      await istio.waitFor({ timeout: 30_000 });
      assert.match((await istio.getAttribute('aria-label')) ?? '', /^Istio link: main reads the remote cluster remote: healthy\. Istio on main \(istiod 1\.24\.2 running, mesh mesh1, network network1\) reads the API server of remote cluster remote, context remote, which answers, through remote secret istio-system\/istio-remote-secret-remote\.$/);

      // The ClusterTarget `edge` and the remote secret `onprem` point at one server no context has: one dashed node.
      const nowhere = map.locator('g.node.unknownPeer[data-id^="server:"]');
      await nowhere.waitFor({ timeout: 30_000 });
      assert.match((await nowhere.getAttribute('aria-label')) ?? '', /^Cluster edge, onprem at https:\/\/127\.0\.0\.1:\d+: in no kubeconfig/);
      assert.equal(await nowhere.locator('rect.box.dashed').count(), 1);
      assert.equal(await map.locator('g.edge.link-admiralty[data-id*="->server:"]').count(), 1);
      assert.equal(await map.locator('g.edge.link-istio[data-id*="->server:"]').count(), 1);
      assert.equal(await map.locator('g.edge[data-kind="edge"]').count(), 0, 'no Liqo peering in seed-002');

      // Each system's own line style, resolved by the webview's stylesheet.
      const dash = (system: string) =>
        map.locator(`${link(system)} path.line`).evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { strokeDasharray: string } }).getComputedStyle(el).strokeDasharray);
      const dashes = [await dash('admiralty'), await dash('kubefed'), await dash('istio')];
      assert.equal(new Set(dashes).size, 3, `three different line styles: ${dashes.join(' | ')}`);
      assert.ok(dashes.every((d) => d !== 'none' && d !== ''), dashes.join(' | '));
      const legend = (await map.locator('g.legend').getAttribute('aria-label')) ?? '';
      assert.match(legend, /Admiralty target .*KubeFed membership .*Istio remote secret/, legend);
      await s.ui.screenshot('03-map-links');
    }));

  test('clicking the Admiralty link reveals its Target row', () =>
    s.step('reveal-target', async () => {
      await map.locator(`${link('admiralty')} text.link-label`).first().click();
      const rows = await s.ui.waitForRows((r) => r.find((x) => x.name === TARGET_ROW)?.selected === true, 30_000, 'the Target row selected');
      assert.ok(findRow(rows, [MAIN, ADMIRALTY, 'Targets, 2', TARGET_ROW]) >= 0, formatRows(rows));
      await s.ui.screenshot('04-target-revealed');
    }));
});
