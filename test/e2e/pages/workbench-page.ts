// Page object for the VS Code web workbench, driven as a user would: activity bar, tree rows, context menus,
// command palette, notifications. Selectors are the stable ones: tree rows are [role=treeitem] whose accessible
// name is the row's accessibility label (the extension sets it to "label, description"); rows are virtualised, so
// finding one may scroll; context-menu items are hovered before they are clicked; the palette is F1.
//
// A row is addressed by its accessible name (first match, top to bottom), a pattern, or a path of names from a root
// row down (names repeat across clusters: ['cluster-b, …', 'Peerings, 1', 'kind-mlops-platform, …']).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { artifactsDir } from '../lib/paths.ts';

export interface RowInfo {
  name: string;
  level: number;
  expanded: boolean | undefined;
  selected?: boolean;
  /** Position in the flattened tree (data-index). */
  index: number;
}

export type RowRef = string | RegExp | readonly (string | RegExp)[];

const ROWS = '.monaco-list-rows > [role=treeitem]';

export function formatRows(rows: readonly RowInfo[]): string {
  return rows.map((r) => `  ${'  '.repeat(r.level - 1)}${r.name}${r.expanded === undefined ? '' : r.expanded ? ' ▾' : ' ▸'}`).join('\n');
}

function matches(name: string, want: string | RegExp): boolean {
  return typeof want === 'string' ? name === want : want.test(name);
}

/** The index (in rows) of the row a reference names, or -1. */
export function findRow(rows: readonly RowInfo[], ref: RowRef): number {
  const path = typeof ref === 'string' || ref instanceof RegExp ? undefined : ref;
  if (!path) return rows.findIndex((r) => matches(r.name, ref as string | RegExp));
  let from = 0;
  let level = 0;
  let at = -1;
  for (const step of path) {
    at = -1;
    for (let i = from; i < rows.length; i++) {
      const r = rows[i]!;
      if (level > 0 && r.level <= level) break; // left the parent's subtree
      if (r.level === level + 1 && matches(r.name, step)) {
        at = i;
        break;
      }
    }
    if (at < 0) return -1;
    from = at + 1;
    level = rows[at]!.level;
  }
  return at;
}

/** The direct children of the row a reference names. */
export function childrenOf(rows: readonly RowInfo[], ref: RowRef): RowInfo[] {
  const at = findRow(rows, ref);
  if (at < 0) return [];
  const level = rows[at]!.level;
  const out: RowInfo[] = [];
  for (const r of rows.slice(at + 1)) {
    if (r.level <= level) break;
    if (r.level === level + 1) out.push(r);
  }
  return out;
}

const describeRef = (ref: RowRef) => (typeof ref === 'string' || ref instanceof RegExp ? String(ref) : ref.map(String).join(' › '));

export class WorkbenchPage {
  readonly page: Page;
  readonly shotsDir: string;

  constructor(page: Page, scenario: string) {
    this.page = page;
    this.shotsDir = join(artifactsDir, scenario);
    mkdirSync(this.shotsDir, { recursive: true });
  }

  /** Loads the workbench and waits until it is interactive (activity bar and status bar drawn). */
  async open(url: string): Promise<void> {
    // A loaded machine (several workbenches and builds at once) can take well over playwright's default 30 s (seen: more than 120 s at a load average of 40 on 2 cores).
    await this.page.goto(url, { timeout: 300_000 });
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await this.page.locator('.activitybar [role=tab]').first().waitFor({ timeout: 60_000 });
    await this.page.locator('.part.statusbar').waitFor({ timeout: 30_000 });
  }

  /** Clicks the view container's icon in the activity bar (its accessible name starts with the title). */
  async openViewContainer(title: string): Promise<void> {
    const tab = this.page.locator('.activitybar').getByRole('tab', { name: new RegExp(`^${escapeRegExp(title)}\\b`) });
    await tab.waitFor({ timeout: 30_000 });
    if ((await tab.getAttribute('aria-selected')) !== 'true') await tab.click();
    await this.sideBar().waitFor({ state: 'visible' });
    await this.page.mouse.move(1, 1);
  }

