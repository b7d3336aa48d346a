// Offload Namespace…'s options as a user answers them, once the consumer and the namespace are known: pods only on
// virtual nodes (Remote), the default remote name, no cluster selector (every peered cluster). The confirmation
// that follows is the scenario's to check.
import type { WorkbenchPage } from './workbench-page.ts';

export async function answerOffloadOptions(ui: WorkbenchPage): Promise<void> {
  await ui.quickPick('Pods run only on virtual nodes'); // Remote (its detail: "Remote" alone also matches LocalAndRemote)
  await ui.quickPick('DefaultName');
  await ui.acceptQuickPick('Cluster selector');
}
