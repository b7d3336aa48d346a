// Peer Clusters… as a user walks it up to the confirmation: the palette, consumer and provider picked by context
// name, networking disabled (the test beds have no gateway), and no resource limits (the provider decides). What
// comes next (the liqoctl offer, the pre-flight's modal) is the scenario's to check.
import type { WorkbenchPage } from './workbench-page.ts';

export async function startPeerClusters(ui: WorkbenchPage, consumer: string, provider: string): Promise<void> {
  await ui.runCommand('Liqo: Peer Clusters…');
  await ui.quickPick(consumer);
  await ui.quickPick(provider);
  await ui.quickPick('Networking disabled');
  // each box waited for by its title: an Enter sent while the widget still shows the previous box is lost
  for (const what of ['CPU', 'memory', 'pods']) await ui.inputBoxTitled(`Resources to request: ${what} `, '');
}