  /** Drags the sash on the side bar's edge so it is `width` px wide (room for descriptions in screenshots). */
  async setSideBarWidth(width: number): Promise<void> {
    const box = await this.sideBar().boundingBox();
    if (!box || Math.abs(box.width - width) < 4) return;
    const edge = box.x + box.width;
    let best: { x: number; y: number; d: number } | undefined;
    for (const sash of await this.page.locator('.monaco-sash.vertical').all()) {
      const b = await sash.boundingBox();
      if (!b || b.height < box.height / 2) continue;
      const x = b.x + b.width / 2;
      const d = Math.abs(x - edge);
      if (!best || d < best.d) best = { x, y: b.y + b.height / 2, d };
    }
    if (!best || best.d > 10) return; // no sash found: keep the default width
    await this.page.mouse.move(best.x, best.y);
    await this.page.mouse.down();
    await this.page.mouse.move(best.x + (width - box.width), best.y, { steps: 10 });
    await this.page.mouse.up();
    await this.page.mouse.move(1, 1);
  }

  sideBar(): Locator {
    return this.page.locator('#workbench\\.parts\\.sidebar');
  }

  /** The tree of the (first) view in the side bar. */
  tree(): Locator {
    return this.sideBar().locator('[role=tree]').first();
  }

  /** The rows currently rendered (a window of the virtualised list), top to bottom. */
  async renderedRows(): Promise<RowInfo[]> {
    if ((await this.tree().count()) === 0) return [];
    return this.tree()
      .locator(ROWS)
      .evaluateAll((els) =>
        els
          .map((el) => ({
            name: el.getAttribute('aria-label') ?? el.textContent ?? '',
            level: Number(el.getAttribute('aria-level') ?? 1),
            expanded: el.hasAttribute('aria-expanded') ? el.getAttribute('aria-expanded') === 'true' : undefined,
            selected: el.getAttribute('aria-selected') === 'true',
            index: Number(el.getAttribute('data-index') ?? 0),
          }))
          .sort((a, b) => a.index - b.index),
      );
  }

  /** Every row of the tree, top to bottom, scrolling the virtualised list through to collect them. */
  async allRows(): Promise<RowInfo[]> {
    const byIndex = new Map<number, RowInfo>();
    await this.scrollTree('top');
    for (let i = 0; i < 500; i++) {
      for (const r of await this.renderedRows()) byIndex.set(r.index, r);
      if (!(await this.scrollTree(300))) break;
    }
    await this.scrollTree('top');
    return [...byIndex.values()].sort((a, b) => a.index - b.index);
  }

  /** Waits until the whole tree satisfies a predicate (the tree fills in asynchronously); returns its rows. */
  async waitForRows(predicate: (rows: RowInfo[]) => boolean, timeoutMs = 30_000, what = 'the expected state'): Promise<RowInfo[]> {
    const deadline = Date.now() + timeoutMs;
    let rows = await this.allRows();
    while (!predicate(rows)) {
      if (Date.now() > deadline) throw new Error(`the tree did not reach ${what} within ${timeoutMs} ms; it holds:\n${formatRows(rows)}`);
      await this.page.waitForTimeout(300);
      rows = await this.allRows();
    }
    return rows;
  }

