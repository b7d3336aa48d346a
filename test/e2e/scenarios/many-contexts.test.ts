// Hundreds of contexts, as platform engineers keep them: the test bed's kubeconfig plus 200 contexts whose servers
// are closed ports on 127.0.0.x. The view filtered to Liqo clusters shows exactly the test bed's clusters; a context
// hidden from its context menu stays hidden after a window reload; a cluster collapsed long enough for its watches
// to narrow, then expanded again, shows what changed while it was collapsed (VS Code does not ask for cached
// children again: the extension widens the watches on expansion).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { openSession } from '../lib/fixture.ts';
import type { Session } from '../lib/fixture.ts';
import { childrenOf, formatRows } from '../pages/workbench-page.ts';

const run = promisify(execFile);
const UNREACHABLE = 200;
const CONSUMER = 'kind-mlops-platform, kind-mlops-platform · Liqo v1.0.1 · healthy';
const PROVIDER = 'cluster-b, cluster-b · Liqo v1.0.1 · healthy';
/** How long a collapsed cluster keeps its full watches (ClusterSession's default grace), plus a margin. */
const NARROWED_AFTER_MS = 30_000 + 5_000;
/** Until the extension host has started after a (re)load of the window. */
const STARTUP_MS = 240_000;

/** The Liqo view container's tab: there once the workbench has read the installed extensions. */
const liqoTab = (s: Session) => s.ui.page.locator('.activitybar').getByRole('tab', { name: /^Liqo\b/ });
const names = (rows: { name: string; level: number }[]) => rows.filter((r) => r.level === 1).map((r) => r.name);
const pad = (i: number) => String(i).padStart(3, '0');

async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

function unreachableKubeconfig(port: number): string {
  const lines = ['apiVersion: v1', 'kind: Config', 'clusters:'];
  const host = (i: number) => `127.0.0.${2 + (i % 250)}`;
  for (let i = 0; i < UNREACHABLE; i++) lines.push(`- name: stale-${pad(i)}`, '  cluster:', `    server: https://${host(i)}:${port}`);
  lines.push('contexts:');
  for (let i = 0; i < UNREACHABLE; i++) lines.push(`- name: unreachable-${pad(i)}`, `  context: {cluster: stale-${pad(i)}, user: stale}`);
  lines.push('users:', '- name: stale', '  user: {token: not-a-real-token}');
  return `${lines.join('\n')}\n`;
}

