// Issue 10 in the workbench: a copy of the test bed's cluster-b context whose server is 127.0.0.2, forwarded to the
// API server by a TCP forwarder this file starts. The certificate does not name 127.0.0.2, so the cluster's row shows
// the x509 name mismatch; the fix offered inline on that error row (Rewrite Server Address…) keeps the address and
// offers tls-server-name pre-filled with a name the certificate holds; after a diff and a confirmation the file has
// it and the cluster connects with TLS verified. Undo Last Kubeconfig Change puts the file back byte for byte and the
// error returns.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { openSession, sharedSetup } from '../lib/fixture.ts';
import type { Session } from '../lib/fixture.ts';
import { childrenOf, findRow } from '../pages/workbench-page.ts';
import { readCertificateNames } from '../../../src/infra/cluster/serverCertificate.ts';
import { certificateNames } from '../../../src/core/kubeconfig/tlsServerName.ts';

const run = promisify(execFile);
const CONTEXT = 'cluster-b';
const ALIAS = '127.0.0.2';
/** Until the extension host has started (minutes on a loaded machine). */
const STARTUP_MS = 240_000;
/** Until a cluster's row reflects a changed file: the watcher, a reload and a fresh connection. */
const SETTLE_MS = 180_000;

const liqoTab = (s: Session) => s.ui.page.locator('.activitybar').getByRole('tab', { name: /^Liqo\b/ });
const MISMATCH_ROOT = new RegExp(`^${CONTEXT}, Certificate not valid for ${ALIAS.replace(/\./g, '\\.')} \\(it names `);
const MISMATCH_ERROR = new RegExp(`^Certificate not valid for ${ALIAS.replace(/\./g, '\\.')} \\(it names .*\\), The address changed`);
const CONNECTED = new RegExp(`^${CONTEXT}, ${CONTEXT} · Liqo v\\d+\\.\\d+\\.\\d+ · healthy$`);
const rootNames = (rows: { name: string; level: number }[]) => rows.filter((r) => r.level === 1).map((r) => r.name);

