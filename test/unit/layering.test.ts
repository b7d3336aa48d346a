// The layering rules are enforced by lint: ESLint's API lints code as if it stood at a path in src/, nothing is
// written to disk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { ESLint } from 'eslint';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function messagesFor(code: string, file: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

test('a vscode import in src/core or src/infra fails lint; in src/ui it does not', async () => {
  const code = "import * as vscode from 'vscode';\nexport const v = vscode;\n";
  assert.match((await messagesFor(code, 'src/core/probe.ts')).join('\n'), /no-restricted-imports: .*vscode/);
  assert.match((await messagesFor(code, 'src/infra/probe.ts')).join('\n'), /no-restricted-imports: .*vscode/);
  assert.deepEqual(await messagesFor(code, 'src/ui/probe.ts'), []);
});

test('imports against ui → infra → core fail lint', async () => {
  const infraFromCore = "import { FederationModel } from '../infra/federationModel.ts';\nexport const m = FederationModel;\n";
  assert.match((await messagesFor(infraFromCore, 'src/core/probe.ts')).join('\n'), /must not import from src\/infra/);
  const uiFromInfra = "import { allCommands } from '../ui/commands/index.ts';\nexport const c = allCommands;\n";
  assert.match((await messagesFor(uiFromInfra, 'src/infra/probe.ts')).join('\n'), /must not import from src\/ui/);
});

test('src/core does no I/O: fs, net and child processes are refused there', async () => {
  for (const mod of ['node:fs', 'fs/promises', 'node:child_process', 'https', '@kubernetes/client-node', 'execa']) {
    const msgs = await messagesFor(`import * as m from '${mod}';\nexport const x = m;\n`, 'src/core/probe.ts');
    assert.match(msgs.join('\n'), /src\/core is pure/, mod);
  }
});

test('only src/infra/cluster opens network connections: http, http2, tls, net and client-node are refused elsewhere', async () => {
  for (const mod of ['node:http2', 'node:https', 'node:tls', 'net', '@kubernetes/client-node']) {
    const code = `import * as m from '${mod}';\nexport const x = m;\n`;
    assert.match((await messagesFor(code, 'src/infra/kubeconfig/probe.ts')).join('\n'), /Only src\/infra\/cluster talks to API servers/, mod);
    assert.match((await messagesFor(code, 'src/ui/probe.ts')).join('\n'), /Only src\/infra\/cluster talks to API servers/, mod);
    assert.deepEqual(await messagesFor(code, 'src/infra/cluster/probe.ts'), [], mod);
  }
});
