// Issue 20 in the workbench on the live test bed (Liqo's own controllers): the consumer peers with cluster-b (the
// test bed's liqoctl, as a user's terminal would), the extension records the healthy federation by itself and the
// Federation Drift view says "As recorded" while every cluster row is still collapsed (a collapsed row does not watch
// ResourceSlices: the record must hold the slice all the same, or the restore below would peer without it); the
// tree shows the peering healthy; the peering breaks (liqoctl unpeer); the view lists "peering gone";
// its inline Restore This Item, the dry run and "Run Plan" peer again and recreate the slice; the drift view says
// "As recorded" again and the tree shows the peering and its virtual node healthy.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { liveBedAsFound, openSession, sharedSetup } from '../lib/fixture.ts';
import type { Session } from '../lib/fixture.ts';
import { openDriftView, restoreDriftItem, waitForDriftRow } from '../pages/drift-view.ts';

const run = promisify(execFile);
const CONSUMER = /^kind-mlops-platform, kind-mlops-platform · Liqo v1\.0\.1/;
const GONE = /^The peering of kind-mlops-platform \(consumer\) with cluster-b \(provider\) is gone\./;
// A row's accessible name is its tooltip when it has one.
const AS_RECORDED = /^Nothing differs from the record of /;

/**
 * Waits until the extension host has activated the extension (its log says so). VS Code activates it at start-up
 * (onStartupFinished), before a user opens the Liqo view; on a slow machine the view can come first. The scenario
 * takes the user's order: active first, the view opened afterwards.
 */
async function extensionActivated(userDataDir: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  const logs = join(userDataDir, 'logs');
  for (;;) {
    for (const run of await readdir(logs).catch(() => [] as string[])) {
      const text = await readFile(join(logs, run, 'exthost1', 'remoteexthost.log'), 'utf8').catch(() => '');
      const line = text.split('\n').find((l) => l.includes('_doActivateExtension liqo-vscode.liqo-federation'));
      if (line) return line;
    }
    if (Date.now() > deadline) throw new Error(`the extension was not activated within ${timeoutMs} ms (no line in ${logs}/*/exthost1/remoteexthost.log)`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('Return to the last known working state, in the workbench', () => {
  let s: Session;
  const liqoctl = (...args: string[]) =>
    run(s.testbed.liqoctl, [...args, '--kubeconfig', s.testbed.kubeconfig, '--context', 'kind-mlops-platform', '--remote-kubeconfig', s.testbed.kubeconfig, '--remote-context', 'cluster-b'], { timeout: 240_000 });

  before(async () => {
    await liveBedAsFound('known-good');
    const { testbed } = await sharedSetup();
    s = await openSession('known-good-live', { settings: { 'liqo.liqoctlPath': testbed.liqoctl } });
  });
  after(async () => {
    // Leave the test bed as found (unpeered) for the next scenario file.
    if (s) await liqoctl('unpeer', '--skip-confirm', '--wait').catch(() => undefined);
    await s?.close();
  });

  test('peered: the federation is recorded by itself and the drift view says "As recorded"', () =>
    s.step('recorded', async () => {
      await liqoctl('peer', '--networking-disabled');
      const activation = await extensionActivated(s.wb.userDataDir, 300_000);
      assert.match(activation, /activationEvent: 'onStartupFinished'/);
      await s.ui.openViewContainer('Liqo');
      await s.ui.setSideBarWidth(720);
      await s.ui.row(CONSUMER, 90_000);
      // Recorded and compared while every cluster row is collapsed: the record is taken from what a collapsed row
      // watches plus what the recorder lists itself (the ResourceSlice, which the restore below must recreate).
      await openDriftView(s.ui);
      await waitForDriftRow(s.ui, AS_RECORDED, 120_000);
      await s.ui.expand(CONSUMER);
      await s.ui.row([CONSUMER, /^Peerings\b/], 120_000);
      await s.ui.expand([CONSUMER, /^Peerings\b/]);
      await s.ui.row([CONSUMER, /^Peerings\b/, /^cluster-b, Provider · healthy/], 180_000);
      await waitForDriftRow(s.ui, AS_RECORDED, 120_000);
      await s.ui.screenshot('01-as-recorded');
    }));

  test('the peering breaks: the drift view lists it as gone', () =>
    s.step('drift', async () => {
      await liqoctl('unpeer', '--skip-confirm', '--wait');
      const rows = await waitForDriftRow(s.ui, GONE, 180_000);
      assert.equal(rows.filter((r) => GONE.test(r)).length, 1, rows.join('\n'));
      await s.ui.screenshot('02-drift');
    }));

  test('Restore This Item on the row, then Run Plan: peered again, the drift view says "As recorded", the tree is healthy', () =>
    s.step('restore', async () => {
      await restoreDriftItem(s.ui, GONE);
      const detail = await s.ui.dialogButton('Run Plan', 60_000);
      assert.match(detail, /1\. Peer kind-mlops-platform \(consumer\) with cluster-b \(provider\)/);
      assert.match(detail, /2\. Create ResourceSlice liqo-tenant-cluster-b\/cluster-b on kind-mlops-platform/);
      await s.ui.page.locator('.notifications-toasts').getByText('Federation restored: 2 steps done.').waitFor({ timeout: 360_000 });
      await waitForDriftRow(s.ui, AS_RECORDED, 120_000);
      await s.ui.row([CONSUMER, /^Peerings\b/, /^cluster-b, Provider · healthy/], 180_000);
      await s.ui.expand([CONSUMER, /^Virtual Nodes\b/]);
      await s.ui.row([CONSUMER, /^Virtual Nodes\b/, /^cluster-b, Ready/], 180_000);
      await s.ui.screenshot('03-restored');
    }));
});
