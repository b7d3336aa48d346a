// npm run demo [-- --port N] [--check] [--scenario live [--peered] [--liqo v1.2.0]]
//
// The product in one command: builds the .vsix (`npm run package`), brings up the seed-000 federation (test bed),
// starts the VS Code workbench (code-server) on 127.0.0.1 with the extension installed and the test bed's kubeconfig
// in the liqo.kubeconfigs setting, prints the URL, and shuts everything down on Ctrl-C. Everything it starts lives
// in scratch dirs (own HOME, XDG dirs, user data, extensions); nothing touches your VS Code or ~/.kube.
//
// --check: instead of waiting for Ctrl-C, opens the URL in headless Chromium, waits until the federation tree shows
// both clusters, saves test/e2e/artifacts/demo/demo.png, and stops (exit 0 when the tree was visible).
//
// --scenario live: Liqo's own control plane instead of the forged federation (three clusters, nothing peered
// unless --peered). The workbench's terminal has liqoctl, kubectl and KUBECONFIG set, so you peer and offload by
// hand: `liqoctl peer --remote-context cluster-b --networking-disabled`, then watch the tree follow.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { abortTestbed, currentTestbed, ensureTestbed, teardownTestbed, type ScenarioName } from '../testbed/index.ts';
import { DEFAULT_LIQO_VERSION, liveName } from '../testbed/scenarios/live.ts';
import { launchBrowser } from './lib/browser.ts';
import { packageVsix } from './lib/build.ts';
import { abortInstall, ensureCodeServer } from './lib/code-server.ts';
import { buildOpenerVsix } from './lib/opener.ts';
import { vsixPath } from './lib/paths.ts';
import { sweepMarked } from './lib/procs.ts';
import { freePort, startWorkbench } from './lib/workbench.ts';
import type { Workbench } from './lib/workbench.ts';
import { WorkbenchPage } from './pages/workbench-page.ts';

const log = (msg: string) => process.stderr.write(`[demo] ${msg}\n`);
const args = process.argv.slice(2);
const check = args.includes('--check');
const portArg = args.includes('--port') ? Number(args[args.indexOf('--port') + 1]) : Number(process.env.PORT ?? 8080);
const scenarioArg = args.includes('--scenario') ? args[args.indexOf('--scenario') + 1] : 'seed-000';
if (scenarioArg !== 'seed-000' && scenarioArg !== 'live') {
  process.stderr.write(`[demo] --scenario takes seed-000 or live (not '${scenarioArg ?? ''}')\n`);
  process.exit(2);
}
const isLive = scenarioArg === 'live';
const scenario = (
  isLive ? liveName({ peered: args.includes('--peered'), liqoVersion: args.includes('--liqo') ? (args[args.indexOf('--liqo') + 1] ?? '') : DEFAULT_LIQO_VERSION }) : 'seed-000'
) as ScenarioName;

const runId = `demo-${process.pid}-${Date.now().toString(36)}`;
process.env.LIQO_E2E_RUN_ID = runId;
const scratch = mkdtempSync(join(tmpdir(), 'liqo-demo-'));
process.env.LIQO_E2E_RUN_DIR = scratch;

const before = currentTestbed();
const testbedWasUp = before?.scenario === scenario && before.ready;
let wb: Workbench | undefined;
let testbedStarting = false;
let stopping: Promise<void> | undefined;

function shutdown(code: number): Promise<void> {
  stopping ??= (async () => {
    log('stopping the workbench' + (testbedWasUp ? '' : ' and the test bed') + '…');
    await wb?.stop().catch(() => undefined);
    await sweepMarked(runId, true);
    abortInstall();
    // While this process is still bringing it up (Ctrl-C during setup) it holds the test bed's lock: abort instead.
    const stopTestbed = testbedStarting ? abortTestbed : teardownTestbed;
    if (!testbedWasUp) await stopTestbed().catch((err: unknown) => log(`test bed teardown: ${(err as Error).message}`));
    rmSync(scratch, { recursive: true, force: true });
    log('stopped.');
    process.exit(code);
  })();
  return stopping;
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => void shutdown(0));