  /**
   * Waits until the referenced row exists and returns it, scrolled into the rendered window. The locator is pinned to
   * the row's place and its accessible name as read: if a row added above moves it (a folder filling in), the locator
   * matches nothing instead of the row that took its place, so an action waits or fails rather than landing on another
   * row (a clean CI run expanded KubeFed for Admiralty when the Services folder appeared between read and click).
   * Actions go through onRow, which reads the row again when that happens.
   */
  async row(ref: RowRef, timeoutMs = 30_000): Promise<Locator> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rows = await this.waitForRows((rs) => findRow(rs, ref) >= 0, Math.max(1_000, deadline - Date.now()), `a row ${describeRef(ref)}`);
      const found = rows[findRow(rows, ref)]!;
      try {
        return await this.rowAtIndex(found.index, found.name);
      } catch (err) {
        // The tree re-rendered between reading the rows and scrolling (a cluster's subtree still filling in shifts the
        // indexes): read the rows again.
        if (Date.now() > deadline) throw err;
        await this.page.waitForTimeout(250);
      }
    }
  }

  /** The children of a row once it has at least `min` of them (expanding it first). */
  async children(ref: RowRef, min = 1, timeoutMs = 30_000): Promise<RowInfo[]> {
    await this.expand(ref);
    const rows = await this.waitForRows((rs) => childrenOf(rs, ref).length >= min, timeoutMs, `${min}+ children under ${describeRef(ref)}`);
    return childrenOf(rows, ref);
  }

  /**
   * Expands a row and waits until its children are exactly `expected` (names, in order); the tree fills in
   * asynchronously (counts, states). On timeout it fails with the difference, so a wrong label fails loudly.
   */
  async expectChildren(ref: RowRef, expected: readonly string[], timeoutMs = 30_000): Promise<RowInfo[]> {
    await this.expand(ref);
    const same = (rows: RowInfo[]) => {
      const got = childrenOf(rows, ref).map((r) => r.name);
      return got.length === expected.length && got.every((n, i) => n === expected[i]);
    };
    let rows: RowInfo[];
    try {
      rows = await this.waitForRows(same, timeoutMs, `the expected children under ${describeRef(ref)}`);
    } catch (err) {
      rows = await this.allRows();
      assert.deepEqual(
        childrenOf(rows, ref).map((r) => r.name),
        [...expected],
        `children of ${describeRef(ref)} after ${timeoutMs} ms (tree below)\n${formatRows(rows)}\n${(err as Error).message.split('\n')[0]}`,
      );
      throw err;
    }
    return childrenOf(rows, ref);
  }

  /**
   * Expands a row (no-op when already expanded). The row is waited for by its name, not its place: the children of
   * a row expanded just before can arrive after the click and move it down (seen in a clean CI run).
   */
  async expand(ref: RowRef): Promise<Locator> {
    for (let attempt = 1; ; attempt++) {
      const before = await this.settled();
      const clicked = await this.onRow(ref, async (row, timeout) => {
        if ((await row.getAttribute('aria-expanded', { timeout })) !== 'false') return false;
        await row.locator('.monaco-tl-twistie').click({ timeout });
        return true;
      });
      if (!clicked) return this.row(ref);
      await this.page.mouse.move(1, 1);
      try {
        await this.waitForRows((rs) => rs[findRow(rs, ref)]?.expanded === true, attempt < 3 ? 5_000 : 15_000, `${describeRef(ref)} expanded`);
        return await this.row(ref);
      } catch (err) {
        // The rows moved under the pointer between finding the row and the click landing (a folder filling in above
        // it): the click went to a neighbour. Seen in CI; the row is found again and clicked again.
        if (attempt >= 3) throw err;
        console.warn(`[e2e] ${describeRef(ref)} did not expand after a click (attempt ${attempt}); clicking again. Before the click:\n${formatRows(before)}\nafter:\n${formatRows(await this.allRows())}`);
      }
    }
  }

  async collapse(ref: RowRef): Promise<void> {
    await this.onRow(ref, async (row, timeout) => {
      if ((await row.getAttribute('aria-expanded', { timeout })) === 'true') await row.locator('.monaco-tl-twistie').click({ timeout });
    });
  }

  /** Clicks a row (selects it, and runs its command if it has one), once the tree has stopped moving. */
  async clickRow(ref: RowRef, opts: { button?: 'left' | 'right' } = {}): Promise<void> {
    await this.settled();
    await this.onRow(ref, (row, timeout) => row.click({ ...opts, timeout }));
  }

  /**
   * Waits until two reads of the whole tree 400 ms apart agree (at most 10 s), and returns the rows. A click lands
   * where the row was when the pointer moved: rows that come and go above it (a watch's "Cannot watch …, HTTP 429"
   * while a fresh API server's cache fills, a folder arriving) send it to a neighbour. Seen in CI: the click meant
   * for Admiralty expanded KubeFed.
   */
  private async settled(): Promise<RowInfo[]> {
    // The pointer leaves the tree first: resting on a row while we wait would open its hover, which then covers the
    // rows below it and takes the click (CI: "context-view subtree intercepts pointer events").
    await this.page.mouse.move(1, 1);
    const deadline = Date.now() + 10_000;
    let rows = await this.allRows();
    for (;;) {
      await this.page.waitForTimeout(400);
      const again = await this.allRows();
      if (formatRows(again) === formatRows(rows) || Date.now() > deadline) return again;
      rows = again;
    }
  }

  /**
   * Finds a row and acts on it. The row's locator is pinned to what was read (see row()); when the row moved or
   * changed its name before the action reached it, the action times out quickly and the row is read again (five
   * attempts), so the action lands on the referenced row or fails, never on its neighbour.
   */
  private async onRow<T>(ref: RowRef, act: (row: Locator, timeout: number) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const row = await this.row(ref);
      try {
        return await act(row, 3_000);
      } catch (err) {
        if (attempt >= 5) throw err;
        // Whatever covered the row (a hover opened meanwhile) goes with the pointer and Escape.
        await this.page.mouse.move(1, 1);
        await this.page.keyboard.press('Escape');
        await this.page.waitForTimeout(250);
      }
    }
  }

  /** The text of a row's hover tooltip, as a user sees it when resting the mouse on the row. */
  async tooltip(ref: RowRef, opts: { screenshot?: string } = {}): Promise<string> {
    await this.settled();
    return this.onRow(ref, (row, timeout) => this.hoverText(row.locator('.label-name, .monaco-icon-label').first(), { ...opts, timeout }));
  }

  /** The text of the hover an element shows when the mouse rests on it (a row, a status-bar item). */
  async hoverText(target: Locator, opts: { screenshot?: string; timeout?: number } = {}): Promise<string> {
    const hover = this.page.locator('.monaco-hover:visible, .workbench-hover:visible').last();
    // The first hover of a fresh workbench can be lost while it still renders: rest on the element again once.
    for (let attempt = 1; ; attempt++) {
      await this.page.mouse.move(1, 1);
      await target.hover(opts.timeout === undefined ? {} : { timeout: opts.timeout });
      try {
        await hover.waitFor({ timeout: 10_000 });
        break;
      } catch (err) {
        if (attempt >= 2) throw err;
      }
    }
    const text = await hover.innerText();
    if (opts.screenshot) await this.page.screenshot({ path: join(this.shotsDir, `${opts.screenshot}.png`) });
    await this.page.mouse.move(1, 1);
    await this.page.keyboard.press('Escape');
    return text;
  }

  /** Right-clicks a row and picks a context-menu entry (hovered first, as the menu needs). */
  async contextMenu(ref: RowRef, item: string | RegExp): Promise<void> {
    const menu = await this.openContextMenu(ref);
    const entry = menu.getByRole('menuitem', { name: item }).first();
    // A click on an entry can be lost: the menu stays open and nothing runs (seen in CI and in 1 of 5 local runs of
    // pod-logs; why VS Code drops it is not known). Running an entry closes the menu, so a menu still open after the
    // click ran nothing, and clicking the entry again cannot run it twice.
    for (let attempt = 1; ; attempt++) {
      await entry.hover();
      await entry.click();
      try {
        await menu.waitFor({ state: 'hidden', timeout: 1_500 });
        return;
      } catch (err) {
        if (attempt >= 3) throw new Error(`the context menu entry ${String(item)} was clicked ${attempt} times and the menu stayed open`, { cause: err });
        console.warn(`[e2e] the context menu stayed open after a click on ${String(item)} (attempt ${attempt}); clicking it again`);
      }
    }
  }

  /** The labels of a row's context menu (then closes it). */
  async contextMenuItems(ref: RowRef): Promise<string[]> {
    const menu = await this.openContextMenu(ref);
    const labels = await menu.getByRole('menuitem').evaluateAll((els) => els.map((e) => (e.getAttribute('aria-label') ?? e.textContent ?? '').trim()));
    await this.page.keyboard.press('Escape');
    return labels;
  }

  private async openContextMenu(ref: RowRef): Promise<Locator> {
    // A row re-rendered under the pointer (its subtree filling in) takes the right-click without a menu: the row is
    // found again and clicked again, three times at most.
    for (let attempt = 1; ; attempt++) {
      await this.clickRow(ref, { button: 'right' });
      const menu = this.page.locator('.context-view .monaco-menu');
      try {
        await menu.waitFor({ timeout: 10_000 });
        return menu;
      } catch (err) {
        if (attempt >= 3) throw err;
        await this.page.keyboard.press('Escape');
      }
    }
  }

  /** Runs a command from the palette by its title ("Liqo: Refresh"). */
  async runCommand(title: string): Promise<void> {
    // A command with an `enablement` clause (isWorkspaceTrusted) is listed only once the workbench has set that
    // context, which can come a moment after the view shows rows: the palette is opened again, three times at most.
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press('F1');
      const input = this.page.locator('.quick-input-widget input');
      await input.waitFor({ timeout: 10_000 });
      await input.fill(`>${title}`);
      try {
        await this.page.locator('.quick-input-widget [role=option]').filter({ hasText: title }).first().waitFor({ timeout: 10_000 });
      } catch (err) {
        if (attempt >= 3) throw err;
        await input.press('Escape');
        await this.page.waitForTimeout(2_000);
        continue;
      }
      await input.press('Enter');
      return;
    }
  }

  /** Picks the item of the open QuickPick whose label contains `label` (a codicon prefix such as $(check) is ignored). */
  async quickPick(label: string | RegExp): Promise<void> {
    const option = this.page.locator('.quick-input-widget [role=option]').filter({ hasText: label }).first();
    await option.waitFor({ timeout: 10_000 });
    await option.click();
  }

  /** Types into the open InputBox and accepts it. */
  async inputBox(text: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill(text);
    await input.press('Enter');
  }

  /**
   * Like inputBox, once the open InputBox's title contains `title`. VS Code reuses one widget for consecutive boxes, so
   * an Enter sent before the next box has replaced the previous one can be lost (seen in a clean CI run).
   */
  async inputBoxTitled(title: string | RegExp, text: string): Promise<void> {
    await this.page.locator('.quick-input-widget .quick-input-title').filter({ hasText: title }).first().waitFor({ timeout: 15_000 });
    await this.inputBox(text);
  }

  /** Clicks a button of the modal dialog on screen (showInformationMessage/showWarningMessage with modal: true). */
  async dialogButton(label: string, timeoutMs = 30_000): Promise<string> {
    const dialog = this.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: timeoutMs });
    const text = await dialog.innerText();
    const button = dialog.locator('.dialog-buttons .monaco-button').filter({ hasText: label }).first();
    await button.waitFor({ timeout: 10_000 });
    await button.click();
    await dialog.waitFor({ state: 'detached', timeout: 10_000 });
    return text;
  }

  /**
   * Accepts the open QuickPick as it is (Enter): a multi-select with nothing picked, or the focused item. With `title`,
   * only once the QuickPick on screen has that title: right after an earlier pick, the widget VS Code reuses can still
   * show the earlier one, and the Enter was lost there (seen in a clean CI run).
   */
  async acceptQuickPick(title?: string | RegExp): Promise<void> {
    if (title !== undefined) await this.page.locator('.quick-input-widget .quick-input-title').filter({ hasText: title }).first().waitFor({ timeout: 15_000 });
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 10_000 });
    await input.press('Enter');
  }

  /**
   * Accepts VS Code's simple save dialog (the browser's) once it shows `title` and its path field proposes a file named
   * `fileName`: the dialog shows its title before it fills the field, and an Enter before that saved nothing (seen
   * in a clean CI run of the live map export).
   */
  async acceptSaveDialog(title: string, fileName: string): Promise<void> {
    await this.page.locator('.quick-input-widget .quick-input-title').filter({ hasText: title }).first().waitFor({ timeout: 15_000 });
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 15_000 });
    const deadline = Date.now() + 15_000;
    let value = await input.inputValue();
    while (!value.endsWith(`/${fileName}`)) {
      if (Date.now() > deadline) throw new Error(`the save dialog "${title}" did not propose ${fileName}; its field reads ${JSON.stringify(value)}`);
      await this.page.waitForTimeout(100);
      value = await input.inputValue();
    }
    await input.press('Enter');
  }

  /** The message the view shows above its rows (TreeView.message), or '' when none. */
  async viewMessage(): Promise<string> {
    const m = this.sideBar().locator('.tree-explorer-viewlet-tree-view > .message');
    return (await m.count()) ? (await m.first().innerText()).trim() : '';
  }

  /**
   * Waits until the view's message matches (it is set in its own update, which can come after the rows on a busy
   * machine) and returns it; on timeout it fails with the message last seen.
   */
  async waitForViewMessage(pattern: RegExp, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last = await this.viewMessage();
    while (!pattern.test(last)) {
      if (Date.now() > deadline) throw new Error(`the view's message did not match ${pattern} within ${timeoutMs} ms; it is: ${JSON.stringify(last)}`);
      await this.page.waitForTimeout(250);
      last = await this.viewMessage();
    }
    return last;
  }

  /** Reloads the window (as Developer: Reload Window does in the web workbench) and waits until it is interactive. */
  async reloadWindow(url: string): Promise<void> {
    await this.open(url);
  }

  /** Clicks one of a row's inline action buttons (shown on hover), by its title. */
  async inlineAction(ref: RowRef, title: string): Promise<void> {
    await this.settled();
    await this.onRow(ref, async (row, timeout) => {
      await row.hover({ timeout });
      const button = row.locator(`.actions .action-label[aria-label^="${title}"]`).first();
      await button.waitFor({ timeout: 10_000 });
      await button.click({ timeout });
    });
  }

  /** The active editor's tab title and visible text (what a user reads after a command opened a document). */
  async activeEditor(timeoutMs = 15_000): Promise<{ title: string; text: string }> {
    const tab = this.page.locator('.tabs-container .tab.active');
    await tab.waitFor({ timeout: timeoutMs });
    const lines = this.page.locator('.editor-instance .monaco-editor .view-lines').first();
    await lines.waitFor({ timeout: timeoutMs });
    // Monaco draws spaces as no-break spaces.
    const text = (await lines.innerText()).replace(/\u00a0/g, ' ');
    return { title: (await tab.getAttribute('aria-label')) ?? (await tab.innerText()), text };
  }

  /**
   * The active editor when it is a rendered Markdown preview: its tab title and the text the preview shows (read from
   * the webview's inner frame), once `expect` matches it.
   */
  async activePreview(expect: RegExp, timeoutMs = 30_000): Promise<{ title: string; text: string }> {
    const tab = this.page.locator('.tabs-container .tab.active');
    await tab.waitFor({ timeout: timeoutMs });
    const deadline = Date.now() + timeoutMs;
    let text = '';
    while (Date.now() < deadline) {
      for (const outer of await this.page.locator('iframe.webview.ready').all()) {
        if (!(await outer.isVisible())) continue;
        const body = outer.contentFrame().locator('#active-frame').contentFrame().locator('body');
        text = ((await body.innerText({ timeout: 2_000 }).catch(() => '')) || '').replace(/\u00a0/g, ' ');
        if (expect.test(text)) return { title: (await tab.getAttribute('aria-label')) ?? (await tab.innerText()), text };
      }
      await this.page.waitForTimeout(250);
    }
    throw new Error(`no visible Markdown preview showed ${expect} within ${timeoutMs} ms; last text:\n${text}`);
  }

  /** Text of the notification toasts currently shown. */
  async notifications(): Promise<string[]> {
    return this.page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts();
  }

  async screenshot(name: string): Promise<string> {
    const file = join(this.shotsDir, `${name}.png`);
    await this.page.mouse.move(1, 1); // no hover tooltip over the picture
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Scrolls until the row with that flattened index is rendered, and returns it. */
  private async rowAtIndex(index: number, name: string): Promise<Locator> {
    for (let i = 0; i < 200; i++) {
      const rendered = await this.renderedRows();
      const there = rendered.find((r) => r.index === index);
      if (there) {
        const at = this.tree().locator(`${ROWS}[data-index="${index}"]`);
        // Pinned to the name only when the name is the aria-label (renderedRows falls back to the text otherwise).
        return (await at.getAttribute('aria-label', { timeout: 1_000 })) === name ? this.tree().locator(`${ROWS}[data-index="${index}"][aria-label=${JSON.stringify(name)}]`) : at;
      }
      const last = rendered.at(-1)?.index ?? -1;
      const first = rendered[0]?.index ?? 0;
      if (!(await this.scrollTree(index > last ? 200 : index < first ? -200 : 22))) break;
    }
    throw new Error(`tree row #${index} could not be scrolled into view`);
  }

  /** Scrolls the tree (synthetic wheel events on its scrollable element, so no hover gets in the way); true when the list moved. */
  private async scrollTree(delta: number | 'top'): Promise<boolean> {
    const tree = this.tree();
    if ((await tree.count()) === 0) return false;
    const moved = await tree.evaluate((el, deltaY) => {
      const scrollable = el.querySelector('.monaco-scrollable-element');
      const rows = el.querySelector('.monaco-list-rows') as unknown as { style: { top: string; transform: string } } | null;
      if (!scrollable || !rows) return false;
      const before = `${rows.style.top}|${rows.style.transform}`;
      const { WheelEvent } = globalThis as unknown as { WheelEvent: new (type: string, init: object) => Event };
      scrollable.dispatchEvent(new WheelEvent('wheel', { deltaY, deltaMode: 0, bubbles: true, cancelable: true }));
      return `${rows.style.top}|${rows.style.transform}` !== before;
    }, delta === 'top' ? -1_000_000 : delta);
    if (moved) {
      await this.page.evaluate(() => {
        const { requestAnimationFrame } = globalThis as unknown as { requestAnimationFrame(cb: () => void): void };
        return new Promise<void>((r) => requestAnimationFrame(() => r()));
      });
    }
    return moved;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
