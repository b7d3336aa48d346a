// What the view last rendered for each row, to find rows it still shows in an older state. VS Code drops a refresh
// event for a row it has asked for but not yet registered (its first fetch of a parent still in flight): a cluster
// that connects in the same second the view opens would stay "connecting…" until something else changes the row.
// The provider records each view it hands out (getTreeItem) and, a moment after each change, asks the ledger which
// rows differ from the model; those are refreshed again, a bounded number of times per row and change.
import type { TreeNodeView } from './view.ts';

/** Everything of a row that VS Code renders: when two views have the same signature, the row looks the same. */
export function rowSignature(v: TreeNodeView): string {
  return JSON.stringify([v.label, v.description ?? null, v.tooltip ?? null, v.ariaLabel, v.icon ?? null, v.contextValue, v.collapsible, v.command ?? null]);
}

/** How many times one row is refreshed again without VS Code rendering it in between. */
export const MAX_REFRESH_ATTEMPTS = 4;

export class RenderLedger {
  private readonly rendered = new Map<string, string>();
  private readonly attempts = new Map<string, number>();

  /** VS Code asked for this row's item (getTreeItem): that is what it shows now. */
  rendering(view: TreeNodeView): void {
    this.rendered.set(view.id, rowSignature(view));
    this.attempts.delete(view.id);
  }

  /** Rows gone from the model: nothing to compare them with any longer. */
  forget(ids: Iterable<string>): void {
    for (const id of ids) {
      this.rendered.delete(id);
      this.attempts.delete(id);
    }
  }

  get size(): number {
    return this.rendered.size;
  }

  /**
   * The rows whose rendered state differs from the model's current view, each counted as one more refresh attempt.
   * A row refreshed MAX_REFRESH_ATTEMPTS times without being rendered again is left alone (VS Code no longer shows
   * it) until it renders again. Rows the model no longer has are forgotten.
   */
  stale(current: (id: string) => TreeNodeView | undefined): string[] {
    const out: string[] = [];
    for (const [id, signature] of this.rendered) {
      const view = current(id);
      if (!view) {
        this.forget([id]);
        continue;
      }
      if (rowSignature(view) === signature) {
        this.attempts.delete(id);
        continue;
      }
      const n = this.attempts.get(id) ?? 0;
      if (n >= MAX_REFRESH_ATTEMPTS) continue;
      this.attempts.set(id, n + 1);
      out.push(id);
    }
    return out;
  }

  /** Whether some row is still waiting for VS Code to render a refresh (the provider checks again later). */
  get pending(): boolean {
    for (const n of this.attempts.values()) if (n < MAX_REFRESH_ATTEMPTS) return true;
    return false;
  }
}
