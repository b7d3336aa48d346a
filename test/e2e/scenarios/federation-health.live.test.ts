// Issue 21 in the workbench on the live test bed (Liqo's own controllers): the consumer peers with cluster-b (the test
// bed's liqoctl, as a user's terminal would); the status-bar item reads "Liqo: 2 peerings"; with a GPU pod in a
// namespace offloaded to cluster-b, hovering the virtual node shows what cluster-b granted against what the pods on
// it request, the figures `kubectl describe node` shows. Then cluster-b's API server is stopped (the test bed's API): the status bar counts the failure, one
// notification names the unreachable cluster with "Show" and "Why?", Why? opens the explanation, and a click on the
// status-bar item selects and focuses the cluster's row. While the outage lasts, Liqo itself marks the consumer's
// peering (APIServerStatus Error) and later the virtual node (NotReady) failing: those are consequences of the same
// outage and raise no notification of their own. After the restart, exactly one recovery notice, whose Show moves the
// selection to the cluster's row, and the status bar is back to healthy.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { liveBedAsFound, openSession, sharedSetup } from '../lib/fixture.ts';
import type { Session } from '../lib/fixture.ts';
import { startApiserver, stopApiserver, type Testbed } from '../../testbed/index.ts';
import { offload, peer, unoffload, unpeer } from '../../testbed/live/liqoctl.ts';
import { parseQuantity } from '../../../src/core/capacity/quantity.ts';
import { clickNotificationButton, healthItem, healthTooltip, notificationCenter, selectedRows, waitForHealth, waitForToast } from '../pages/federation-health.ts';

/** The clean-up's unpeer waits this long; the next file brings the bed up afresh if Liqo is still tearing down. */
const CLEANUP_UNPEER_MS = 90_000;
const run = promisify(execFile);
const CONSUMER_CONTEXT = 'kind-mlops-platform';
const PROVIDER_CONTEXT = 'cluster-b';
const CONSUMER = /^kind-mlops-platform, kind-mlops-platform · Liqo v1\.0\.1/;
const VIRTUAL_NODE = [CONSUMER, /^Virtual Nodes\b/, /^cluster-b, Ready/];
const NS = `e2e-health-${Date.now().toString(36)}`;
const HEALTHY = /^Liqo: 2 peerings$/;
const FAILURE = /^Liqo: Cluster cluster-b is failing — unreachable: /;
const RECOVERY = 'Liqo: Cluster cluster-b recovered.';
const STARTUP_MS = 240_000;

