// Offload Namespace…'s options as a user answers them, once the consumer and the namespace are known: pods only on
// virtual nodes (Remote), the default remote name, no cluster selector (every peered cluster). The confirmation
// that follows is the scenario's to check.
import type { WorkbenchPage } from './workbench-page.ts';
import { stepTitle } from './multi-step.ts';

export async function answerOffloadOptions(ui: WorkbenchPage): Promise<void> {
  // each answer waits for its step's title: the multi-step input reuses one widget, the step before can still show
  await stepTitle(ui, /where may the pods of .* run\?/);
  await ui.quickPick('Pods run only on virtual nodes'); // Remote (its detail: "Remote" alone also matches LocalAndRemote)
  await stepTitle(ui, /name of the remote namespace/);
  await ui.quickPick('DefaultName');
  await ui.acceptQuickPick(/cluster selector/);
}
