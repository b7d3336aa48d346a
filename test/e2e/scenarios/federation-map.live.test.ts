// The federation map on the live test bed (Liqo's own controllers; `npm run e2e -- federation-map --live`): the real
// liqoctl peers the consumer with cluster-b and offloads a namespace with a pod in it; the map shows the clusters, the
// peering edge and the namespace. Then the provider's API server is stopped: Liqo's own check marks the peering, the
// edge turns failed and says why on hover and on focus in the same words as the tree's condition row; once the API
// server is back, Liqo marks it healthy and the edge follows. Clicking the edge reveals the peering row; Export
// Federation Map… writes an SVG a browser parses.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import type { FrameLocator, Locator } from 'playwright-core';
import { liveBedAsFound, openSession, sharedSetup } from '../lib/fixture.ts';
import type { Session } from '../lib/fixture.ts';
import { findRow, formatRows, type RowInfo } from '../pages/workbench-page.ts';
import { startApiserver, stopApiserver } from '../../testbed/index.ts';
import { offload, peer, unoffload, unpeer, type LiqoctlTarget } from '../../testbed/live/liqoctl.ts';

/** The clean-up's unpeer waits this long; the next file brings the bed up afresh if Liqo is still tearing down. */
const CLEANUP_UNPEER_MS = 90_000;
const run = promisify(execFile);
const CONSUMER_CONTEXT = 'kind-mlops-platform';
const PROVIDER_CONTEXT = 'cluster-b';
// Liqo's cluster IDs on the live test bed are the context names.
const CONSUMER = /^kind-mlops-platform, kind-mlops-platform · Liqo v\d+\.\d+\.\d+/;
const PEERINGS = [CONSUMER, /^Peerings\b/];
const PEERING = [...PEERINGS, /^cluster-b, Provider · /];
const EDGE = 'cluster:kind-mlops-platform->cluster:cluster-b';
const NS = `e2e-map-${Date.now().toString(36)}`;
/** Liqo checks a peer's API server periodically; under load its verdict (and the way back) can take minutes. */
const LIQO_NOTICES_MS = 300_000;

/** A condition row of the tree (`<title>, <status>: <what is wrong>`), as the map words it (`<title>: <status>: …`). */
const CONDITION_ROW = /^([A-Z][A-Za-z -]+), (Error|NotReady|SomeNotReady|Pending): (.+)$/;