describe('Federation health on the live test bed: status bar, alert, recovery, capacity', () => {
  let s: Session;
  let tb: Testbed | undefined;
  let stoppedAt = 0;
  const kubectl = (...args: string[]) => run(tb!.kubectl, ['--kubeconfig', tb!.kubeconfig, '--context', CONSUMER_CONTEXT, ...args]);
  const target = () => ({ binDir: tb!.binDir, kubeconfig: tb!.kubeconfig });
  const failingLines = async () => (await healthTooltip(s.ui)).split('\n').filter((l) => l.startsWith('• '));
  /** Waits until exactly one row is selected, a root (cluster) row whose name matches, and the tree has the focus. */
  const waitForSelectedRoot = async (name: RegExp, after: string) => {
    const deadline = Date.now() + 30_000;
    let sel = await selectedRows(s.ui);
    while (!(sel.treeFocused && sel.names.length === 1 && name.test(sel.names[0]!))) {
      if (Date.now() > deadline) throw new Error(`${after} did not select and focus the row ${name}: ${JSON.stringify(sel)}`);
      await s.ui.page.waitForTimeout(250);
      sel = await selectedRows(s.ui);
    }
    const rows = await s.ui.allRows();
    assert.equal(rows.find((r) => r.selected)?.level, 1, `${after}: the cluster row (a root row) is the one selected`);
  };

  before(async () => {
    await liveBedAsFound('federation-health');
    tb = (await sharedSetup()).testbed;
    await peer(target(), CONSUMER_CONTEXT, PROVIDER_CONTEXT);
    // (a short name: Chromium's socket path under the scenario's temp folder must stay within 108 bytes)
    s = await openSession('health-live');
  });
  after(async () => {
    await s?.close();
    if (!tb) return;
    await startApiserver(PROVIDER_CONTEXT).catch(() => undefined);
    await kubectl('delete', 'pods', '--all', '-n', NS, '--force', '--grace-period=0').catch(() => undefined);
    await unoffload(target(), CONSUMER_CONTEXT, NS).catch(() => undefined);
    await kubectl('delete', 'namespace', NS, '--wait=false', '--ignore-not-found').catch(() => undefined);
    // Leave the test bed as found (unpeered) for the next scenario file.
    await unpeer(target(), CONSUMER_CONTEXT, PROVIDER_CONTEXT, CLEANUP_UNPEER_MS).catch(() => undefined);
  });

  test('the status bar reads "Liqo: 2 peerings"; the GPU virtual node\'s hover shows granted against requested as kubectl describe node does', () =>
    s.step('glance-capacity', async () => {
      // The extension host starts and activates the extension after the workbench (minutes on a loaded machine).
      await s.ui.page.locator('.activitybar').getByRole('tab', { name: /^Liqo\b/ }).waitFor({ timeout: STARTUP_MS });
      await s.ui.openViewContainer('Liqo');
      await s.ui.setSideBarWidth(620);
      await s.ui.row(CONSUMER, 120_000);
      await waitForHealth(s.ui, HEALTHY, 120_000);
      // Nothing expanded yet: the clusters watch their peerings only, and the hover says what is left out.
      assert.equal(
        await healthTooltip(s.ui),
        'Every peering, virtual node, ResourceSlice and offloaded namespace watched is healthy, and every cluster answers.\n' +
          'Not watched while collapsed: the virtual nodes, ResourceSlices and offloaded namespaces of cluster-b, kind-mlops-platform (expand their rows to include them).',
      );
      await s.ui.expand(CONSUMER);
      await s.ui.row([CONSUMER, /^Virtual Nodes\b/], 120_000);
      await s.ui.expand([CONSUMER, /^Virtual Nodes\b/]);
      await s.ui.row(VIRTUAL_NODE, 120_000);
      // A training pod asking for a GPU in a namespace offloaded to cluster-b (Remote): the scheduler puts it on the
      // virtual node, Liqo reflects it to cluster-b.
      await kubectl('create', 'namespace', NS);
      await offload(target(), CONSUMER_CONTEXT, NS, 'Remote');
      const overrides = { spec: { containers: [{ name: 'train', image: 'busybox', resources: { requests: { cpu: '500m', memory: '1Gi', 'nvidia.com/gpu': '1' }, limits: { 'nvidia.com/gpu': '1' } } }] } };
      await kubectl('run', 'gpu-train', '-n', NS, '--image=busybox', '--restart=Never', `--overrides=${JSON.stringify(overrides)}`);
      await kubectl('wait', '-n', NS, 'pod/gpu-train', '--for=jsonpath={.spec.nodeName}=cluster-b', '--timeout=120s');
      const describe = (await kubectl('describe', 'node', 'cluster-b')).stdout;
      // kubectl's figures: Allocatable, and the Requests column of "Allocated resources"
      const figure = (section: string, resource: string) => new RegExp(`^\\s+${resource.replace(/\./g, '\\.')}:?\\s+(\\S+)`, 'm').exec(describe.slice(describe.indexOf(section)))?.[1];
      const kubectlSays = (resource: string) => ({ granted: parseQuantity(figure('Allocatable:', resource) ?? ''), requested: parseQuantity(figure('Allocated resources:', resource) ?? '') });
      assert.deepEqual(kubectlSays('nvidia.com/gpu'), { granted: 4, requested: 1 }, describe);
      // The pod cache fills in after the row: hover again until the sums include the pod (or fail with the last hover).
      const hoverSays = (tip: string, resource: string) => {
        const m = new RegExp(`^\\s*${resource.replace(/\./g, '\\.')}: (\\S+) granted, (\\S+) requested$`, 'm').exec(tip);
        return m ? { granted: parseQuantity(m[1]!), requested: parseQuantity(m[2]!) } : undefined;
      };
      const same = (tip: string) => ['cpu', 'memory', 'nvidia.com/gpu'].every((r) => JSON.stringify(hoverSays(tip, r)) === JSON.stringify(kubectlSays(r)));
      let tip = '';
      for (let i = 0; i < 20 && !same(tip); i++) {
        if (i) await s.ui.page.waitForTimeout(1_500);
        tip = await s.ui.tooltip(VIRTUAL_NODE, { screenshot: '01-virtual-node-capacity' });
      }
      assert.match(tip, /^\s*nvidia\.com\/gpu: 4 granted, 1 requested$/m, tip);
      for (const r of ['cpu', 'memory', 'nvidia.com/gpu']) assert.deepEqual(hoverSays(tip, r), kubectlSays(r), `${r} in the hover:\n${tip}\n\nkubectl describe node:\n${describe}`);
      // The outage below is about the peering: the namespace goes first, as a team would drain it.
      await kubectl('delete', 'pod', '-n', NS, 'gpu-train', '--wait=true', '--timeout=120s');
      await unoffload(target(), CONSUMER_CONTEXT, NS);
      await kubectl('delete', 'namespace', NS, '--wait=true', '--timeout=180s');
      await waitForHealth(s.ui, HEALTHY, 60_000);
    }));

  test('cluster-b\'s API server stops: one notification with Show and Why?; Why? explains; the status bar counts it and its click selects the row', () =>
    s.step('provider-down', async () => {
      await stopApiserver(PROVIDER_CONTEXT);
      stoppedAt = Date.now();
      const toast = await waitForToast(s.ui, FAILURE, 90_000);
      const elapsed = Date.now() - stoppedAt;
      await s.ui.screenshot('02-provider-down');
      assert.deepEqual(toast.buttons, ['Show', 'Why?'], toast.message);
      process.stderr.write(`[federation-health] failure notice ${elapsed} ms after the API server stopped\n`);
      // Why? opens the explanation, rendered: what is wrong, in the tree's words, and what to check next.
      await clickNotificationButton(s.ui, toast.message, 'Why?');
      const why = await s.ui.activePreview(/What is wrong: unreachable: /, 30_000);
      assert.match(why.text, /^Cluster cluster-b$/m, why.text);
      assert.match(why.text, /^What is wrong: unreachable: Cannot reach 127\.0\.0\.1:\d+/m, why.text);
      assert.match(why.text, /^Check next: \S/m, why.text);
      assert.doesNotMatch(why.text, /\\/, 'no Markdown escape is left in what the user reads');
      await s.ui.screenshot('03-why-cluster-b');
      const text = await waitForHealth(s.ui, /^Liqo: \d+ peerings?, [1-9]\d* failing$/, 30_000);
      assert.ok((await failingLines()).some((l) => /^• Cluster cluster-b: unreachable: /.test(l)), text);
      // A click on the status-bar item selects and focuses the first failing row: the unreachable cluster.
      await healthItem(s.ui).click();
      await waitForSelectedRoot(/^cluster-b, /, 'the status-bar click');
      await s.ui.screenshot('04-status-bar-selects-cluster-b');
    }));

  test('the outage\'s consequences on the consumer (peering, virtual node) are counted but raise no notification of their own', () =>
    s.step('consequences', async () => {
      // Liqo marks the peering's API server Error within seconds and the virtual node NotReady once its lease is
      // stale (about 75 s here); each is past the 10 s hold well before this step ends.
      const deadline = Date.now() + 180_000;
      let lines = await failingLines();
      while (!(lines.some((l) => l.startsWith('• Peering with cluster-b on kind-mlops-platform:')) && lines.some((l) => l.startsWith('• Virtual node cluster-b on kind-mlops-platform:')))) {
        if (Date.now() > deadline) throw new Error(`the status bar does not list the peering and the virtual node failing: ${JSON.stringify(lines)}`);
        await s.ui.page.waitForTimeout(2_000);
        lines = await failingLines();
      }
      await waitForHealth(s.ui, /^Liqo: \d+ peerings?, 3 failing$/, 10_000);
      await s.ui.page.waitForTimeout(15_000);
      const liqo = (await notificationCenter(s.ui)).filter((m) => m.startsWith('Liqo: '));
      assert.deepEqual(liqo, [], 'no notification but the one acted on (Why? closed it)');
      await s.ui.screenshot('05-consequences-counted');
    }));

  test('cluster-b is back: exactly one recovery notice whose Show selects its row, and the status bar is healthy again', () =>
    s.step('recovery', async () => {
      // A click on the consumer's row selects it (so that Show has to move the selection) and collapses it: after
      // the collapse grace its virtual node is no longer watched. What that watch last saw (NotReady, from the
      // outage) is then neither counted nor alerted on; the hover names the consumer as not watched.
      await s.ui.clickRow(CONSUMER);
      await waitForSelectedRoot(CONSUMER, 'a click on the consumer');
      const collapsedDeadline = Date.now() + 90_000;
      let tip = await healthTooltip(s.ui);
      // (cluster-b, still unreachable, shows no peering to leave out)
      while (!/^Not watched while collapsed: the virtual nodes, ResourceSlices and offloaded namespaces of kind-mlops-platform \(expand its row to include them\)\.$/m.test(tip)) {
        if (Date.now() > collapsedDeadline) throw new Error(`the hover does not name the collapsed consumer:\n${tip}`);
        await s.ui.page.waitForTimeout(2_000);
        tip = await healthTooltip(s.ui);
      }
      assert.ok(!tip.includes('• Virtual node cluster-b on kind-mlops-platform'), tip);
      await s.ui.screenshot('06-consumer-collapsed');
      await startApiserver(PROVIDER_CONTEXT);
      const restartedAt = Date.now();
      const toast = await waitForToast(s.ui, new RegExp(`^${RECOVERY.replace(/\./g, '\\.')}$`), 90_000);
      assert.deepEqual(toast.buttons, ['Show'], toast.message);
      process.stderr.write(`[federation-health] recovery notice ${Date.now() - restartedAt} ms after the API server restarted\n`);
      await clickNotificationButton(s.ui, toast.message, 'Show');
      await waitForSelectedRoot(/^cluster-b, /, 'Show on the recovery notice');
      await s.ui.screenshot('07-show-selects-cluster-b');
      // The consumer expanded again: its virtual node is watched again, and is Ready once the virtual kubelet renewed
      // its status; a NotReady still seen then would be its own failure, announced (the assertion below would see it).
      await s.ui.expand(CONSUMER);
      // The virtual node is Ready again once the virtual kubelet renewed its status (about a minute here).
      await waitForHealth(s.ui, HEALTHY, 240_000);
      await s.ui.page.waitForTimeout(15_000);
      const liqo = (await notificationCenter(s.ui)).filter((m) => m.startsWith('Liqo: '));
      assert.deepEqual(liqo, [], 'the recovery notice was acted on (Show closed it), and no other came');
      await s.ui.screenshot('08-recovered');
    }));
});
