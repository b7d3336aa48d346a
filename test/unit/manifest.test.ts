// The manifest and the code agree, checked without VS Code: command ids in src/ui/commands against package.json,
// menus only reference declared commands, settings read by the code are declared with a description.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const manifest = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as {
  contributes: {
    commands: { command: string; title: string; category: string }[];
    menus: Record<string, { command: string }[]>;
    configuration: { properties: Record<string, { description?: string; markdownDescription?: string }> };
  };
  activationEvents: string[];
  extensionKind?: string[];
};

async function commandIdsInSource(): Promise<string[]> {
  const dir = path.join(root, 'src/ui/commands');
  const ids: string[] = [];
  for (const f of await readdir(dir)) {
    const text = await readFile(path.join(dir, f), 'utf8');
    for (const m of text.matchAll(/\bid: '(liqo\.[^']+)'/g)) ids.push(m[1]!);
  }
  return ids.sort();
}

test('each command file declares one id, and the ids are exactly those in package.json', async () => {
  const inSource = await commandIdsInSource();
  assert.equal(new Set(inSource).size, inSource.length, 'no id twice');
  assert.deepEqual(inSource, manifest.contributes.commands.map((c) => c.command).sort());
});

test('commands follow the naming rules: liqo.<noun>.<verb>, category Liqo, Title Case', () => {
  for (const c of manifest.contributes.commands) {
    assert.match(c.command, /^liqo\.[a-z]+\.[a-zA-Z]+$/, c.command);
    assert.equal(c.category, 'Liqo', c.command);
    // A hyphenated word is Title Case in each part ("Read-Only").
    assert.match(c.title, /^[A-Z][A-Za-z]*(-[A-Z][A-Za-z]*)*( [A-Z][A-Za-z]*(-[A-Z][A-Za-z]*)*| in| to| from| by| over| or)*( YAML)?[…?]?$/, c.title);
  }
});

test('menus only reference declared commands', () => {
  const declared = new Set(manifest.contributes.commands.map((c) => c.command));
  for (const [menu, items] of Object.entries(manifest.contributes.menus)) {
    for (const item of items) assert.ok(declared.has(item.command), `${menu} → ${item.command}`);
  }
});

test('every setting has a description', () => {
  for (const [key, prop] of Object.entries(manifest.contributes.configuration.properties)) {
    assert.match(key, /^liqo\./);
    assert.ok((prop.description ?? prop.markdownDescription ?? '').length > 20, key);
  }
});

test('activation: when the view opens or a command runs, and after startup for the first-run walkthrough only', () => {
  // onStartupFinished opens "Federate two clusters" once per profile; activate() connects nothing until the view shows
  assert.deepEqual(manifest.activationEvents, ['onStartupFinished']);
});

test('the extension runs where kubectl and the kubeconfigs are: the workspace (remote) side', () => {
  // Under Remote-SSH, WSL and containers the kubeconfigs, credential plugins and liqoctl live on the remote host.
  assert.deepEqual(manifest.extensionKind, ['workspace']);
});