describe('Federation map on the live test bed', () => {
  let s: Session;
  let map: FrameLocator;
  let target: LiqoctlTarget | undefined;
  let kubectlPath = '';
  let providerStopped = false;
  const kubectl = (...args: string[]) => run(kubectlPath, ['--kubeconfig', target!.kubeconfig, '--context', CONSUMER_CONTEXT, ...args]);
  const edge = (): Locator => map.locator(`g.edge[data-id="${EDGE}"]`);
  const edgeIn = async (health: string, timeoutMs: number): Promise<string> => {
    await map.locator(`g.edge.h-${health}[data-id="${EDGE}"]`).waitFor({ timeout: timeoutMs });
    return (await edge().getAttribute('aria-label')) ?? '';
  };
  /** What the map's explanation line says while the pointer rests on an element, or while it has the focus. */
  const details = (): Promise<string> => map.locator('#details').innerText();

  before(async () => {
    await liveBedAsFound('federation-map');
    const { testbed } = await sharedSetup();
    target = { binDir: testbed.binDir, kubeconfig: testbed.kubeconfig };
    kubectlPath = testbed.kubectl;
    // The federation as a user's terminal makes it: the real liqoctl, a namespace offloaded with a pod in it.
    await peer(target, CONSUMER_CONTEXT, PROVIDER_CONTEXT);
    await kubectl('create', 'namespace', NS);
    await offload(target, CONSUMER_CONTEXT, NS);
    await kubectl('run', 'web', '-n', NS, '--image=docker.io/library/nginx:1.27', '--restart=Never');
    // A toast of the alerts (a peering failing for > 10 s) would cover what the scenario clicks.
    s = await openSession('federation-map-live', { settings: { 'liqo.liqoctlPath': testbed.liqoctl, 'liqo.alerts.enabled': false } });
  });
  after(async () => {
    if (providerStopped) await startApiserver(PROVIDER_CONTEXT).catch(() => undefined);
    await s?.close();
    // Leave the test bed as the live scenarios start (unpeered): unoffload first, liqoctl unpeer refuses otherwise.
    if (target) {
      await unoffload(target, CONSUMER_CONTEXT, NS).catch(() => undefined);
      await unpeer(target, CONSUMER_CONTEXT, PROVIDER_CONTEXT, CLEANUP_UNPEER_MS).catch(() => undefined);
      await kubectl('delete', 'namespace', NS, '--wait=false', '--ignore-not-found').catch(() => undefined);
    }
  });

  test('the map shows the clusters, the peering edge and the offloaded namespace with its pod on cluster-b', () =>
    s.step('map', async () => {
      // The Liqo view container appears once the extension host has started (minutes on a loaded machine).
      await s.ui.page.locator('.activitybar').getByRole('tab', { name: /^Liqo\b/ }).waitFor({ timeout: 240_000 });
      await s.ui.openViewContainer('Liqo');
      await s.ui.setSideBarWidth(620);
      await s.ui.row(CONSUMER, 120_000);
      await s.ui.runCommand('Liqo: Show Federation Map');
      map = s.ui.page.frameLocator('iframe.webview').frameLocator('#active-frame');
      for (const id of ['kind-mlops-platform', 'cluster-b', 'cluster-c']) await map.locator(`g.node[data-id="cluster:${id}"]`).waitFor({ timeout: 120_000 });
      // The namespace and its pod arrive with the consumer's NamespaceOffloadings and pods.
      await map.locator(`g.edge[data-id="${EDGE}"][aria-label*="namespace ${NS}: 1 pods on cluster-b"]`).waitFor({ timeout: 180_000 });
      const label = await edgeIn('healthy', 180_000);
      assert.match(label, /^Peering kind-mlops-platform consumes from cluster-b: healthy\./, label);
      assert.match(label, /modules networking (disabled|off)?[^,]*, authentication healthy, offloading healthy/, label);
      assert.equal(await map.locator('g.edge').count(), 1, 'cluster-c is not peered: one edge');
      const ns = map.locator(`g.namespace[data-id="ns:${EDGE}:${NS}"]`);
      assert.match((await ns.getAttribute('aria-label')) ?? '', new RegExp(`^Offloaded namespace ${NS} of kind-mlops-platform on cluster-b: \\w+, 1 pod`));
      assert.match((await map.locator('g.node[data-id="cluster:kind-mlops-platform"]').getAttribute('aria-label')) ?? '', /virtual node cluster-b → cluster-b: Ready/);
      await s.ui.screenshot('01-map-live');
    }));

  test('clicking the edge reveals the peering row in the Liqo view', () =>
    s.step('reveal', async () => {
      await edge().locator('text.edge-label').first().click();
      const rows = await s.ui.waitForRows((r) => r[findRow(r, PEERING)]?.selected === true, 60_000, 'the peering row selected');
      assert.match(rows[findRow(rows, PEERING)]!.name, /^cluster-b, Provider · healthy · ⇄ cluster-b$/, formatRows(rows));
      await s.ui.screenshot('02-edge-revealed');
    }));

  test("the provider's API server stops: the edge turns failed and explains why in the tree's words, on hover and on focus", () =>
    s.step('broken', async () => {
      await stopApiserver(PROVIDER_CONTEXT);
      providerStopped = true;
      const label = await edgeIn('failed', LIQO_NOTICES_MS);
      assert.match(label, /^Peering kind-mlops-platform consumes from cluster-b: failing\./, label);
      // The provider's node is the same node, failing (its cluster ID is remembered), not a second one.
      await map.locator('g.node.h-failed[data-id="cluster:cluster-b"]').waitFor({ timeout: 60_000 });
      assert.equal(await map.locator('g.node.unknownPeer').count(), 0, 'no dashed "in no kubeconfig" node for cluster-b');
      // The explanation line still shows the edge clicked before: it follows the edge's new words, unhovered.
      await map.locator('#details').filter({ hasText: /^Peering kind-mlops-platform consumes from cluster-b: failing\./ }).waitFor({ timeout: 30_000 });
      // The tree's peering row: its condition rows hold the plain words.
      await s.ui.row([...PEERINGS, /^cluster-b, Provider · failing/], 120_000);
      await s.ui.expand(PEERING);
      const rows = await s.ui.waitForRows((r) => conditionRows(r).length > 0, 120_000, 'the peering failing with its condition rows');
      const words = conditionRows(rows).map((m) => `${m[1]}: ${m[2]}: ${m[3]}`);
      const now = (await edge().getAttribute('aria-label')) ?? '';
      for (const w of words) assert.ok(now.includes(w), `the edge says "${w}" as the tree does:\n${now}\n${formatRows(rows)}`);
      assert.ok(words.some((w) => w.startsWith('Remote API server: ')), `Liqo's API server check is among the reasons: ${words.join(' | ')}`);
      // Hover: the explanation line shows the edge's words; so does focus (keyboard), after the pointer moved on.
      const saysAll = async (how: string) => {
        await map.locator('#details').filter({ hasText: words[0]! }).waitFor({ timeout: 15_000 });
        const shown = await details();
        assert.match(shown, /^Peering kind-mlops-platform consumes from cluster-b: failing\./, `${how}: ${shown}`);
        for (const w of words) assert.ok(shown.includes(w), `${how}: the explanation line says "${w}":\n${shown}`);
      };
      await edge().locator('text.edge-label').first().hover();
      await saysAll('hover');
      await s.ui.screenshot('03-edge-failed-hover');
      await map.locator('g.node[data-id="cluster:cluster-c"]').hover();
      await map.locator('#details').filter({ hasText: /^Cluster cluster-c/ }).waitFor({ timeout: 15_000 });
      // The pointer leaves the map (a redraw under a resting pointer shows what it rests on), the keyboard takes over.
      await s.ui.page.mouse.move(1, 1);
      await edge().focus();
      await saysAll('focus');
    }));

  test('the API server is back: Liqo marks the peering healthy again and the edge follows', () =>
    s.step('recovered', async () => {
      await startApiserver(PROVIDER_CONTEXT);
      providerStopped = false;
      const label = await edgeIn('healthy', LIQO_NOTICES_MS);
      assert.doesNotMatch(label, /Remote API server/, label);
      // Reachable again (Liqo's health is unknown on the live test bed: its controller-manager runs outside a pod).
      await map.locator('g.node:not(.h-failed)[data-id="cluster:cluster-b"]').waitFor({ timeout: 120_000 });
      await map.locator('#details').filter({ hasText: /^Peering kind-mlops-platform consumes from cluster-b: healthy\./ }).waitFor({ timeout: 30_000 });
      await s.ui.row([...PEERINGS, /^cluster-b, Provider · healthy · ⇄ cluster-b$/], 120_000);
      await s.ui.screenshot('04-edge-recovered');
    }));

  test('Export Federation Map… writes a valid SVG of the live federation', () =>
    s.step('export', async () => {
      const file = join(s.wb.folder, 'federation-map.svg');
      await s.ui.runCommand('Liqo: Export Federation Map…');
      await s.ui.quickPick('SVG');
      await s.ui.acceptSaveDialog('Export Federation Map as SVG', 'federation-map.svg');
      for (let i = 0; i < 60 && !existsSync(file); i++) await s.ui.page.waitForTimeout(500);
      assert.ok(existsSync(file), `${file} written`);
      const svg = readFileSync(file, 'utf8');
      const parsed = await s.ui.page.evaluate((text) => {
        interface Doc {
          querySelector(q: string): { textContent: string | null; getAttribute(n: string): string | null } | null;
          querySelectorAll(q: string): { length: number };
          documentElement: { nodeName: string };
        }
        const { DOMParser } = globalThis as unknown as { DOMParser: new () => { parseFromString(t: string, type: string): Doc } };
        const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
        return {
          error: doc.querySelector('parsererror')?.textContent ?? '',
          root: doc.documentElement.nodeName,
          nodes: doc.querySelectorAll('g.node').length,
          edges: doc.querySelectorAll('g.edge').length,
          healthyEdge: doc.querySelector('g.edge.h-healthy')?.getAttribute('data-id') ?? '',
          namespace: doc.querySelector('g.namespace')?.getAttribute('data-id') ?? '',
        };
      }, svg);
      assert.deepEqual(parsed, { error: '', root: 'svg', nodes: 3, edges: 1, healthyEdge: EDGE, namespace: `ns:${EDGE}:${NS}` });
      assert.doesNotMatch(svg, /var\(--vscode/, 'no theme variable is left unresolved');
    }));
});

/** The tree's condition rows that say what is wrong, under the peering row. */
function conditionRows(rows: readonly RowInfo[]): RegExpExecArray[] {
  const at = findRow(rows, PEERING);
  if (at < 0) return [];
  const out: RegExpExecArray[] = [];
  for (const r of rows.slice(at + 1)) {
    if (r.level <= rows[at]!.level) break;
    const m = CONDITION_ROW.exec(r.name);
    if (m) out.push(m);
  }
  return out;
}
