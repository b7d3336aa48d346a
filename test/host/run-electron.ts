// npm run test:host — the extension-host suite (test/host/**/*.test.ts, bundled by `node esbuild.js --host-tests`)
// in desktop VS Code through @vscode/test-electron, for machines that can download VS Code. The same suite runs in
// the web workbench as part of `npm run e2e` (test/e2e/scenarios/host-suite.test.ts), which works offline.
//
//   LIQO_HOST_VSCODE_VERSION=1.139.1   VS Code to download (default: the version the e2e harness's code-server bundles)
//   VSCODE_EXECUTABLE=/path/to/code    use an installed VS Code instead of downloading one
//   Linux without a display: run under xvfb-run (Debian: apt-get install -y xvfb).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { currentTestbed, ensureTestbed, teardownTestbed } from '../testbed/index.ts';
import { buildHostTests } from '../e2e/lib/build.ts';
import { repoRoot } from '../e2e/lib/paths.ts';
import { baseSettings } from '../e2e/lib/workbench.ts';

const log = (msg: string) => process.stderr.write(`[test:host] ${msg}\n`);
const version = process.env.LIQO_HOST_VSCODE_VERSION ?? '1.139.1';

async function vscodeExecutable(): Promise<string> {
  if (process.env.VSCODE_EXECUTABLE) return process.env.VSCODE_EXECUTABLE;
  log(`downloading VS Code ${version} (cached in .vscode-test/)…`);
  try {
    return await downloadAndUnzipVSCode({ version, timeout: 20_000, cachePath: join(repoRoot, '.vscode-test') });
  } catch (err) {
    log(`cannot download VS Code ${version}: ${(err as Error).message}`);
    log('This machine cannot reach VS Code\'s download servers (offline, or only package registries reachable).');
    log('Run the same extension-host suite in the web workbench instead, which needs nothing beyond npm:');
    log('    npm run e2e -- host');
    log('or point VSCODE_EXECUTABLE at an installed desktop VS Code.');
    throw Object.assign(new Error('VS Code download failed'), { reported: true });
  }
}

const before = currentTestbed();
const testbedWasUp = before?.scenario === 'seed-000' && before.ready;
let testbedTouched = false;
const scratch = mkdtempSync(join(tmpdir(), 'liqo-host-'));
let code = 1;
try {
  const executable = await vscodeExecutable(); // first: fail fast offline, before building anything
  const testsEntry = await buildHostTests();
  testbedTouched = true;
  const tb = await ensureTestbed('seed-000');

  const userData = join(scratch, 'user-data');
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify(baseSettings('trusted', [tb.kubeconfig]), null, 2));
  const workspace = join(scratch, 'workspace');
  for (const dir of [workspace, join(scratch, 'home'), join(scratch, 'xdg/config'), join(scratch, 'xdg/cache'), join(scratch, 'xdg/data')]) mkdirSync(dir, { recursive: true });

  code = await runTests({
    vscodeExecutablePath: executable,
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: testsEntry,
    // The same isolation as the web harness: no ~/.kube/config, no $KUBECONFIG, no user state of this machine.
    extensionTestsEnv: {
      LIQO_TESTBED_KUBECONFIG: tb.kubeconfig,
      LIQO_TESTBED_BIN: tb.binDir,
      KUBECONFIG: '',
      HOME: join(scratch, 'home'),
      XDG_CONFIG_HOME: join(scratch, 'xdg/config'),
      XDG_CACHE_HOME: join(scratch, 'xdg/cache'),
      XDG_DATA_HOME: join(scratch, 'xdg/data'),
      PATH: `${tb.binDir}:${process.env.PATH ?? ''}`,
    },
    launchArgs: [
      workspace,
      '--user-data-dir', userData,
      '--extensions-dir', join(scratch, 'extensions'),
      '--disable-extensions',
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      '--disable-updates',
      '--disable-gpu',
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    ],
  });
  log(code === 0 ? 'extension-host suite passed' : `extension-host suite failed (exit ${code})`);
} catch (err) {
  if (!(err as { reported?: boolean }).reported) log(`failed: ${(err as Error).stack ?? String(err)}`);
  code = 1;
} finally {
  if (testbedTouched && !testbedWasUp) await teardownTestbed().catch(() => undefined);
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(code);
