// Issue 23's walkthrough in the workbench, on the live test bed (unpeered; `npm run e2e -- walkthrough --live`): a
// first start opens "Federate two clusters" by itself; then a user with no kubeconfig follows it: each step's button
// (Show the Liqo View and Add Kubeconfig File…, Rewrite Server Address…, Peer Clusters…, Offload Namespace…, Verify
// Offloading…, Stream Namespace Logs…), its pickers answered, and each step's check appearing in the walkthrough's
// DOM once the extension saw the result; Install Liqo ticks from the view seeing Liqo on the test bed's clusters. The
// pictures of the steps (media/walkthrough/) are cropped from this run (--update-screenshots).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import type { Locator } from 'playwright-core';
import { liveBedAsFound, openSession, sharedSetup } from '../lib/fixture.ts';
import type { Session } from '../lib/fixture.ts';
import { answerPeerOptions, answerPeerSides } from '../pages/peer-flow.ts';
import { answerOffloadOptions } from '../pages/offload-flow.ts';
import { WalkthroughPage } from '../pages/walkthrough-page.ts';

const run = promisify(execFile);
const CONSUMER_CONTEXT = 'kind-mlops-platform';
const PROVIDER_CONTEXT = 'cluster-b';
const REWRITTEN_CONTEXT = 'cluster-c';
const CONSUMER = /^kind-mlops-platform, kind-mlops-platform · Liqo v\d+\.\d+\.\d+/;
const NS = `e2e-walkthrough-${Date.now().toString(36)}`;
const STEPS = ['addKubeconfigs', 'rewriteServer', 'installLiqo', 'peer', 'offload', 'verify', 'streamLogs'];
/** Until the extension host has started and activated after startup (minutes on a loaded machine). */
const STARTUP_MS = 240_000;

