// The "Federate two clusters" walkthrough in VS Code's Welcome editor, as a user sees it: a step is a button whose
// aria-checked turns true (and whose circle becomes a check) when its completion event fired; selecting a step shows
// its description, where each command link is a button.
import type { Locator } from 'playwright-core';
import type { WorkbenchPage } from './workbench-page.ts';

export const WALKTHROUGH_TITLE = 'Federate two clusters';

export class WalkthroughPage {
  readonly ui: WorkbenchPage;

  constructor(ui: WorkbenchPage) {
    this.ui = ui;
  }

  /** The Welcome editor showing this walkthrough. */
  editor(): Locator {
    return this.ui.page.locator('.gettingStartedContainer').filter({ hasText: WALKTHROUGH_TITLE });
  }

  async waitOpen(timeoutMs = 60_000): Promise<void> {
    await this.editor().locator('button.getting-started-step').first().waitFor({ timeout: timeoutMs });
  }

  /** Brings the walkthrough back to the front (another editor, a diff, took its place) with Liqo: Open Walkthrough. */
  async bringBack(): Promise<void> {
    if (await this.editor().isVisible()) return;
    await this.ui.runCommand('Liqo: Open Walkthrough');
    await this.waitOpen();
  }

  /** A step by its id in package.json (VS Code prefixes it with the extension's and the walkthrough's ids). */
  step(id: string): Locator {
    return this.editor().locator(`button.getting-started-step[data-step-id$="#${id}"]`);
  }

  async stepIds(): Promise<string[]> {
    const ids = await this.editor().locator('button.getting-started-step').evaluateAll((els) => els.map((e) => e.getAttribute('data-step-id') ?? ''));
    return ids.map((id) => id.slice(id.lastIndexOf('#') + 1));
  }

  /** Whether the step shows its check (aria-checked and the checked codicon agree). */
  async isChecked(id: string): Promise<boolean> {
    const step = this.step(id);
    const aria = (await step.getAttribute('aria-checked')) === 'true';
    const icon = (await step.locator('.codicon-getting-started-step-checked').count()) > 0;
    if (aria !== icon) throw new Error(`step ${id}: aria-checked=${aria} but the checked icon is ${icon ? '' : 'not '}shown`);
    return aria;
  }

  async checkedSteps(): Promise<string[]> {
    const out: string[] = [];
    for (const id of await this.stepIds()) if (await this.isChecked(id)) out.push(id);
    return out;
  }

  /** Waits until the step shows its check. */
  async waitChecked(id: string, timeoutMs = 60_000): Promise<void> {
    await this.step(id).and(this.ui.page.locator('[aria-checked="true"]')).waitFor({ timeout: timeoutMs });
    if (!(await this.isChecked(id))) throw new Error(`step ${id} is aria-checked but shows no check`);
  }

  /**
   * Selects the step (its description opens) and clicks the button its command link became. With `opensQuickInput`,
   * clicks again (three times at most) until the quick input the command shows is on screen: VS Code focuses a
   * selected step 250 ms after selecting it (also when the walkthrough opens), and a quick pick that loses the focus
   * closes; on a loaded machine that timer can fire after the click.
   */
  async clickStepButton(id: string, label: string, opts: { opensQuickInput?: boolean } = {}): Promise<void> {
    const step = this.step(id);
    if ((await step.getAttribute('aria-expanded')) !== 'true') await step.click();
    // a user reads the description first
    await this.ui.page.waitForTimeout(1_000);
    const button = step.locator('.monaco-button, .button-link').filter({ hasText: label }).first();
    const quickInput = this.ui.page.locator('.quick-input-widget');
    for (let attempt = 1; ; attempt++) {
      await button.waitFor({ timeout: 15_000 });
      await button.click();
      if (!opts.opensQuickInput) return;
      try {
        await quickInput.waitFor({ state: 'visible', timeout: 15_000 });
        await this.ui.page.waitForTimeout(1_000);
        if (await quickInput.isVisible()) return;
      } catch (err) {
        if (attempt >= 3) throw err;
      }
      if (attempt >= 3) throw new Error(`${label} (step ${id}) showed no quick input that stayed open`);
    }
  }
}
