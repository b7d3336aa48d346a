// VS Code Kubernetes Tools users (issue 23): the kubeconfig files its settings name (`vs-kubernetes.kubeconfig`,
// `vs-kubernetes.knownKubeconfigs`, in the User settings as that extension writes them; the extension itself is not
// installed) are offered once as sources of the Liqo view. Add puts them in liqo.kubeconfigs and their contexts show in
// the tree; a missing and a broken file are named, not added. After a reload nothing is offered again; a file added
// later to Kubernetes Tools' list is offered on its own (next window), and Not now leaves liqo.kubeconfigs as it was.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openSession } from '../lib/fixture.ts';
import type { Session } from '../lib/fixture.ts';
import type { Locator } from 'playwright-core';

const CONSUMER = 'kind-mlops-platform, kind-mlops-platform · Liqo v1.0.1 · healthy';
/** A kubeconfig whose one context names a loopback port nothing listens on (its row shows it unreachable). */
const kubeconfig = (context: string) =>
  `apiVersion: v1\nkind: Config\nclusters:\n- name: ${context}\n  cluster: {server: "https://127.0.0.1:1"}\nusers:\n- name: u\n  user: {}\ncontexts:\n- name: ${context}\n  context: {cluster: ${context}, user: u}\n`;

describe('Kubernetes Tools kubeconfigs offered once', () => {
  let s: Session;
  let dir: string;
  const file = (name: string) => join(dir, name);
  const toast = (text: RegExp) => s.ui.page.locator('.notifications-toasts .notification-list-item').filter({ hasText: text });
  /** liqo.kubeconfigs as every settings file of the workbench holds it (User and the remote Machine layer). */
  const listed = (): string[] =>
    ['User', 'Machine']
      .map((layer) => join(s.wb.userDataDir, layer, 'settings.json'))
      .filter((f) => existsSync(f))
      .flatMap((f) => ((JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>)['liqo.kubeconfigs'] as string[] | undefined) ?? []);
  const userSettingsFile = () => join(s.wb.userDataDir, 'User', 'settings.json');
  /**
   * A notification as a toast or, when other toasts pushed it out (the view's failure alerts for the unreachable
   * contexts), in the notification center.
   */
  const notification = async (text: RegExp, timeoutMs: number): Promise<Locator> => {
    const deadline = Date.now() + timeoutMs;
    const center = s.ui.page.locator('.notifications-center .notification-list-item').filter({ hasText: text });
    for (;;) {
      if (await toast(text).count()) return toast(text).first();
      if (await center.count()) return center.first();
      if (Date.now() > deadline) throw new Error(`no notification matching ${text} within ${timeoutMs} ms`);
      if (!(await s.ui.page.locator('.notifications-center.visible').count())) await s.ui.runCommand('Notifications: Show Notifications');
      await s.ui.page.waitForTimeout(1_000);
    }
  };
  /** Clicks a button of that notification (found again if it moved from the toasts to the center meanwhile). */
  const answer = async (text: RegExp, button: string): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      const n = await notification(text, 30_000);
      try {
        await n.getByRole('button', { name: button, exact: true }).click({ timeout: 5_000 });
        return;
      } catch (err) {
        if (attempt >= 5) throw err;
      }
    }
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'liqo-kt-'));
    writeFileSync(file('dev.kubeconfig'), kubeconfig('kt-dev'), { mode: 0o600 });
    writeFileSync(file('known.kubeconfig'), kubeconfig('kt-known'), { mode: 0o600 });
    writeFileSync(file('broken.kubeconfig'), 'apiVersion: v1\nkind: Config\ncontexts: [unclosed\n', { mode: 0o600 });
    writeFileSync(file('third.kubeconfig'), kubeconfig('kt-third'), { mode: 0o600 });
    s = await openSession('kubernetes-tools', {
      userSettings: {
        'vs-kubernetes': {
          'vs-kubernetes.kubeconfig': file('dev.kubeconfig'),
          'vs-kubernetes.knownKubeconfigs': [file('known.kubeconfig'), file('missing.kubeconfig'), file('broken.kubeconfig')],
        },
      },
    });
  });
  after(async () => {
    await s?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('offered with Add / Not now; Add shows their contexts; the missing and the broken one are named, not added', () =>
    s.step('offer', async () => {
      await s.ui.openViewContainer('Liqo');
      await s.ui.setSideBarWidth(620);
      await s.ui.row(CONSUMER, 90_000);
      const offer = await notification(/VS Code Kubernetes Tools uses 2 files/, 90_000);
      const text = await offer.innerText();
      assert.ok(text.includes(file('dev.kubeconfig')) && text.includes(file('known.kubeconfig')), text);
      const warning = await (await notification(/cannot use/, 10_000)).innerText();
      assert.ok(warning.includes(`${file('missing.kubeconfig')} does not exist`), warning);
      assert.ok(warning.includes(`${file('broken.kubeconfig')} is not a valid kubeconfig`), warning);
      await s.ui.screenshot('01-offer');
      await answer(/VS Code Kubernetes Tools uses 2 files/, 'Add');
      await s.ui.waitForRows((r) => r.some((x) => x.name.startsWith('kt-dev, ')) && r.some((x) => x.name.startsWith('kt-known, ')), 60_000, 'kt-dev and kt-known rows');
      const now = listed();
      assert.ok(now.includes(file('dev.kubeconfig')) && now.includes(file('known.kubeconfig')), now.join(', '));
      assert.ok(!now.includes(file('missing.kubeconfig')) && !now.includes(file('broken.kubeconfig')), now.join(', '));
      await s.ui.screenshot('02-added');
    }));

  test('after a reload nothing is offered again; a file added later is offered alone, and Not now adds nothing', () =>
    s.step('once', async () => {
      await s.ui.reloadWindow(s.wb.url);
      await s.ui.openViewContainer('Liqo');
      await s.ui.row(CONSUMER, 90_000);
      await s.ui.waitForRows((r) => r.some((x) => x.name.startsWith('kt-dev, ')), 60_000, 'kt-dev row after the reload');
      // the offer runs at activation, before the rows come: give it time to (wrongly) show
      await s.ui.page.waitForTimeout(5_000);
      const shown = await s.ui.notifications();
      assert.ok(!shown.some((t) => /Kubernetes Tools/.test(t)), `no offer or warning again: ${shown.join(' | ')}`);
      const before = listed();
      // Kubernetes Tools' list grows (as its Set Kubeconfig command would do it): only the new file is offered
      const settings = JSON.parse(readFileSync(userSettingsFile(), 'utf8')) as Record<string, Record<string, unknown>>;
      settings['vs-kubernetes']!['vs-kubernetes.knownKubeconfigs'] = [...(settings['vs-kubernetes']!['vs-kubernetes.knownKubeconfigs'] as string[]), file('third.kubeconfig')];
      writeFileSync(userSettingsFile(), JSON.stringify(settings, null, 2));
      // A settings file edited behind the workbench's back is not reliably reported as a configuration change in
      // code-server: the next window (activation) looks at the list again.
      await s.ui.reloadWindow(s.wb.url);
      await s.ui.openViewContainer('Liqo');
      await s.ui.row(CONSUMER, 90_000);
      const offer = await notification(/VS Code Kubernetes Tools uses/, 90_000);
      const text = await offer.innerText();
      assert.ok(text.includes(file('third.kubeconfig')), text);
      assert.ok(!text.includes(file('dev.kubeconfig')) && !text.includes(file('known.kubeconfig')), text);
      assert.equal(await s.ui.page.locator('.notification-list-item').filter({ hasText: /cannot use/ }).count(), 0, 'the missing and broken files are not named a second time');
      await s.ui.screenshot('03-offer-new-file');
      await answer(/VS Code Kubernetes Tools uses/, 'Not now');
      await s.ui.page.waitForTimeout(2_000);
      assert.deepEqual(listed(), before);
    }));
});
