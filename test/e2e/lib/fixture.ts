// What every scenario file starts from: the cached code-server, the .vsix that `npm run package` built, the
// seed-000 test bed, and a fresh isolated workbench + Chromium per scenario file. `npm run e2e` (run.ts) prepares the
// shared parts once and passes them in LIQO_E2E_* variables; a scenario file run on its own prepares them itself.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import type { CodeServer } from './code-server.ts';
import { ensureCodeServer } from './code-server.ts';
import { launchBrowser } from './browser.ts';
import type { BrowserSession } from './browser.ts';
import { vsixPath } from './paths.ts';
import { startWorkbench } from './workbench.ts';
import type { Workbench, WorkbenchOptions } from './workbench.ts';
import { WorkbenchPage } from '../pages/workbench-page.ts';
import type { Testbed } from '../../testbed/index.ts';

export interface Shared {
  codeServer: CodeServer;
  vsix: string;
  testbed: Testbed;
}

let shared: Promise<Shared> | undefined;

/** LIQO_E2E_MUTATE='from=>to': break the installed extension on purpose, to prove the scenarios notice. */
function mutation(): { from: string; to: string } | undefined {
  const spec = process.env.LIQO_E2E_MUTATE;
  if (!spec) return undefined;
  const at = spec.indexOf('=>');
  if (at <= 0) throw new Error(`LIQO_E2E_MUTATE must look like 'from=>to', got ${JSON.stringify(spec)}`);
  return { from: spec.slice(0, at), to: spec.slice(at + 2) };
}

/** The parts every scenario shares, from run.ts's environment or prepared here. */
export function sharedSetup(): Promise<Shared> {
  shared ??= (async () => {
    const codeServer = await ensureCodeServer();
    const vsix = process.env.LIQO_E2E_VSIX ?? vsixPath;
    if (!existsSync(vsix)) throw new Error(`${vsix} is missing: run \`npm run package\` first (npm run e2e does).`);
    let testbed: Testbed;
    if (process.env.LIQO_E2E_TESTBED) testbed = JSON.parse(process.env.LIQO_E2E_TESTBED) as Testbed;
    else {
      const { ensureTestbed } = await import('../../testbed/index.ts');
      testbed = await ensureTestbed('seed-000');
    }
    return { codeServer, vsix, testbed };
  })();
  return shared;
}

/**
 * For the live scenario files, before they peer: the test bed as the live scenarios start (no ForeignCluster,
 * VirtualNode, virtual node or NamespaceOffloading on any cluster, every API server answering). A file before may
 * have left it otherwise: Liqo v1.0.1 can take minutes to unpeer a provider whose API server was restarted, longer
 * than that file's clean-up waits, and leaves the VirtualNode behind. Then the bed is brought up afresh (~20 s)
 * rather than this file failing on the previous one's leftovers.
 */
export async function liveBedAsFound(scenario: string): Promise<void> {
  const { testbed } = await sharedSetup();
  const leftovers: string[] = [];
  for (const context of testbed.contexts) {
    const kubectl = (...args: string[]) => promisify(execFile)(testbed.kubectl, ['--kubeconfig', testbed.kubeconfig, '--context', context, ...args, '-o', 'name', '--request-timeout=20s'], { timeout: 60_000 });
    try {
      const liqo = await kubectl('get', 'foreignclusters.core.liqo.io,virtualnodes.offloading.liqo.io,namespaceoffloadings.offloading.liqo.io', '-A');
      const nodes = await kubectl('get', 'nodes', '-l', 'liqo.io/type=virtual-node');
      const names = `${liqo.stdout}\n${nodes.stdout}`.split('\n').filter((l) => l.trim());
      if (names.length) leftovers.push(`${context} has ${names.join(', ')}`);
    } catch (err) {
      leftovers.push(`${context} does not answer (${(err as Error).message.split('\n')[0]})`);
    }
  }
  if (leftovers.length === 0) return;
  process.stderr.write(`[${scenario}] the test bed is not as the live scenarios start (${leftovers.join('; ')}): bringing it up afresh\n`);
  const { restartTestbed } = await import('../../testbed/index.ts');
  await restartTestbed();
}

export interface Session {
  wb: Workbench;
  browser: BrowserSession;
  ui: WorkbenchPage;
  testbed: Testbed;
  shared: Shared;
  /** Runs one step of a scenario; on failure a screenshot FAILED-<name>.png is taken before the error propagates. */
  step<T>(name: string, body: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface SessionOptions extends Partial<Omit<WorkbenchOptions, 'codeServer' | 'name'>> {
  /** Install the packaged .vsix (default true). */
  install?: boolean;
  /** Open the workbench URL right away (default true). */
  open?: boolean;
}

/** A fresh isolated workbench with the packaged extension and the test bed's kubeconfig, and a Chromium page on it. */
export async function openSession(scenario: string, opts: SessionOptions = {}): Promise<Session> {
  const s = await sharedSetup();
  const { install = true, open = true, ...wbOpts } = opts;
  const wb = await startWorkbench({
    codeServer: s.codeServer,
    name: scenario,
    kubeconfigs: [s.testbed.kubeconfig],
    extraPath: [s.testbed.binDir],
    ...(install ? { vsix: s.vsix } : {}),
    ...(install && mutation() ? { mutate: mutation() } : {}),
    ...wbOpts,
  });
  let browser: BrowserSession;
  try {
    browser = await launchBrowser(scenario);
  } catch (err) {
    await wb.stop();
    throw err;
  }
  const ui = new WorkbenchPage(browser.page, scenario);
  const session: Session = {
    wb,
    browser,
    ui,
    testbed: s.testbed,
    shared: s,
    async step(name, body) {
      try {
        return await body();
      } catch (err) {
        await ui.screenshot(`FAILED-${name}`).catch(() => undefined);
        throw err;
      }
    },
    async close() {
      await browser.close();
      await wb.stop();
    },
  };
  if (open) {
    try {
      await ui.open(wb.url);
    } catch (err) {
      await ui.screenshot('FAILED-open').catch(() => undefined);
      await session.close();
      throw err;
    }
  }
  return session;
}
