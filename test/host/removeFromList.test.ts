// Inside VS Code: Remove from List on a file that is read because its folder is listed in liqo.kubeconfigs asks
// first, naming the folder's files, and offers hiding that file's contexts instead; only "Remove Folder Entry"
// removes the entry. The question is answered by replacing window.showWarningMessage for the test (the real modal
// cannot be clicked from inside the extension host).
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import manifest from '../../package.json' with { type: 'json' };
import { isCommandFailure } from '../../src/ui/commands/command.ts';

const kubeconfig = (name: string): string =>
  `apiVersion: v1\nkind: Config\nclusters:\n- name: ${name}\n  cluster: {server: "https://127.0.0.1:1"}\nusers:\n- name: ${name}\n  user: {}\ncontexts:\n- name: ${name}\n  context: {cluster: ${name}, user: ${name}}\n`;

type WarningFn = (message: string, options: vscode.MessageOptions, ...items: string[]) => Thenable<string | undefined>;

suite('Remove from List on a file of a listed folder', () => {
  let dir: string;
  let folder: string;
  let userBefore: string[] | undefined;
  const cfg = () => vscode.workspace.getConfiguration('liqo');
  const window = vscode.window as unknown as { showWarningMessage: WarningFn };
  const original = window.showWarningMessage;

  suiteSetup(async () => {
    await vscode.extensions.getExtension(`${manifest.publisher}.${manifest.name}`)?.activate();
    dir = mkdtempSync(join(tmpdir(), 'liqo-remove-'));
    folder = join(dir, 'kubes');
    mkdirSync(folder);
    writeFileSync(join(folder, 'a.yaml'), kubeconfig('remove-test-a'), { mode: 0o600 });
    writeFileSync(join(folder, 'b.yaml'), kubeconfig('remove-test-b'), { mode: 0o600 });
    userBefore = cfg().inspect<string[]>('kubeconfigs')?.globalValue;
    await cfg().update('kubeconfigs', [...(userBefore ?? []), folder], vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('liqo.federation.refresh');
  });

  suiteTeardown(async () => {
    window.showWarningMessage = original;
    await cfg().update('kubeconfigs', userBefore, vscode.ConfigurationTarget.Global);
    rmSync(dir, { recursive: true, force: true });
  });

  test('it asks, naming the folder and its files; declining or hiding keeps the folder entry; only Remove removes it', async () => {
    const asked: { message: string; detail: string | undefined; items: string[] }[] = [];
    let answer: (items: string[]) => string | undefined = () => undefined;
    window.showWarningMessage = async (message, options, ...items) => {
      asked.push({ message, detail: options?.detail, items });
      return answer(items);
    };
    const row = `${join(folder, 'a.yaml')}#remove-test-a`;
    const listed = () => cfg().inspect<string[]>('kubeconfigs')?.globalValue ?? [];

    let result: unknown = await vscode.commands.executeCommand('liqo.kubeconfig.removeFromList', row);
    assert.ok(!isCommandFailure(result), JSON.stringify(result));
    assert.equal(asked.length, 1, 'the folder entry was removed without asking');
    assert.ok(asked[0]!.message.includes(folder));
    assert.ok(asked[0]!.detail?.includes('a.yaml') && asked[0]!.detail.includes('b.yaml'), asked[0]!.detail);
    assert.ok(listed().includes(folder), 'declining removed the folder entry');

    answer = (items) => items.find((i) => i.startsWith('Hide'));
    result = await vscode.commands.executeCommand('liqo.kubeconfig.removeFromList', row);
    assert.ok(!isCommandFailure(result), JSON.stringify(result));
    assert.ok(listed().includes(folder), 'hiding the file removed the folder entry');

    answer = (items) => items.find((i) => i === 'Remove Folder Entry');
    result = await vscode.commands.executeCommand('liqo.kubeconfig.removeFromList', row);
    assert.ok(!isCommandFailure(result), JSON.stringify(result));
    assert.ok(!listed().includes(folder), 'Remove Folder Entry kept the entry');
  });
});
