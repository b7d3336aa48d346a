// The multi-step input as a user sees it: the title with its step count ("… (2/5)"), the Back button at the title's
// left, the value the input box offers, the item a quick pick has focused, and Escape.
import type { WorkbenchPage } from './workbench-page.ts';

const widget = (ui: WorkbenchPage) => ui.page.locator('.quick-input-widget');

/** The title of the step on screen once it matches `expect` (the widget is reused between steps: wait for the new one). */
export async function stepTitle(ui: WorkbenchPage, expect: RegExp, timeoutMs = 15_000): Promise<string> {
  const title = widget(ui).locator('.quick-input-title');
  await title.filter({ hasText: expect }).first().waitFor({ timeout: timeoutMs });
  return (await title.first().innerText()).trim();
}

/** Clicks the Back button (QuickInputButtons.Back) of the step on screen. */
export async function pressBack(ui: WorkbenchPage): Promise<void> {
  // the arrow at the title's left (codicon quick-input-back)
  const back = widget(ui).locator('.quick-input-left-action-bar .action-label.codicon-quick-input-back').first();
  await back.waitFor({ timeout: 10_000 });
  await back.click();
}

/** The text of the input box on screen. */
export async function inputValue(ui: WorkbenchPage): Promise<string> {
  const input = widget(ui).locator('input.input').first();
  await input.waitFor({ timeout: 10_000 });
  return input.inputValue();
}

/** The accessible name of the focused item of the quick pick on screen. */
export async function focusedItem(ui: WorkbenchPage): Promise<string> {
  const item = widget(ui).locator('[role=option].focused').first();
  await item.waitFor({ timeout: 10_000 });
  return (await item.getAttribute('aria-label')) ?? (await item.innerText());
}

/** Labels of the items checked in a multi-select quick pick. */
export async function checkedItems(ui: WorkbenchPage): Promise<string[]> {
  return widget(ui)
    .locator('[role=option]')
    .filter({ has: ui.page.locator('input[type=checkbox]:checked, .monaco-checkbox.checked, [aria-checked=true]') })
    .evaluateAll((els) => els.map((e) => (e.getAttribute('aria-label') ?? e.textContent ?? '').trim()));
}

/** Escape on the step on screen; resolves once the widget is gone. */
export async function escape(ui: WorkbenchPage): Promise<void> {
  await ui.page.keyboard.press('Escape');
  await widget(ui).waitFor({ state: 'hidden', timeout: 10_000 });
}
