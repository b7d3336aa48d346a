// Inside VS Code: Add Kubeconfig File… writes to the settings scope `liqo.kubeconfigs` comes from — the workspace's
// list when the (trusted) workspace has one, else the user's — and never copies one scope's entries into the other.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import manifest from '../../package.json' with { type: 'json' };
import { isCommandFailure } from '../../src/ui/commands/command.ts';

const KUBECONFIG = 'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "https://127.0.0.1:1"}\nusers:\n- name: u\n  user: {}\ncontexts:\n- name: added-by-host-test\n  context: {cluster: c, user: u}\n';

suite('Add Kubeconfig File… settings scope', () => {
  let dir: string;
  let file: string;
  let userBefore: string[] | undefined;
  const cfg = () => vscode.workspace.getConfiguration('liqo');

  suiteSetup(async () => {
    await vscode.extensions.getExtension(`${manifest.publisher}.${manifest.name}`)?.activate();
    dir = mkdtempSync(join(tmpdir(), 'liqo-add-'));
    file = join(dir, 'extra.kubeconfig');
    writeFileSync(file, KUBECONFIG, { mode: 0o600 });
    userBefore = cfg().inspect<string[]>('kubeconfigs')?.globalValue;
  });

  suiteTeardown(async () => {
    await cfg().update('kubeconfigs', undefined, vscode.ConfigurationTarget.Workspace);
    await cfg().update('kubeconfigs', userBefore, vscode.ConfigurationTarget.Global);
    rmSync(dir, { recursive: true, force: true });
  });

  test('a workspace list gets the entry; the user list is untouched', async function () {
    if (!vscode.workspace.workspaceFolders?.length || !vscode.workspace.isTrusted) this.skip();
    await cfg().update('kubeconfigs', ['./team.kubeconfig'], vscode.ConfigurationTarget.Workspace);
    const result: unknown = await vscode.commands.executeCommand('liqo.kubeconfig.add', vscode.Uri.file(file));
    assert.ok(!isCommandFailure(result), JSON.stringify(result));
    const info = cfg().inspect<string[]>('kubeconfigs');
    assert.deepEqual(info?.workspaceValue, ['./team.kubeconfig', file]);
    assert.deepEqual(info?.globalValue, userBefore);
    await cfg().update('kubeconfigs', undefined, vscode.ConfigurationTarget.Workspace);
  });

  test('without a workspace list the user list gets the entry, and no workspace value appears', async () => {
    const result: unknown = await vscode.commands.executeCommand('liqo.kubeconfig.add', vscode.Uri.file(file));
    assert.ok(!isCommandFailure(result), JSON.stringify(result));
    const info = cfg().inspect<string[]>('kubeconfigs');
    assert.deepEqual(info?.globalValue, [...(userBefore ?? []), file]);
    assert.equal(info?.workspaceValue, undefined);
  });
});
