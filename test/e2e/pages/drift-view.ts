// The Federation Drift view as a user sees it: the second pane of the Liqo side bar, opened by its header; its rows
// read by their accessible names (a row's tooltip: the item's text first), an item restored by its inline action.
import type { Locator } from 'playwright-core';
import type { WorkbenchPage } from './workbench-page.ts';

const TITLE = 'Federation Drift';

function pane(ui: WorkbenchPage): Locator {
  return ui.sideBar().locator('.pane').filter({ has: ui.page.locator('.pane-header', { hasText: TITLE }) });
}

/** Expands the view's pane when it is collapsed. */
export async function openDriftView(ui: WorkbenchPage): Promise<void> {
  const header = ui.sideBar().locator('.pane-header', { hasText: TITLE }).first();
  await header.waitFor({ timeout: 30_000 });
  if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
}

export async function driftRows(ui: WorkbenchPage): Promise<string[]> {
  const rows = pane(ui).locator('.monaco-list-rows > [role=treeitem]');
  return rows.evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? el.textContent ?? ''));
}

/** Waits until the view shows a row matching `pattern` (the view looks again after the federation changes). */
export async function waitForDriftRow(ui: WorkbenchPage, pattern: RegExp, timeoutMs = 60_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await driftRows(ui);
    if (rows.some((r) => pattern.test(r))) return rows;
    if (Date.now() > deadline) throw new Error(`the Federation Drift view shows no row ${pattern} within ${timeoutMs} ms; it holds:\n  ${rows.join('\n  ')}`);
    await ui.page.waitForTimeout(500);
  }
}

/** Hovers the drift row and clicks its inline Restore This Item action. */
export async function restoreDriftItem(ui: WorkbenchPage, pattern: RegExp): Promise<void> {
  const rows = pane(ui).locator('.monaco-list-rows > [role=treeitem]');
  const names = await driftRows(ui);
  const i = names.findIndex((n) => pattern.test(n));
  if (i < 0) throw new Error(`no drift row ${pattern}: ${names.join(' | ')}`);
  const row = rows.nth(i);
  await row.hover();
  const button = row.locator('.actions .action-label[aria-label^="Restore This Item"]').first();
  await button.waitFor({ timeout: 10_000 });
  await button.click();
}
