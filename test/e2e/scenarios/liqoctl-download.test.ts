// The liqoctl offers in the workbench (issue 11), against a release server on loopback that serves Liqo's layout
// with the test bed's real liqoctl v1.0.1 packed inside. With `liqo.liqoctlPath` pointing at a file that is not
// there (in the User settings), Peer Clusters… stops right after the two clusters are picked, before any option is
// asked, with a modal that says how to get liqoctl and offers the release the clusters run; Download fetches it,
// verifies its checksum, installs it into the extension's storage, sets it as liqo.liqoctlPath, and the command goes on to its confirmation (which is cancelled: nothing is peered). Then Download
// Liqoctl… from the palette for a release whose archive was tampered with is refused, names the checksum, installs
// nothing and leaves the setting as it was. Last, the Settings editor's User tab, where the modal sends the user,
// finds liqo.liqoctlPath.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { openSession, sharedSetup } from '../lib/fixture.ts';
import type { Session } from '../lib/fixture.ts';
import { answerPeerOptions, pickPeerSides } from '../pages/peer-flow.ts';
import { assetName, releaseArchive, sha256, startReleaseServer, tampered, type ReleaseServer } from '../../integration/support/liqoctlRelease.ts';

const run = promisify(execFile);
const CONSUMER = /^kind-mlops-platform, kind-mlops-platform · Liqo v1\.0\.1/;
/** Until the extension host has started (minutes on a loaded machine). */
const STARTUP_MS = 240_000;
const liqoTab = (s: Session) => s.ui.page.locator('.activitybar').getByRole('tab', { name: /^Liqo\b/ });

/** Every file below `dir` whose path ends with `suffix`. */
function filesEnding(dir: string, suffix: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith(suffix)) out.push(p);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

/**
 * liqo.liqoctlPath as the settings files of the remote ("Machine") layer hold it: the setting is machine-scoped, so in
 * a remote window — every code-server window is one — that layer is where it is read from and written to; code-server
 * keeps it in <user-data>/Machine.
 */
/** liqo.liqoctlPath as the User settings file holds it (window scope: where the Settings editor's User tab writes). */
function liqoctlPathSetting(s: Session): string[] {
  return [join(s.wb.userDataDir, 'User', 'settings.json')]
    .filter((f) => existsSync(f))
    .map((f) => (JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown>)['liqo.liqoctlPath'])
    .filter((v): v is string => typeof v === 'string');
}

