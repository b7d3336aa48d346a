// Inside VS Code: undoing a change that added a liqo.kubeconfigs entry (what Import Kubeconfig over SSH saves)
// removes the file and that entry, so no "file not found" row is left. The change is made on the extension's own
// backup ring (in its global storage, shared under the ring's lock as a second window would), then undone through
// the command; its confirmation is answered by replacing window.showWarningMessage for the test.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import manifest from '../../package.json' with { type: 'json' };
import { isCommandFailure } from '../../src/ui/commands/command.ts';
import { KubeconfigWriter, readSnapshot } from '../../src/infra/kubeconfig/writer.ts';

const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;
const KUBECONFIG = 'apiVersion: v1\nkind: Config\nclusters:\n- name: imp\n  cluster: {server: "https://127.0.0.1:1"}\nusers:\n- name: imp\n  user: {token: dG9r}\ncontexts:\n- name: undo-import-test\n  context: {cluster: imp, user: imp}\n';

type WarningFn = (message: string, options: vscode.MessageOptions, ...items: string[]) => Thenable<string | undefined>;

suite('Undo of an import', () => {
  let dir: string;
  let userBefore: string[] | undefined;
  const cfg = () => vscode.workspace.getConfiguration('liqo');
  const window = vscode.window as unknown as { showWarningMessage: WarningFn };
  const original = window.showWarningMessage;

  suiteSetup(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    dir = mkdtempSync(join(tmpdir(), 'liqo-undo-import-'));
    userBefore = cfg().inspect<string[]>('kubeconfigs')?.globalValue;
  });

  suiteTeardown(async () => {
    window.showWarningMessage = original;
    await cfg().update('kubeconfigs', userBefore, vscode.ConfigurationTarget.Global);
    rmSync(dir, { recursive: true, force: true });
  });

  test('removes the imported file and its liqo.kubeconfigs entry', async function () {
    const userData = process.env.LIQO_HOST_USER_DATA_DIR;
    if (!userData) this.skip(); // desktop runs (npm run test:host) do not say where the user data folder is
    const ring = join(userData, 'User', 'globalStorage', EXTENSION_ID.toLowerCase(), 'kubeconfig-backups');
    const file = join(dir, 'imported.yaml');
    const out = await new KubeconfigWriter(ring).write(await readSnapshot(file), KUBECONFIG, `Import host:/etc/rancher/k3s/k3s.yaml (${file})`, { listEntry: file });
    await cfg().update('kubeconfigs', [...(userBefore ?? []), file], vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('liqo.federation.refresh');
    window.showWarningMessage = async () => 'Undo';
    const result: unknown = await vscode.commands.executeCommand('liqo.kubeconfig.undo', out.backup.id);
    assert.ok(!isCommandFailure(result), JSON.stringify(result));
    assert.ok(!existsSync(file), 'the imported file is still there');
    const listed = cfg().inspect<string[]>('kubeconfigs')?.globalValue ?? [];
    assert.ok(!listed.includes(file), `liqo.kubeconfigs still lists ${file}`);
  });
});