describe('Many contexts: the test bed plus 200 unreachable ones', () => {
  let s: Session;
  let dir: string;
  let port: number;
  const refused = (i: number) => `unreachable-${pad(i)}, Connection refused by 127.0.0.${2 + i}:${port}`;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'liqo-e2e-many-'));
    port = await closedPort();
    const stale = join(dir, 'stale-kubeconfig.yaml');
    writeFileSync(stale, unreachableKubeconfig(port), { mode: 0o600 });
    const { sharedSetup } = await import('../lib/fixture.ts');
    const shared = await sharedSetup();
    s = await openSession('many-contexts', { kubeconfigs: [shared.testbed.kubeconfig, stale] });
  });
  after(async () => {
    await s?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('rows appear at once; failed contexts stay collapsed with the error in their description', () =>
    s.step('unfiltered', async () => {
      await liqoTab(s).waitFor({ timeout: STARTUP_MS });
      await s.ui.openViewContainer('Liqo');
      await s.ui.setSideBarWidth(620);
      // The first rows wait for the extension host to start, which takes minutes on a loaded machine.
      const rows = await s.ui.waitForRows((r) => names(r).length === UNREACHABLE + 2, STARTUP_MS, `${UNREACHABLE + 2} root rows`);
      assert.ok(rows.every((r) => r.level === 1), `nothing is expanded by itself:\n${formatRows(rows.filter((r) => r.level > 1))}`);
      await s.ui.waitForRows((r) => names(r).includes(refused(0)), 30_000, 'the first unreachable context explained');
      await s.ui.screenshot('01-all-contexts');
    }));

  test('filtered to Liqo clusters, the view shows exactly the test bed\'s clusters', () =>
    s.step('liqo-only', async () => {
      await s.ui.runCommand('Liqo: Filter Clusters…');
      await s.ui.quickPick('Liqo Clusters Only');
      const rows = await s.ui.waitForRows((r) => names(r).join('\n') === [CONSUMER, PROVIDER].join('\n'), 60_000, 'only the Liqo clusters');
      assert.deepEqual(names(rows), [CONSUMER, PROVIDER]);
      assert.match(await s.ui.waitForViewMessage(/^Filter Liqo clusters: 2 of 202 contexts shown\./), /^Filter Liqo clusters: 2 of 202 contexts shown\./);
      await s.ui.screenshot('02-liqo-only');
      await s.ui.runCommand('Liqo: Clear Filter');
      await s.ui.waitForRows((r) => names(r).length === UNREACHABLE + 2, 30_000, 'every context again');
    }));

  test('a hidden context stays hidden after a window reload', () =>
    s.step('hide', async () => {
      const ten = Array.from({ length: 10 }, (_, i) => refused(i));
      await s.ui.runCommand('Liqo: Filter Clusters…');
      await s.ui.quickPick('Filter by Name…');
      await s.ui.inputBoxTitled('Filter the Liqo view by name', 'unreachable-00');
      await s.ui.waitForRows((r) => names(r).join('\n') === ten.join('\n'), 30_000, 'unreachable-000 … 009');
      await s.ui.contextMenu(refused(7), 'Hide Context');
      const without7 = ten.filter((_, i) => i !== 7);
      await s.ui.waitForRows((r) => names(r).join('\n') === without7.join('\n'), 15_000, 'unreachable-007 hidden');
      assert.match(await s.ui.waitForViewMessage(/1 hidden context/), /1 hidden context/);
      await s.ui.screenshot('03-hidden');

      await s.ui.reloadWindow(s.wb.url);
      await liqoTab(s).waitFor({ timeout: STARTUP_MS });
      await s.ui.openViewContainer('Liqo');
      // After the reload no filter is set: every context but the hidden one.
      const rows = await s.ui.waitForRows((r) => names(r).length === UNREACHABLE + 1, STARTUP_MS, 'every context but the hidden one');
      assert.ok(!names(rows).some((n) => n.startsWith('unreachable-007,')), 'unreachable-007 is still hidden after the reload');
      assert.match(await s.ui.waitForViewMessage(/1 hidden context/), /1 hidden context/);
      await s.ui.screenshot('04-hidden-after-reload');
    }));

  test('collapsed long enough to narrow its watches, a cluster expanded again shows what changed meanwhile', () =>
    s.step('collapse-expand', async () => {
      // Narrowed to the consumer by name, as a user with 200 contexts would, so its subtree fits in the view.
      await s.ui.runCommand('Liqo: Filter Clusters…');
      await s.ui.quickPick('Filter by Name…');
      await s.ui.inputBoxTitled('Filter the Liqo view by name', 'kind-mlops');
      await s.ui.waitForRows((r) => names(r).join('\n') === CONSUMER, 30_000, 'only the consumer');
      // The folder shows its count once the namespace list has loaded; until then it reads just "Namespaces".
      await s.ui.expand(CONSUMER);
      const counted = (r: { name: string }) => /^Namespaces, \d+$/.test(r.name);
      const before = childrenOf(
        await s.ui.waitForRows((rs) => childrenOf(rs, CONSUMER).some(counted), 60_000, 'a Namespaces folder with its count under the consumer'),
        CONSUMER,
      );
      const folder = before.find(counted);
      assert.ok(folder, `a Namespaces folder under the consumer: ${before.map((r) => r.name).join(' | ')}`);
      const count = Number(folder.name.split(', ')[1]);
      await s.ui.collapse(CONSUMER);
      await s.ui.page.waitForTimeout(NARROWED_AFTER_MS);
      const name = `while-collapsed-${Date.now().toString(36)}`;
      const tb = s.testbed;
      await run(tb.kubectl, ['--kubeconfig', tb.kubeconfig, '--context', 'kind-mlops-platform', 'create', 'namespace', name]);
      try {
        await s.ui.expand(CONSUMER);
        const rows = await s.ui.waitForRows((r) => childrenOf(r, CONSUMER).some((c) => c.name === `Namespaces, ${count + 1}`), 30_000, `Namespaces, ${count + 1}`);
        assert.ok(childrenOf(rows, CONSUMER).some((c) => c.name === `Namespaces, ${count + 1}`));
        const inside = await s.ui.children([CONSUMER, `Namespaces, ${count + 1}`], count + 1);
        assert.ok(inside.some((r) => r.name === name), `${name} listed: ${inside.map((r) => r.name).join(' | ')}`);
        await s.ui.screenshot('05-expanded-again');
      } finally {
        await run(tb.kubectl, ['--kubeconfig', tb.kubeconfig, '--context', 'kind-mlops-platform', 'delete', 'namespace', name, '--wait=false']);
      }
    }));
});