describe('Rewrite Server Address… from the x509 error row, then Undo', () => {
  let s: Session;
  let dir: string;
  let file: string;
  let original: string;
  let forwarder: Server | undefined;
  const sockets = new Set<Socket>();
  let aliasServer: string;

  before(async () => {
    const { testbed: tb } = await sharedSetup();
    assert.ok(tb.contexts.includes(CONTEXT), `the test bed has a ${CONTEXT} context: ${tb.contexts.join(', ')}`);
    const flat = await run(tb.kubectl, ['--kubeconfig', tb.kubeconfig, 'config', 'view', '--minify', '--flatten', '--context', CONTEXT]);
    const server = /^\s+server: (https:\/\/[^\s]+)$/m.exec(flat.stdout)?.[1];
    assert.ok(server, `a server in the flattened ${CONTEXT} context`);
    const target = new URL(server);
    forwarder = createServer((client) => {
      const upstream = connect({ host: target.hostname, port: Number(target.port || 443) });
      for (const sock of [client, upstream]) {
        sockets.add(sock);
        sock.on('close', () => sockets.delete(sock));
        sock.on('error', () => sock.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      forwarder!.once('error', reject);
      forwarder!.listen(0, ALIAS, resolve);
    });
    aliasServer = `https://${ALIAS}:${(forwarder.address() as { port: number }).port}`;
    // A comment and the rest of kubectl's layout must survive the edit and the undo untouched.
    original = `# ${CONTEXT} through a forwarder at ${ALIAS} (e2e rewrite-server)\n${flat.stdout.replace(server, aliasServer)}`;
    assert.ok(original.includes(`server: ${aliasServer}\n`));
    assert.ok(!/tls-server-name|insecure-skip-tls-verify/.test(original), 'the copy starts without tls-server-name');
    dir = mkdtempSync(join(tmpdir(), 'liqo-e2e-rewrite-'));
    file = join(dir, 'cluster-b-forwarded.yaml');
    writeFileSync(file, original, { mode: 0o600 });
    s = await openSession('rewrite-server', { kubeconfigs: [file] });
  });
  after(async () => {
    await s?.close();
    for (const sock of sockets) sock.destroy();
    if (forwarder) await new Promise((resolve) => forwarder!.close(resolve));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the cluster shows the certificate name mismatch as an error row', () =>
    s.step('x509-error', async () => {
      await liqoTab(s).waitFor({ timeout: STARTUP_MS });
      await s.ui.openViewContainer('Liqo');
      await s.ui.setSideBarWidth(620);
      const rows = await s.ui.waitForRows((r) => rootNames(r).some((n) => MISMATCH_ROOT.test(n)), STARTUP_MS, `${CONTEXT} failing with the x509 name mismatch`);
      assert.equal(rootNames(rows).length, 1, `one context, from the copy only: ${rootNames(rows).join(' | ')}`);
      const errors = await s.ui.children(MISMATCH_ROOT, 1, 30_000);
      assert.equal(errors.length, 1);
      assert.match(errors[0]!.name, MISMATCH_ERROR);
      await s.ui.screenshot('01-x509-error-row');
    }));

  let tlsName = '';
  test('the inline fix on the error row offers a name the certificate holds; saved after a diff and a confirmation', () =>
    s.step('rewrite', async () => {
      const names = await readCertificateNames(aliasServer, { timeoutMs: 15_000 });
      assert.ok(!certificateNames(names, ALIAS), `the certificate does not name ${ALIAS}`);
      await s.ui.inlineAction([MISMATCH_ROOT, MISMATCH_ERROR], 'Rewrite Server Address');
      const input = s.ui.page.locator('.quick-input-widget input');
      await input.waitFor({ timeout: 60_000 });
      // The address stays; the input is the tls-server-name, pre-filled with a name read from the live certificate.
      await s.ui.page.locator('.quick-input-widget').getByText(`Keep "${CONTEXT}" at ${aliasServer}, verify TLS as`).waitFor({ timeout: 60_000 });
      tlsName = await input.inputValue();
      assert.ok(certificateNames(names, tlsName), `pre-filled with ${JSON.stringify(tlsName)}, a name the certificate holds: ${JSON.stringify(names)}`);
      // A name the certificate does not hold is refused as typed.
      await input.fill(ALIAS);
      const refusal = s.ui.page.locator('.quick-input-widget').getByText(`The certificate does not name ${ALIAS}`);
      await refusal.waitFor({ timeout: 15_000 });
      await input.fill(tlsName);
      await refusal.waitFor({ state: 'hidden', timeout: 15_000 });
      await s.ui.screenshot('02-name-prefilled');
      await input.press('Enter');
      // The edited file is probed, the diff opened, then the modal lists the edits.
      const dialog = s.ui.page.locator('.monaco-dialog-box');
      await dialog.waitFor({ timeout: 120_000 });
      await s.ui.screenshot('03-diff-and-confirmation');
      const text = await s.ui.dialogButton('Save');
      assert.ok(text.includes(`Rewrite server of "${CONTEXT}" to ${aliasServer} (tls-server-name ${tlsName}) in ${file}?`), `the confirmation names the address kept, the name and the file:\n${text}`);
      assert.match(text, new RegExp(`tls-server-name set to ${tlsName.replace(/\./g, '\\.')}`));
      assert.doesNotMatch(text, /insecure-skip-tls-verify/);
    }));

  test('the cluster connects; the file changed only by the tls-server-name line and still 0600', () =>
    s.step('connected', async () => {
      const rows = await s.ui.waitForRows((r) => rootNames(r).some((n) => CONNECTED.test(n)), SETTLE_MS, `${CONTEXT} connected`);
      assert.equal(findRow(rows, MISMATCH_ROOT), -1, 'the error is gone');
      await s.ui.screenshot('04-connected');
      const now = readFileSync(file, 'utf8');
      const added = now.split('\n').filter((l) => !original.split('\n').includes(l));
      assert.deepEqual(added.map((l) => l.trim()), [`tls-server-name: ${tlsName}`]);
      assert.equal(now.replace(/^[ \t]*tls-server-name: .*\n/m, ''), original, 'nothing else changed');
      assert.equal(statSync(file).mode & 0o777, 0o600);
      // The test bed's kubectl agrees: TLS verified through the name, at the address the certificate does not hold.
      const { testbed: tb } = await sharedSetup();
      const v = await run(tb.kubectl, ['--kubeconfig', file, '--context', CONTEXT, '--request-timeout', '20s', 'get', '--raw', '/version']);
      assert.match(v.stdout, /"gitVersion"/);
    }));

  test('Undo Last Kubeconfig Change restores the file byte for byte and the error returns', () =>
    s.step('undo', async () => {
      await s.ui.runCommand('Liqo: Undo Last Kubeconfig Change');
      const text = await s.ui.dialogButton('Undo', 60_000);
      assert.match(text, new RegExp(`Undo "Rewrite server of "${CONTEXT}"`));
      const deadline = Date.now() + 30_000;
      while (readFileSync(file, 'utf8') !== original && Date.now() < deadline) await s.ui.page.waitForTimeout(250);
      assert.equal(readFileSync(file, 'utf8'), original, 'the file is back byte for byte');
      const rows = await s.ui.waitForRows((r) => rootNames(r).some((n) => MISMATCH_ROOT.test(n)), SETTLE_MS, `${CONTEXT} failing again`);
      assert.ok(!rootNames(rows).some((n) => CONNECTED.test(n)));
      const errors = await s.ui.children(MISMATCH_ROOT, 1, 30_000);
      assert.match(errors[0]!.name, MISMATCH_ERROR);
      assert.equal(childrenOf(await s.ui.allRows(), MISMATCH_ROOT).length, 1);
      await s.ui.screenshot('05-undone-error-again');
    }));
});