describe('The "Federate two clusters" walkthrough peers two clusters of the live test bed', () => {
  let s: Session;
  let w: WalkthroughPage;
  let dir: string;
  let kubeconfig: string;
  const kubectl = (...args: string[]) => run(s.testbed.kubectl, ['--kubeconfig', kubeconfig, ...args]);

  /** A picture for the walkthrough: the part of the window the step is about, nothing hovered. */
  const picture = async (step: string, part: Locator, topPx?: number) => {
    await s.ui.page.mouse.move(1, 1);
    const path = join(s.ui.shotsDir, `media-${step}.png`);
    const box = topPx === undefined ? null : await part.boundingBox();
    // the top of it only: the diff's first lines, not the users' client keys further down
    if (box) await s.ui.page.screenshot({ path, clip: { x: box.x, y: box.y, width: box.width, height: Math.min(topPx!, box.height) } });
    else await part.screenshot({ path });
  };
  const quickPickPlaceholder = (text: string) => s.ui.page.locator(`.quick-input-widget input[placeholder="${text}"]`).waitFor({ timeout: 30_000 });

  before(async () => {
    await liveBedAsFound('walkthrough');
    const { testbed } = await sharedSetup();
    // the user's own kubeconfig: the test bed's contexts, flattened into one file the walkthrough adds and edits
    dir = mkdtempSync(join(tmpdir(), 'liqo-walkthrough-'));
    kubeconfig = join(dir, 'clusters.yaml');
    const flat = await run(testbed.kubectl, ['--kubeconfig', testbed.kubeconfig, 'config', 'view', '--flatten']);
    writeFileSync(kubeconfig, flat.stdout, { mode: 0o600 });
    s = await openSession('walkthrough-live', {
      kubeconfigs: [],
      settings: { 'liqo.liqoctlPath': testbed.liqoctl, 'workbench.welcomePage.walkthroughs.openOnInstall': true },
    });
    w = new WalkthroughPage(s.ui);
  });
  after(async () => {
    // leave the test bed unpeered, as the live scenario starts: unoffload first (liqoctl unpeer refuses while a
    // namespace is offloaded), then unpeer, then the namespace
    if (s) await run(s.testbed.liqoctl, ['unoffload', 'namespace', NS, '--kubeconfig', kubeconfig, '--context', CONSUMER_CONTEXT, '--skip-confirm']).catch(() => undefined);
    if (s) await run(s.testbed.liqoctl, ['unpeer', '--kubeconfig', kubeconfig, '--context', CONSUMER_CONTEXT, '--remote-kubeconfig', kubeconfig, '--remote-context', PROVIDER_CONTEXT, '--skip-confirm']).catch(() => undefined);
    if (s) await kubectl('--context', CONSUMER_CONTEXT, 'delete', 'namespace', NS, '--wait=false', '--ignore-not-found').catch(() => undefined);
    await s?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the first start opens the walkthrough by itself, no step done; Liqo: Open Walkthrough opens it again', () =>
    s.step('opens', async () => {
      await w.waitOpen(STARTUP_MS);
      assert.deepEqual(await w.stepIds(), STEPS);
      assert.deepEqual(await w.checkedSteps(), []);
      await s.ui.screenshot('01-opened-on-first-start');
      await s.ui.page.keyboard.press('Control+KeyW');
      await w.editor().waitFor({ state: 'detached', timeout: 15_000 });
      await s.ui.runCommand('Liqo: Open Walkthrough');
      await w.waitOpen();
    }));

  test('step 1: Show the Liqo View (its welcome links the walkthrough), Add Kubeconfig File… → two contexts connect', () =>
    s.step('add-kubeconfigs', async () => {
      await w.clickStepButton('addKubeconfigs', 'Show the Liqo View');
      await s.ui.sideBar().getByRole('button', { name: 'Federate Two Clusters' }).waitFor({ timeout: 60_000 });
      await s.ui.setSideBarWidth(620);
      await w.clickStepButton('addKubeconfigs', 'Add Kubeconfig File…', { opensQuickInput: true });
      // code-server's open dialog is VS Code's simple one: a path typed into a quick input, accepted with its Add
      // button once the dialog has listed the file (an Enter before that is lost on a loaded machine)
      const dialog = s.ui.page.locator('.quick-input-widget');
      await dialog.locator('input').fill(kubeconfig);
      await dialog.locator('[role=option]').filter({ hasText: 'clusters.yaml' }).first().waitFor({ timeout: 30_000 });
      await dialog.locator('.monaco-button').filter({ hasText: 'Add' }).first().click();
      await s.ui.row(CONSUMER, 120_000);
      await w.waitChecked('addKubeconfigs', 120_000);
      await picture('add-kubeconfigs', s.ui.sideBar());
    }));

  test('step 2: Rewrite Server Address… moves cluster-c to localhost, TLS verified, saved after the diff', () =>
    s.step('rewrite-server', async () => {
      const server = (await kubectl('config', 'view', '--minify', '--context', REWRITTEN_CONTEXT, '-o', 'jsonpath={.clusters[0].cluster.server}')).stdout;
      const port = new URL(server).port;
      assert.ok(port, `${REWRITTEN_CONTEXT}'s server ${server} has a port`);
      await w.clickStepButton('rewriteServer', 'Rewrite Server Address…', { opensQuickInput: true });
      await s.ui.quickPick(REWRITTEN_CONTEXT);
      await s.ui.inputBoxTitled(/Rewrite the server address of "cluster-c"/, `localhost:${port}`);
      const dialog = s.ui.page.locator('.monaco-dialog-box');
      await dialog.waitFor({ timeout: 60_000 });
      await picture('rewrite-server', s.ui.page.locator('.part.editor'), 320);
      const text = await s.ui.dialogButton('Save');
      assert.match(text, /localhost/);
      await w.bringBack();
      await w.waitChecked('rewriteServer', 60_000);
      const now = (await kubectl('config', 'view', '--minify', '--context', REWRITTEN_CONTEXT, '-o', 'jsonpath={.clusters[0].cluster.server}')).stdout;
      assert.equal(now, `https://localhost:${port}`);
    }));

  test('step 3: Install Liqo ticks from the view seeing Liqo on the test bed\'s clusters', () =>
    s.step('install-liqo', async () => {
      await w.waitChecked('installLiqo', 120_000);
      await s.ui.row(new RegExp(`^${REWRITTEN_CONTEXT}, ${REWRITTEN_CONTEXT} · Liqo v`), 180_000);
      await picture('install-liqo', s.ui.sideBar());
    }));

  test('step 4: Peer Clusters… (consumer, provider, networking disabled) → the peering established', () =>
    s.step('peer', async () => {
      assert.equal(await w.isChecked('peer'), false, 'the test bed starts unpeered');
      await w.clickStepButton('peer', 'Peer Clusters…', { opensQuickInput: true });
      await answerPeerSides(s.ui, CONSUMER_CONTEXT, PROVIDER_CONTEXT);
      await answerPeerOptions(s.ui);
      await s.ui.dialogButton('Peer', 60_000);
      await s.ui.page.locator('.notifications-toasts').getByText(`${CONSUMER_CONTEXT} is peered with ${PROVIDER_CONTEXT}.`).waitFor({ timeout: 300_000 });
      await w.waitChecked('peer', 180_000);
      await s.ui.expand(CONSUMER);
      await s.ui.expand([CONSUMER, /^Peerings\b/]);
      await s.ui.row([CONSUMER, /^Peerings\b/, /^cluster-b, Provider · /], 180_000);
      await s.ui.expand([CONSUMER, /^Virtual Nodes\b/]);
      await s.ui.row([CONSUMER, /^Virtual Nodes\b/, /^cluster-b, Ready/], 120_000);
      await picture('peer', s.ui.sideBar());
    }));

  test('step 5: Offload Namespace… → Ready under Offloaded Namespaces', () =>
    s.step('offload', async () => {
      await kubectl('--context', CONSUMER_CONTEXT, 'create', 'namespace', NS);
      await s.ui.collapse([CONSUMER, /^Peerings\b/]);
      await s.ui.collapse([CONSUMER, /^Virtual Nodes\b/]);
      await w.clickStepButton('offload', 'Offload Namespace…', { opensQuickInput: true });
      await s.ui.quickPick(CONSUMER_CONTEXT);
      await s.ui.quickPick(NS);
      await answerOffloadOptions(s.ui);
      await s.ui.dialogButton('Offload');
      await s.ui.row([CONSUMER, /^Offloaded Namespaces\b/], 120_000);
      await s.ui.expand([CONSUMER, /^Offloaded Namespaces\b/]);
      await s.ui.row([CONSUMER, /^Offloaded Namespaces\b/, new RegExp(`^${NS}, Ready · Remote`)], 120_000);
      await w.waitChecked('offload', 60_000);
      await picture('offload', s.ui.sideBar());
    }));

  test('step 6: Verify Offloading… → the probe ran on the virtual node', () =>
    s.step('verify', async () => {
      await w.clickStepButton('verify', 'Verify Offloading…', { opensQuickInput: true });
      await s.ui.quickPick(CONSUMER_CONTEXT);
      await s.ui.quickPick(NS);
      const done = s.ui.page.locator('.notifications-toasts').getByText(`Offloading of ${NS} works.`);
      await done.first().waitFor({ timeout: 240_000 });
      await w.waitChecked('verify', 30_000);
      await picture('verify', s.ui.page.locator('.part.panel'));
    }));

  test('step 7: Stream Namespace Logs… → a log view opens; every step is checked', () =>
    s.step('stream-logs', async () => {
      await w.clickStepButton('streamLogs', 'Stream Namespace Logs…', { opensQuickInput: true });
      await s.ui.quickPick(CONSUMER_CONTEXT);
      await s.ui.quickPick(NS);
      await quickPickPlaceholder('Options (Enter to accept)');
      // no option picked: the multi-select's OK button (an Enter sent while the widget still swapped pickers was lost)
      await s.ui.page.locator('.quick-input-widget .monaco-button').filter({ hasText: 'OK' }).first().click();
      // then "Since": empty, from the tail
      await s.ui.page.locator('.quick-input-widget').getByText(/^Since \(/).first().waitFor({ timeout: 30_000 });
      await s.ui.inputBox('');
      // then "Tail": its default (200 past lines)
      await s.ui.page.locator('.quick-input-widget').getByText(/^Tail: how many past lines/).first().waitFor({ timeout: 30_000 });
      await s.ui.page.locator('.quick-input-widget input').press('Enter');
      await w.waitChecked('streamLogs', 60_000);
      await picture('stream-logs', s.ui.page.locator('.part.panel'));
      assert.deepEqual(await w.checkedSteps(), STEPS);
      await s.ui.screenshot('08-all-steps-checked');
    }));
});
