// The view model of one tree row: everything a user sees (label, description, tooltip, icon, menus) decided in pure
// code so tests can assert the exact tree without VS Code. src/ui only converts it to a vscode.TreeItem.
import type { RowKey } from './rowKey.ts';

export type Collapsible = 'none' | 'collapsed' | 'expanded';

export interface IconView {
  /** A codicon id, e.g. `vm-active`, `error`, `loading~spin`. */
  readonly id: string;
  /** A theme colour id, e.g. `testing.iconPassed`, `errorForeground`. */
  readonly color?: string;
}

export interface CommandView {
  readonly command: string;
  readonly title: string;
  readonly arguments?: readonly unknown[];
}

export interface TreeNodeView {
  /** What the row is (structured); `id` is derived from it with rowId() and never parsed back. */
  readonly key: RowKey;
  /** Stable across refreshes, so selection and expansion survive. */
  readonly id: string;
  readonly label: string;
  readonly description?: string;
  /** Markdown. */
  readonly tooltip?: string;
  /** The screen reader's name for the row (and what e2e tests select by). */
  readonly ariaLabel: string;
  readonly icon?: IconView;
  /** `liqo:<kind>` plus `+flag`s, matched by `viewItem =~ /.../` in package.json menus. */
  readonly contextValue: string;
  readonly collapsible: Collapsible;
  readonly command?: CommandView;
  /** The Kubernetes object behind the row, for Reveal in YAML and object commands. */
  readonly resource?: ResourceRef;
  /**
   * Other objects whose change alters this row's own view (a count, a state shown from a related object). With
   * `resource`, they tell the view model which rows a per-object change event touches.
   */
  readonly sources?: readonly ObjectRef[];
}

export interface ObjectRef {
  /** One of the watched kinds (see core/liqo/snapshot.ts). */
  readonly kind: string;
  /** `namespace/name` or `name`. */
  readonly key: string;
}

export interface ResourceRef {
  readonly entryId: string;
  /** One of the watched kinds (see core/liqo/snapshot.ts). */
  readonly kind: string;
  /** `namespace/name` or `name`. */
  readonly key: string;
}

export function contextValue(kind: string, flags: readonly (string | false | undefined)[] = []): string {
  return ['liqo:' + kind, ...flags.filter((f): f is string => Boolean(f)).map((f) => '+' + f)].join('');
}

/** Escapes text for a Markdown tooltip (names can contain `_`, `*`, `[`...). */
export function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => '\\' + c).replace(/[\r\n]+/g, ' ');
}

/**
 * Text shown as inline code in a Markdown tooltip (a URL, a path). Remote strings (a peer's apiServerUrl) may hold
 * backticks or newlines that would end the code span and inject Markdown: those fall back to escaped plain text.
 */
export function code(text: string): string {
  return /[`\r\n]/.test(text) ? md(text) : `\`${text}\``;
}

export function ariaLabelOf(label: string, description?: string): string {
  return description ? `${label}, ${description}` : label;
}