describe('liqoctl missing: the offer to download the matching release, checksum verified; a tampered one refused', () => {
  let s: Session;
  let release: ReleaseServer;
  let missing: string;

  before(async () => {
    const { testbed } = await sharedSetup();
    const archive = await releaseArchive(testbed.liqoctl);
    release = await startReleaseServer();
    release.routes.set(`/releases/download/v1.0.1/${assetName()}`, archive);
    release.routes.set(`/releases/download/v1.0.1/checksums.txt`, Buffer.from(`${sha256(archive)}  ${assetName()}\n`));
    release.routes.set(`/releases/download/v1.0.2/${assetName()}`, tampered(archive));
    release.routes.set(`/releases/download/v1.0.2/${assetName()}.sha256`, Buffer.from(`${sha256(archive)}\n`));
    missing = join(testbed.binDir, 'not-here', 'liqoctl');
    // liqoctlPath where a user sets it: the User settings (a machine-scoped setting was read only from the remote
    // "Machine" layer, which code-server's Settings editor does not show)
    s = await openSession('liqoctl-download', { settings: { 'liqo.liqoctlDownloadBaseUrl': release.base }, userSettings: { 'liqo.liqoctlPath': missing } });
  });
  after(async () => {
    await s?.close();
    await release?.close();
  });

  test('Peer Clusters… without liqoctl: a modal says how to get it and offers the release the clusters run', () =>
    s.step('offer', async () => {
      await liqoTab(s).waitFor({ timeout: STARTUP_MS });
      await s.ui.openViewContainer('Liqo');
      await s.ui.setSideBarWidth(620);
      await s.ui.row(CONSUMER, 90_000);
      // right after the two clusters: no option is asked before liqoctl is known to be there
      await pickPeerSides(s.ui, 'kind-mlops-platform', 'cluster-b');
      await s.ui.page.locator('.monaco-dialog-box').waitFor({ timeout: 60_000 });
      await s.ui.screenshot('01-offer');
      const text = await s.ui.dialogButton('Download liqoctl v1.0.1');
      assert.ok(text.includes(`liqoctl was not found (${missing})`), text);
      assert.match(text, /kind-mlops-platform runs Liqo v1\.0\.1/);
      assert.match(text, /cluster-b runs Liqo v1\.0\.1/);
    }));

  test('Download: verified, installed into the extension storage, set as liqo.liqoctlPath; the command goes on', () =>
    s.step('download', async () => {
      // the downloaded liqoctl answered `version` with the clusters' release: the pre-flight passed to the options, then
      // the confirmation
      await answerPeerOptions(s.ui);
      const text = await s.ui.dialogButton('Cancel', 120_000);
      assert.match(text, /Peer kind-mlops-platform with cluster-b\?/);
      const note = s.ui.page.locator('.notifications-toasts').getByText(/liqoctl v1\.0\.1 \(checksum verified\) is installed at/);
      await note.waitFor({ timeout: 30_000 });
      const installed = filesEnding(s.wb.runDir, join('liqoctl', 'v1.0.1', 'liqoctl'));
      assert.equal(installed.length, 1, `one liqoctl v1.0.1 under the workbench's folders: ${installed.join(', ')}`);
      const bin = installed[0]!;
      assert.ok(bin.includes('globalStorage'), `in the extension's global storage: ${bin}`);
      assert.ok((statSync(bin).mode & 0o111) !== 0, 'executable');
      assert.match((await run(bin, ['version', '--client'])).stdout, /v1\.0\.1/);
      assert.deepEqual(liqoctlPathSetting(s), [bin], 'liqo.liqoctlPath now names the downloaded binary');
      // the checksum came from the release (the sidecar first, 404 here, then checksums.txt) before the archive
      const asked = release.requests.filter((r) => r.includes('/v1.0.1/'));
      assert.deepEqual(asked.slice(-3), [`/releases/download/v1.0.1/${assetName()}.sha256`, '/releases/download/v1.0.1/checksums.txt', `/releases/download/v1.0.1/${assetName()}`]);
      await s.ui.screenshot('02-downloaded');
    }));

  test('Download Liqoctl… of a tampered release: refused with its checksum, nothing installed, the setting kept', () =>
    s.step('tampered', async () => {
      const before = liqoctlPathSetting(s);
      await s.ui.runCommand('Liqo: Download Liqoctl…');
      await s.ui.inputBoxTitled('Download liqoctl: Liqo release', 'v1.0.2');
      const error = s.ui.page.locator('.notifications-toasts').getByText(/does not match its checksum/);
      await error.waitFor({ timeout: 60_000 });
      assert.equal(filesEnding(s.wb.runDir, join('liqoctl', 'v1.0.2', 'liqoctl')).length, 0, 'no v1.0.2 binary anywhere');
      assert.deepEqual(liqoctlPathSetting(s), before);
      await s.ui.screenshot('03-tampered');
    }));

  test('the Settings editor\'s User tab, where the modal sends the user, shows liqo.liqoctlPath', () =>
    s.step('user-settings', async () => {
      await s.ui.runCommand('Preferences: Open User Settings');
      const editor = s.ui.page.locator('.settings-editor');
      await editor.waitFor({ timeout: 30_000 });
      // the search box has the focus when the editor opens
      await s.ui.page.keyboard.type('liqo.liqoctlPath');
      const item = editor.locator('.setting-item-contents').filter({ hasText: 'Liqoctl Path' }).first();
      await item.waitFor({ timeout: 30_000 });
      assert.match(await editor.locator('.settings-tabs-widget .action-item.checked, .settings-tabs-widget [aria-selected=true]').first().innerText(), /User/);
      await s.ui.screenshot('04-user-settings');
    }));
});
