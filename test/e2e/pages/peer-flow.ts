// Peer Clusters… as a user walks its multi-step input up to the confirmation: the palette, consumer and provider
// picked by context name (steps 1 and 2 of 6); then, once liqoctl and the pre-flight checks passed, networking disabled
// (the test beds have no gateway) and no resource limits (the provider decides). What comes between and after (the
// liqoctl offer, the pre-flight's modal) is the scenario's to check.
import type { WorkbenchPage } from './workbench-page.ts';
import { stepTitle } from './multi-step.ts';

/** The palette command and the two clusters: liqoctl and the clusters are checked right after this. */
export async function pickPeerSides(ui: WorkbenchPage, consumer: string, provider: string): Promise<void> {
  await ui.runCommand('Liqo: Peer Clusters…');
  await answerPeerSides(ui, consumer, provider);
}

/** The two clusters, once Peer Clusters… was started (from the palette, a walkthrough button, a row). */
export async function answerPeerSides(ui: WorkbenchPage, consumer: string, provider: string): Promise<void> {
  // each pick waits for its step's title: the widget of the step before can still be on screen, with the same names
  await stepTitle(ui, /consumer \(gets a virtual node\).*\(1\/6\)/);
  await ui.quickPick(consumer);
  await stepTitle(ui, /with which provider\?.*\(2\/6\)/);
  await ui.quickPick(provider);
}

/** The options, asked only after the checks passed (liqoctl's version and both clusters read: allow for that). */
export async function answerPeerOptions(ui: WorkbenchPage, checksMs = 120_000): Promise<void> {
  await stepTitle(ui, /Network between the clusters.*\(3\/6\)/, checksMs);
  await ui.quickPick('Networking disabled');
  // each box waited for by its title: an Enter sent while the widget still shows the previous box is lost
  for (const what of ['CPU', 'memory', 'pods']) await ui.inputBoxTitled(`Resources to request: ${what} `, '');
}

export async function startPeerClusters(ui: WorkbenchPage, consumer: string, provider: string): Promise<void> {
  await pickPeerSides(ui, consumer, provider);
  await answerPeerOptions(ui);
}
