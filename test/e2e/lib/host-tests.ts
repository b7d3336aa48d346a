// Runs the extension-host test suite (test/host, bundled to out/host/index.cjs) inside the real web workbench.
// code-server rejects --extensionDevelopmentPath, but the workbench reads extensionDevelopmentPath and
// extensionTestsPath from the URL `payload` when VS Code's server runs with --enable-smoke-test-driver; when the
// suite's run() settles, the workbench calls window.codeAutomationExit(code), which Playwright catches.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Workbench } from './workbench.ts';

export interface HostTestResult {
  code: number;
  /** What test/host/index.ts wrote to LIQO_HOST_TEST_REPORT (every test's result), if anything. */
  report: string;
  /** Errors and the extension host's console lines seen in the page. */
  console: string[];
  durationMs: number;
}

export function payloadUrl(wb: Workbench, extensionDevelopmentPath: string, extensionTestsPath: string, env: Record<string, string>): string {
  const remote = (p: string) => `vscode-remote://${wb.host}:${wb.port}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(extensionDevelopmentPath)],
    ['extensionTestsPath', remote(extensionTestsPath)],
    ['extensionEnvironment', JSON.stringify(env)],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  return `${wb.origin}/?folder=${encodeURIComponent(wb.folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

export async function runHostTests(
  page: Page,
  wb: Workbench,
  opts: { extensionDevelopmentPath: string; extensionTestsPath: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<HostTestResult> {
  if (!existsSync(opts.extensionTestsPath)) throw new Error(`extension-host tests not built: ${opts.extensionTestsPath}`);
  const reportFile = join(wb.runDir, 'host-test-report.txt');
  rmSync(reportFile, { force: true });
  const started = Date.now();
  const consoleLines: string[] = [];
  page.on('console', (msg) => {
    const text = msg.text().replace(/%c\s*(\w+)\s+color:\s*#\w+\s*/, '$1 ');
    if (msg.type() === 'error' && /ERR_NAME_NOT_RESOLVED|ENOTFOUND|Failed to load resource|ServiceWorker/.test(text)) return; // offline noise
    if (msg.type() === 'error' || /Extension Host|extension-host|\[host-test\]/i.test(text)) consoleLines.push(`[${msg.type()}] ${text}`);
  });
  page.on('pageerror', (err) => consoleLines.push(`[pageerror] ${err.message}`));

  let settle: (code: number) => void = () => undefined;
  const exited = new Promise<number>((r) => (settle = r));
  await page.exposeFunction('codeAutomationExit', (code: number) => settle(Number(code)));
  await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => consoleLines.push(`[log] ${(args ?? []).map(String).join(' ')}`));
  // The page load alone can take well over playwright's default 30 s on a loaded machine (seen in a clean CI run at
  // load ~24): the same allowance as WorkbenchPage.open.
  await page.goto(payloadUrl(wb, opts.extensionDevelopmentPath, opts.extensionTestsPath, { ...opts.env, LIQO_HOST_TEST_REPORT: reportFile }), { timeout: 120_000 });

  const timeoutMs = opts.timeoutMs ?? 5 * 60_000;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<number>((r) => (timer = setTimeout(() => r(-1), timeoutMs)));
  const code = await Promise.race([exited, timedOut]);
  if (timer) clearTimeout(timer);
  const report = existsSync(reportFile) ? readFileSync(reportFile, 'utf8') : '';
  if (code === -1) consoleLines.push(`[harness] the extension-host suite did not finish within ${timeoutMs} ms`);
  return { code, report, console: consoleLines, durationMs: Date.now() - started };
}
