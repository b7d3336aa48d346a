// A read-only context by clicks on seed-000 in the real workbench (issue 23): Mark Context Read-Only on the
// consumer's row puts the lock on it (and the menu then offers Allow Writes instead); Unpeer… on its peering row is
// refused with the setting and the entry named, before any dialog; Allow Writes to Context lifts the lock.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openSession } from '../lib/fixture.ts';
import type { Session } from '../lib/fixture.ts';

const CONSUMER = 'kind-mlops-platform, kind-mlops-platform · Liqo v1.0.1 · healthy';
const LOCKED = /^kind-mlops-platform, read-only · kind-mlops-platform · Liqo v1\.0\.1 · healthy$/;
const PEERING = /^cluster-b, Provider · healthy · ⇄ cluster-b$/;

describe('Read-only context on seed-000', () => {
  let s: Session;

  before(async () => {
    s = await openSession('read-only');
  });
  after(async () => {
    await s?.close();
  });

  test('Mark Context Read-Only: the lock on the row, Allow Writes in its menu', () =>
    s.step('mark', async () => {
      await s.ui.openViewContainer('Liqo');
      await s.ui.setSideBarWidth(620);
      await s.ui.waitForRows((r) => r.some((x) => x.name === CONSUMER), 60_000, 'the consumer with Liqo');
      await s.ui.contextMenu(CONSUMER, 'Mark Context Read-Only');
      await s.ui.waitForRows((r) => r.some((x) => LOCKED.test(x.name)), 30_000, 'the lock on the consumer row');
      const menu = await s.ui.contextMenuItems(LOCKED);
      assert.ok(menu.includes('Allow Writes to Context'), menu.join(' | '));
      assert.ok(!menu.includes('Mark Context Read-Only'), menu.join(' | '));
      await s.ui.screenshot('01-locked-row');
    }));

  test('Unpeer… on its peering row is refused, naming liqo.readOnlyContexts and the way out', () =>
    s.step('unpeer-refused', async () => {
      await s.ui.expand(LOCKED);
      await s.ui.expand([LOCKED, 'Peerings, 1']);
      await s.ui.contextMenu([LOCKED, 'Peerings, 1', PEERING], 'Unpeer…');
      const end = Date.now() + 30_000;
      let shown: string[] = [];
      while (Date.now() < end) {
        shown = await s.ui.notifications();
        if (shown.some((n) => /refused/.test(n))) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      const refusal = shown.find((n) => /refused/.test(n));
      assert.ok(refusal, `notifications: ${shown.join(' | ')}`);
      assert.match(refusal, /Unpeer… refused: context "kind-mlops-platform" is read-only/);
      assert.match(refusal, /liqo\.readOnlyContexts/);
      assert.match(refusal, /Allow Writes to Context/);
      await s.ui.screenshot('02-unpeer-refused');
    }));

  test('Allow Writes to Context lifts the lock', () =>
    s.step('allow', async () => {
      await s.ui.contextMenu(LOCKED, 'Allow Writes to Context');
      await s.ui.waitForRows((r) => r.some((x) => x.name === CONSUMER), 30_000, 'the consumer row without the lock');
    }));
});
