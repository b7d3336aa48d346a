// A tiny helper extension for `npm run demo` only: when the workbench starts it opens the Liqo view, so the URL the
// demo prints shows the federation tree at once (VS Code remembers the last view per browser, which a fresh browser
// doesn't have). Packaged with the project's vsce into the demo's scratch dir; never part of the product.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths.ts';
import { runCommand } from './procs.ts';

export async function buildOpenerVsix(dir: string, viewContainerCommand = 'workbench.view.extension.liqo'): Promise<string> {
  const src = join(dir, 'liqo-demo-opener');
  mkdirSync(src, { recursive: true });
  writeFileSync(
    join(src, 'package.json'),
    JSON.stringify(
      {
        name: 'liqo-demo-opener',
        displayName: 'Liqo demo: open the Liqo view at startup',
        publisher: 'liqo-vscode-demo',
        version: '0.0.1',
        license: 'Apache-2.0',
        repository: { type: 'git', url: 'https://example.invalid/liqo-vscode.git' },
        engines: { vscode: '^1.100.0' },
        main: './extension.js',
        activationEvents: ['onStartupFinished'],
      },
      null,
      2,
    ),
  );
  writeFileSync(
    join(src, 'extension.js'),
    `const vscode = require('vscode');\nexports.activate = () => { void vscode.commands.executeCommand(${JSON.stringify(viewContainerCommand)}); };\n`,
  );
  writeFileSync(join(src, 'README.md'), 'Opens the Liqo view when the demo workbench starts.\n');
  writeFileSync(join(src, 'LICENSE'), 'Apache-2.0\n');
  const out = join(dir, 'liqo-demo-opener.vsix');
  const res = await runCommand(process.execPath, [join(repoRoot, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '--out', out], {
    cwd: src,
    env: process.env,
    timeoutMs: 60_000,
  });
  if (res.code !== 0) throw new Error(`packaging the demo opener failed:\n${res.stdout}\n${res.stderr}`);
  return out;
}
