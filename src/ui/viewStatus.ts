// The view's title description and message: the active filter, how many contexts it shows, how many are hidden;
// and the context key that shows the Clear Filter action.
import type * as vscode from 'vscode';
import type { FederationModel } from '../infra/federationModel.ts';
import { describeFilter, filterActive, viewMessage } from '../core/tree/viewFilter.ts';
import { CONTEXT_FILTER_ACTIVE, setContextKey } from './contextKeys.ts';
import type { RowHandle } from './federationTreeProvider.ts';

export function syncViewStatus(view: vscode.TreeView<RowHandle>, model: FederationModel): void {
  const f = model.filter;
  const active = filterActive(f);
  view.description = active ? `filter: ${describeFilter(f)}` : undefined;
  const c = model.counts();
  view.message = viewMessage(f, c.shown, c.total, c.hidden);
  void setContextKey(CONTEXT_FILTER_ACTIVE, active);
}
