// Inside VS Code: every command package.json declares is registered by the extension exactly once, and every
// command the extension registers is declared.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import manifest from '../../package.json' with { type: 'json' };
import { allCommands } from '../../src/ui/commands/index.ts';
import { isCommandFailure } from '../../src/ui/commands/command.ts';

const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;
/** Commands the workbench itself generates for our view container and view. */
const WORKBENCH_GENERATED = /^liqo\.(federation|drift)\.(focus|resetViewLocation|toggleVisibility|removeView|open)$/;

suite('Commands', () => {
  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is installed`);
    await ext.activate();
  });

  test('the command table has no duplicate id', () => {
    const ids = allCommands.map((c) => c.id);
    assert.equal(new Set(ids).size, ids.length, `duplicates in ${ids.join(', ')}`);
  });

  test('every declared command is registered, and every registered liqo command is declared', async () => {
    const declared = manifest.contributes.commands.map((c) => c.command).sort();
    const ours = allCommands.map((c) => c.id).sort();
    assert.deepEqual(ours, declared);
    const registered = (await vscode.commands.getCommands(true)).filter((c) => c.startsWith('liqo.') && !WORKBENCH_GENERATED.test(c));
    assert.deepEqual([...new Set(registered)].sort(), declared);
  });

  // The command wrapper shows an error to the user and returns it as a CommandFailure (it never rethrows: a menu
  // would show it twice). These two tests hold each other up: the second proves a failure reaches the caller.
  test('Refresh runs without error from the palette and reloads the kubeconfigs', async () => {
    const result: unknown = await vscode.commands.executeCommand('liqo.federation.refresh');
    assert.ok(!isCommandFailure(result), `Refresh failed: ${isCommandFailure(result) ? result.message : ''}`);
    assert.equal(typeof (result as { contexts?: unknown } | undefined)?.contexts, 'number', `Refresh returned ${JSON.stringify(result)}`);
  });

  test('a command that fails returns its failure to the caller', async () => {
    const missing = '/nonexistent/liqo-host-test/kubeconfig';
    const result: unknown = await vscode.commands.executeCommand('liqo.kubeconfig.open', missing);
    assert.ok(isCommandFailure(result), `expected a CommandFailure, got ${JSON.stringify(result)}`);
    assert.equal(result.command, 'liqo.kubeconfig.open');
  });
});
