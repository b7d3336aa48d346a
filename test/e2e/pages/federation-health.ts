// The federation's health as a user sees it in the workbench: the status-bar item "Liqo: 2 peerings, 1 failing"
// (read by its text and its hover), the alert notifications (a toast while it shows, else the notification
// center's list, where a toast goes once it hides) with their action buttons, and the row a "Show" selected.
import type { Locator } from 'playwright-core';
import type { WorkbenchPage } from './workbench-page.ts';

/** The item's DOM id: the extension's id and the status bar item's id (`liqo.federationHealth`). */
const ITEM = '.part.statusbar [id="liqo-vscode.liqo-federation.liqo.federationHealth"]';

export function healthItem(ui: WorkbenchPage): Locator {
  return ui.page.locator(ITEM);
}

/** The item's text ('' while it is hidden), codicons left out. */
export async function healthText(ui: WorkbenchPage): Promise<string> {
  const item = healthItem(ui);
  if ((await item.count()) === 0 || !(await item.isVisible())) return '';
  return (await item.innerText()).replace(/\s+/g, ' ').trim();
}

/** Waits until the item's text matches; on timeout fails with the text last seen. */
export async function waitForHealth(ui: WorkbenchPage, pattern: RegExp, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = await healthText(ui);
  while (!pattern.test(last)) {
    if (Date.now() > deadline) throw new Error(`the Liqo status-bar item did not match ${pattern} within ${timeoutMs} ms; it reads ${JSON.stringify(last)}`);
    await ui.page.waitForTimeout(250);
    last = await healthText(ui);
  }
  return last;
}

/** The item's hover, as a user reads it resting the mouse on it. */
export function healthTooltip(ui: WorkbenchPage): Promise<string> {
  return ui.hoverText(healthItem(ui));
}

export interface ShownNotification {
  message: string;
  buttons: string[];
  item: Locator;
}

async function readItem(item: Locator): Promise<ShownNotification> {
  const message = (await item.locator('.notification-list-item-message').innerText()).replace(/\s+/g, ' ').trim();
  const buttons = (await item.locator('.notification-list-item-buttons-container .monaco-button').allInnerTexts()).map((b) => b.trim());
  return { message, buttons, item };
}

/** Waits for a toast whose message matches and returns it with its buttons (a toast hides after a while: be quick). */
export async function waitForToast(ui: WorkbenchPage, pattern: RegExp, timeoutMs = 60_000): Promise<ShownNotification> {
  const items = ui.page.locator('.notifications-toasts .notification-list-item');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const item of await items.all()) {
      const shown = await readItem(item).catch(() => undefined);
      if (shown && pattern.test(shown.message)) return shown;
    }
    if (Date.now() > deadline) throw new Error(`no notification matched ${pattern} within ${timeoutMs} ms; toasts shown: ${JSON.stringify(await ui.notifications())}`);
    await ui.page.waitForTimeout(200);
  }
}

/**
 * Clicks a button of the notification with that message: on its toast, or in the notification center once the toast
 * has hidden (VS Code then closes the notification, as after any action).
 */
export async function clickNotificationButton(ui: WorkbenchPage, message: string, label: string): Promise<void> {
  const button = (scope: string) => ui.page.locator(`${scope} .notification-list-item`).filter({ hasText: message }).first().locator('.notification-list-item-buttons-container .monaco-button').filter({ hasText: label }).first();
  const onToast = button('.notifications-toasts');
  if (await onToast.isVisible()) {
    try {
      await onToast.click({ timeout: 5_000 });
      return;
    } catch {
      // hidden meanwhile: the center has it
    }
  }
  await ui.runCommand('Notifications: Show Notifications');
  const inCenter = button('.notifications-center');
  await inCenter.waitFor({ timeout: 10_000 });
  await inCenter.click();
}

/**
 * Every notification still listed (shown or hidden toasts, not dismissed or acted on), read from the notification
 * center, which is opened for that and closed again.
 */
export async function notificationCenter(ui: WorkbenchPage): Promise<string[]> {
  const center = ui.page.locator('.notifications-center');
  await ui.runCommand('Notifications: Show Notifications');
  await center.locator('.notifications-center-header').waitFor({ timeout: 10_000 });
  await ui.page.waitForTimeout(300);
  const messages = (await center.locator('.notification-list-item-message').allInnerTexts()).map((m) => m.replace(/\s+/g, ' ').trim());
  await ui.runCommand('Notifications: Hide Notifications');
  return messages;
}

/** The accessible names of the tree rows that are selected, and whether the tree holds the keyboard focus. */
export async function selectedRows(ui: WorkbenchPage): Promise<{ names: string[]; treeFocused: boolean }> {
  const names = (await ui.renderedRows()).filter((r) => r.selected).map((r) => r.name);
  const treeFocused = await ui.tree().evaluate((el) => el.contains((el.ownerDocument as unknown as { activeElement: unknown }).activeElement as never));
  return { names, treeFocused };
}