try {
  log(`building the extension, bringing up the ${scenario} federation, preparing VS Code (first run: a few minutes)…`);
  const steps = [
    ensureCodeServer(),
    (async () => {
      testbedStarting = true;
      return ensureTestbed(scenario).finally(() => (testbedStarting = false));
    })(),
    process.env.LIQO_E2E_VSIX
      ? Promise.resolve(process.env.LIQO_E2E_VSIX)
      : packageVsix(join(scratch, 'liqo-federation.vsix')).then((f) => {
          log(`built ${vsixPath}`);
          return f;
        }),
    buildOpenerVsix(scratch),
  ] as const;
  // Let every step finish (a test bed half up while we clean up would be left running), then fail on the first error.
  const failed = (await Promise.allSettled(steps)).find((r) => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  const [cs, tb, vsix, opener] = await Promise.all(steps);
  if (process.env.LIQO_E2E_VSIX) copyFileSync(process.env.LIQO_E2E_VSIX, join(scratch, 'liqo-federation.vsix'));
  let port = portArg;
  if (!(await isFree(port))) {
    const other = await freePort();
    log(`port ${port} is busy: using ${other}`);
    port = other;
  }
  wb = await startWorkbench({
    codeServer: cs,
    name: 'demo',
    vsix: [vsix, opener],
    kubeconfigs: [tb.kubeconfig],
    extraPath: [tb.binDir],
    // the terminal's liqoctl and kubectl talk to the test bed
    env: { KUBECONFIG: tb.kubeconfig },
    port,
  });
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(wb.folder)}`;
  process.stdout.write(
    [
      '',
      `  Liqo Federation Explorer is running in VS Code ${cs.vscodeVersion} (code-server ${cs.version}):`,
      '',
      `    ${url}`,
      '',
      ...(isLive
        ? [
            `  Federation: ${scenario} — Liqo's own controllers on ${tb.contexts.join(', ')}; kubeconfig ${tb.kubeconfig}`,
            '  In the workbench terminal (liqoctl, kubectl and KUBECONFIG are set), peer and offload by hand:',
            '    liqoctl peer --context kind-mlops-platform --remote-context cluster-b --networking-disabled',
            '    kubectl create namespace demo && liqoctl offload namespace demo --pod-offloading-strategy Remote',
            '    kubectl -n demo run web --image=nginx && kubectl -n demo logs web',
          ]
        : [`  Federation: seed-000 (consumer kind-mlops-platform ⇄ provider cluster-b), kubeconfig ${tb.kubeconfig}`]),
      `  Try it from a shell too:  KUBECONFIG=${tb.kubeconfig} ${tb.kubectl} get foreignclusters,namespaceoffloadings -A`,
      '',
      check ? '  --check: opening it in headless Chromium…' : '  Press Ctrl-C to stop everything.',
      '',
    ].join('\n') + '\n',
  );
  if (check) {
    const browser = await launchBrowser('demo');
    let ok = false;
    try {
      const ui = new WorkbenchPage(browser.page, 'demo');
      await ui.open(url);
      // No click: the tree must be visible at the URL as printed.
      const rows = await ui.waitForRows((r) => r.filter((x) => x.level === 1 && / · Liqo v/.test(x.name)).length >= 2, 90_000, 'both clusters');
      await ui.screenshot('demo');
      log(`the federation tree is visible: ${rows.filter((r) => r.level === 1).map((r) => r.name).join(' | ')}`);
      ok = true;
    } catch (err) {
      log(`check failed: ${(err as Error).message}`);
    } finally {
      await browser.close();
    }
    await shutdown(ok ? 0 : 1);
  } else {
    // Until a signal; and if the workbench dies on its own, say so and clean up.
    const server = wb;
    setInterval(() => {
      try {
        process.kill(server.pid, 0);
      } catch {
        log(`the workbench server exited; its log: ${server.logFile}`);
        void shutdown(1);
      }
    }, 2000);
  }
} catch (err) {
  log(`failed: ${(err as Error).stack ?? String(err)}`);
  await shutdown(1);
}

async function isFree(port: number): Promise<boolean> {
  const { createServer } = await import('node:net');
  return new Promise((resolveFree) => {
    const srv = createServer();
    srv.once('error', () => resolveFree(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolveFree(true)));
  });
}
