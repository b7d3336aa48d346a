// The multi-step inputs in the real workbench on seed-000 (issue 23): Offload Namespace… from the palette walks
// cluster → namespace → pod strategy → mapping → (remote name) → selector with the step count in the title; Back
// returns to the earlier step with its answer kept, and the NamespaceOffloading written at the end carries the kept
// answer. Escape in the middle of Offload… or Request Resources… ends the flow and writes nothing: the API server's
// own request counters for the resource stay where they were.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { openSession } from '../lib/fixture.ts';
import type { Session } from '../lib/fixture.ts';
import { escape, focusedItem, inputValue, pressBack, stepTitle } from '../pages/multi-step.ts';

const run = promisify(execFile);
const CONSUMER = 'kind-mlops-platform, kind-mlops-platform · Liqo v1.0.1 · healthy';
const PROVIDER_PEERING = [CONSUMER, 'Peerings, 1', 'cluster-b, Provider · healthy · ⇄ cluster-b'];
/** seed-000's one namespace of the consumer that is neither offloaded nor a system one (besides default). */
const NS = 'analytics';
const KEPT = 'analytics-kept-remote';

describe('Multi-step input on seed-000', () => {
  let s: Session;
  // /metrics is a few MB
  const kubectl = (...args: string[]) => run(s.testbed.kubectl, ['--kubeconfig', s.testbed.kubeconfig, '--context', 'kind-mlops-platform', ...args], { maxBuffer: 64 * 1024 * 1024 });
  /** Writes (anything but reads and watches) the consumer's API server has served for a resource, from its /metrics. */
  const writesTo = async (resource: string): Promise<number> => {
    const { stdout } = await kubectl('get', '--raw', '/metrics');
    let n = 0;
    for (const line of stdout.split('\n')) {
      if (!line.startsWith('apiserver_request_total{') || !line.includes(`resource="${resource}"`)) continue;
      if (/verb="(GET|LIST|WATCH)"/.test(line)) continue;
      n += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
    return n;
  };

  before(async () => {
    s = await openSession('multi-step-input');
  });
  after(async () => {
    if (s) await kubectl('delete', 'namespaceoffloading', 'offloading', '-n', NS, '--ignore-not-found').catch(() => undefined);
    await s?.close();
  });

  test('Offload… from the palette: Back returns to the earlier step with its answer kept, and the kept answer is written', () =>
    s.step('offload-back', async () => {
      await s.ui.openViewContainer('Liqo');
      await s.ui.setSideBarWidth(620);
      await s.ui.row(CONSUMER, 90_000);
      await s.ui.runCommand('Liqo: Offload Namespace…');
      assert.match(await stepTitle(s.ui, /consumer cluster/), /\(1\/5\)/);
      await s.ui.quickPick('kind-mlops-platform');
      assert.match(await stepTitle(s.ui, /namespace on kind-mlops-platform/), /\(2\/5\)/);
      await s.ui.quickPick(NS);
      await stepTitle(s.ui, /where may the pods/);
      await s.ui.quickPick('Pods run only on virtual nodes'); // Remote
      await stepTitle(s.ui, /name of the remote namespace/);
      await s.ui.quickPick('SelectedName');
      // SelectedName adds a step: the count grows from 5 to 6
      assert.match(await stepTitle(s.ui, /remote namespace name/), /\(5\/6\)/);
      assert.equal(await inputValue(s.ui), NS, 'the namespace name is offered first');
      await s.ui.inputBox(KEPT);
      assert.match(await stepTitle(s.ui, /cluster selector/), /\(6\/6\)/);
      await s.ui.screenshot('01-selector-step');

      await pressBack(s.ui);
      assert.match(await stepTitle(s.ui, /remote namespace name/), /\(5\/6\)/);
      assert.equal(await inputValue(s.ui), KEPT, 'Back shows the name typed before');
      await pressBack(s.ui);
      assert.match(await stepTitle(s.ui, /name of the remote namespace/), /\(4\/6\)/);
      assert.match(await focusedItem(s.ui), /SelectedName/, 'Back shows the strategy picked before');
      await pressBack(s.ui);
      await stepTitle(s.ui, /where may the pods/);
      assert.match(await focusedItem(s.ui), /^Remote\b/);
      await s.ui.screenshot('02-back-to-pod-strategy');

      // forward again with Enter only: every answer is the one kept
      await s.ui.acceptQuickPick(/where may the pods/);
      await s.ui.acceptQuickPick(/name of the remote namespace/);
      await stepTitle(s.ui, /remote namespace name/);
      assert.equal(await inputValue(s.ui), KEPT);
      await s.ui.page.locator('.quick-input-widget input').first().press('Enter');
      await s.ui.acceptQuickPick(/cluster selector/);
      const text = await s.ui.dialogButton('Offload');
      assert.match(text, new RegExp(`Pods: Remote\\. Remote name: ${KEPT}\\.`));
      // what reached the API server
      let spec = '';
      for (let i = 0; i < 60 && !spec; i++) {
        spec = (await kubectl('get', 'namespaceoffloading', 'offloading', '-n', NS, '-o', 'jsonpath={.spec}', '--ignore-not-found')).stdout;
        if (!spec) await new Promise((r) => setTimeout(r, 500));
      }
      const written = JSON.parse(spec) as Record<string, unknown>;
      assert.equal(written.remoteNamespaceName, KEPT);
      assert.equal(written.namespaceMappingStrategy, 'SelectedName');
      assert.equal(written.podOffloadingStrategy, 'Remote');
      await s.ui.screenshot('03-offloading');
    }));

  test('Escape in the middle of Offload…: the flow ends and nothing is written', () =>
    s.step('offload-escape', async () => {
      await kubectl('delete', 'namespaceoffloading', 'offloading', '-n', NS, '--ignore-not-found');
      const before = await writesTo('namespaceoffloadings');
      await s.ui.runCommand('Liqo: Offload Namespace…');
      await s.ui.quickPick('kind-mlops-platform');
      await stepTitle(s.ui, /namespace on kind-mlops-platform/);
      await s.ui.quickPick(NS);
      await stepTitle(s.ui, /where may the pods/);
      await s.ui.quickPick('Pods run only on virtual nodes');
      await stepTitle(s.ui, /name of the remote namespace/);
      await escape(s.ui);
      // no confirmation, no later step
      await s.ui.page.waitForTimeout(2_000);
      assert.equal(await s.ui.page.locator('.monaco-dialog-box').count(), 0, 'no confirmation after Escape');
      assert.equal(await s.ui.page.locator('.quick-input-widget:visible').count(), 0, 'no later step after Escape');
      assert.equal(await writesTo('namespaceoffloadings'), before, 'no write to namespaceoffloadings');
      const { stdout } = await kubectl('get', 'namespaceoffloading', '-n', NS, '-o', 'name');
      assert.equal(stdout.trim(), '');
      await s.ui.screenshot('04-offload-escaped');
    }));

  test('Request Resources… from the peering row: Back keeps the name; Escape writes no ResourceSlice', () =>
    s.step('request-escape', async () => {
      const before = await writesTo('resourceslices');
      await s.ui.expand(CONSUMER);
      await s.ui.expand([CONSUMER, 'Peerings, 1']);
      await s.ui.contextMenu(PROVIDER_PEERING, 'Request Resources…');
      assert.match(await stepTitle(s.ui, /ResourceSlice name/), /\(1\/6\)/);
      await s.ui.inputBox('e2e-kept-slice');
      assert.match(await stepTitle(s.ui, /cpu \(empty: none\)/), /\(2\/6\)/);
      await s.ui.page.locator('.quick-input-widget input').first().fill('two');
      await s.ui.page.locator('.quick-input-widget .quick-input-message').filter({ hasText: /"two" is not a quantity/ }).waitFor({ timeout: 10_000 });
      await pressBack(s.ui);
      await stepTitle(s.ui, /ResourceSlice name/);
      assert.equal(await inputValue(s.ui), 'e2e-kept-slice');
      await s.ui.inputBox('e2e-kept-slice');
      await stepTitle(s.ui, /cpu \(empty: none\)/);
      await s.ui.inputBox('2');
      await stepTitle(s.ui, /memory \(empty: none\)/);
      await s.ui.screenshot('05-request-resources');
      await escape(s.ui);
      await s.ui.page.waitForTimeout(2_000);
      assert.equal(await writesTo('resourceslices'), before, 'no write to resourceslices');
      const { stdout } = await kubectl('get', 'resourceslices', '-A', '-o', 'name');
      assert.ok(!stdout.includes('e2e-kept-slice'), stdout);
    }));
});
