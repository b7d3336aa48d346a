// `npm run bench -- logview`: which log view holds up in the real workbench. code-server (as `npm run e2e` runs it)
// with Chromium; the extension-host half (logview/viewDriver.ts, loaded through the payload route) streams the same
// LINES lines through the product's LogBatcher into an output channel, a pseudoterminal and a virtual document in
// turn. This half, in the page, measures per view:
// - lines_per_s_visible: LINES / the time from the first line handed over to the last line on screen (the output
//   channel and the terminal follow the end by themselves; the document is scrolled to its end with Ctrl+End once
//   everything was handed over, as a user would have to);
// - palette_ms: how long the command palette (F1) takes to open, again and again until the last line is on screen
//   (median and p90), and idle before anything streams (`palette_idle_ms`).
// One JSON line per view, with its ratios to the output channel's figures.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../e2e/lib/browser.ts';
import { ensureCodeServer } from '../e2e/lib/code-server.ts';
import { payloadUrl } from '../e2e/lib/host-tests.ts';
import { freshRunDir, repoRoot } from '../e2e/lib/paths.ts';
import { startWorkbench } from '../e2e/lib/workbench.ts';
import { endMarker, VIEWS, type ViewKind } from './logview/viewKinds.ts';

const LINES = Number(process.env.LIQO_LOGVIEW_LINES ?? 500_000);

interface ViewResult {
  view: ViewKind;
  lines: number;
  visible_s: number;
  lines_per_s_visible: number;
  palette_ms_median: number;
  palette_ms_p90: number;
  palette_samples: number;
}

const pct = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]! : NaN);

async function buildDriver(dir: string): Promise<{ devPath: string; driver: string }> {
  const driver = join(dir, 'viewDriver.cjs');
  await esbuild.build({
    entryPoints: [join(repoRoot, 'test/bench/logview/viewDriver.ts')],
    outfile: driver,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    external: ['vscode'],
    logLevel: 'warning',
  });
  // The payload route needs an extension under development: an empty one, so only the driver runs.
  const devPath = join(dir, 'ext');
  mkdirSync(devPath, { recursive: true });
  writeFileSync(join(devPath, 'package.json'), JSON.stringify({ name: 'liqo-logview-bench', publisher: 'liqo-vscode', version: '0.0.0', engines: { vscode: '^1.100.0' } }));
  return { devPath, driver };
}

/** The lines of the sync file the driver writes. */
function syncLines(sync: string): string[] {
  return existsSync(sync) ? readFileSync(sync, 'utf8').split('\n').filter(Boolean) : [];
}

async function waitForSync(sync: string, re: RegExp, ms: number): Promise<RegExpExecArray> {
  const deadline = Date.now() + ms;
  for (;;) {
    for (const l of syncLines(sync)) {
      const m = re.exec(l);
      if (m) return m;
    }
    if (Date.now() > deadline) throw new Error(`the view driver did not report ${re} within ${ms} ms: ${syncLines(sync).join(' | ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Opens the palette with F1 and closes it again; how long it took to show. */
async function paletteOnce(page: Page): Promise<number> {
  const widget = page.locator('.quick-input-widget');
  const t0 = Date.now();
  await page.keyboard.press('F1');
  await widget.waitFor({ state: 'visible', timeout: 60_000 });
  const ms = Date.now() - t0;
  await page.keyboard.press('Escape');
  await widget.waitFor({ state: 'hidden', timeout: 60_000 });
  return ms;
}

async function lastLineShown(page: Page, view: ViewKind, handedOver: boolean): Promise<boolean> {
  const marker = endMarker(view);
  if (view === 'document') {
    if (!handedOver) return false;
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.click({ position: { x: 200, y: 40 } });
    await page.keyboard.press('Control+End');
    return (await editor.locator('.view-lines').innerText()).includes(marker);
  }
  const sel = view === 'output' ? '.part.panel .monaco-editor .view-lines' : '.part.panel .xterm-rows';
  const el = page.locator(sel).first();
  return (await el.count()) > 0 && (await el.innerText()).includes(marker);
}

async function measureView(page: Page, sync: string, view: ViewKind): Promise<ViewResult> {
  const start = Number((await waitForSync(sync, new RegExp(`^${view} start (\\d+)$`), 120_000))[1]);
  const samples: number[] = [];
  let shownAt = 0;
  const deadline = Date.now() + 600_000;
  while (!shownAt) {
    if (Date.now() > deadline) throw new Error(`${view}: the last line was not shown within 10 minutes`);
    const handedOver = syncLines(sync).some((l) => l.startsWith(`${view} sent `));
    if (await lastLineShown(page, view, handedOver)) shownAt = Date.now();
    else samples.push(await paletteOnce(page));
  }
  writeFileSync(`${sync}.${view}.done`, '');
  const seconds = (shownAt - start) / 1000;
  return { view, lines: LINES, visible_s: Math.round(seconds * 100) / 100, lines_per_s_visible: Math.round(LINES / seconds), palette_ms_median: pct(samples, 0.5), palette_ms_p90: pct(samples, 0.9), palette_samples: samples.length };
}

export async function benchLogView(): Promise<void> {
  const dir = freshRunDir('liqo-logview-bench');
  const sync = join(dir, 'sync.txt');
  const { devPath, driver } = await buildDriver(dir);
  const codeServer = await ensureCodeServer();
  // The terminal drawn by its DOM renderer, so that its text can be read from the page (headless Chromium has no GPU).
  const wb = await startWorkbench({ codeServer, name: 'logview-bench', smokeTestDriver: true, settings: { 'terminal.integrated.gpuAcceleration': 'off' } });
  const browser = await launchBrowser('logview-bench');
  try {
    const page = browser.page;
    let exit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((r) => (exit = r));
    await page.exposeFunction('codeAutomationExit', (code: number) => exit(Number(code)));
    await page.goto(payloadUrl(wb, devPath, driver, { LIQO_LOGVIEW_SYNC: sync, LIQO_LOGVIEW_LINES: String(LINES), LIQO_LOGVIEW_VIEWS: VIEWS.join(',') }));
    await page.locator('.part.statusbar').waitFor({ timeout: 120_000 });
    // The first openings load the palette's code: warm it up, then measure it idle.
    for (let i = 0; i < 3; i++) await paletteOnce(page);
    const idle: number[] = [];
    for (let i = 0; i < 5; i++) idle.push(await paletteOnce(page));
    // One line per view as soon as it is measured (ratios to the output channel, measured first).
    let base: ViewResult | undefined;
    for (const view of VIEWS) {
      const r = await measureView(page, sync, view);
      base ??= r;
      console.log(JSON.stringify({
        bench: 'logview',
        ...r,
        palette_idle_ms: pct(idle, 0.5),
        ratio_lines_per_s_vs_output: Math.round((r.lines_per_s_visible / base.lines_per_s_visible) * 100) / 100,
        ratio_palette_vs_output: Math.round((r.palette_ms_median / base.palette_ms_median) * 100) / 100,
      }));
    }
    const code = await Promise.race([exited, new Promise<number>((r) => setTimeout(() => r(-1), 120_000))]);
    if (code !== 0 && !syncLines(sync).includes('all done')) throw new Error(`the view driver ended with ${code === -1 ? 'a timeout' : `code ${code}`}: ${syncLines(sync).join(' | ')}`);
  } finally {
    await browser.close();
    await wb.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
