// The "Federate two clusters" walkthrough: opened once per profile on the first start after install, and by
// Liqo: Open Walkthrough; its steps tick through `onContext:` keys this class sets when the model sees a step's
// result (core/walkthrough/milestones.ts decides which), or when an action that leaves nothing to see in a cluster
// reports its success. A cancelled command sets nothing, unlike an `onCommand:` completion event.
import * as vscode from 'vscode';
import type { FederationModel } from '../infra/federationModel.ts';
import { MILESTONES, WALKTHROUGH_ID, milestoneContextKey, newlyReached, reachedMilestones, type ActionMilestone, type Milestone } from '../core/walkthrough/milestones.ts';
import { setContextKey } from './contextKeys.ts';

/** Global state: the walkthrough was opened on a first run once; never again by itself. */
const OPENED_ONCE_KEY = 'liqo.walkthrough.openedOnce';
/** VS Code's own switch for walkthroughs opening on install: honoured here too. */
const OPEN_ON_INSTALL = 'workbench.welcomePage.walkthroughs.openOnInstall';
/** Cluster events come in bursts (a watch's initial list, every cluster of a large kubeconfig): read at most this often. */
const THROTTLE_MS = 250;

export class WalkthroughProgress implements vscode.Disposable {
  private reached = new Set<Milestone>();
  private readonly actions = new Set<ActionMilestone>();
  private clusterEvents: { dispose(): void } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly model: FederationModel;
  private readonly extensionId: string;

  constructor(model: FederationModel, extensionId: string) {
    this.model = model;
    this.extensionId = extensionId;
    this.clusterEvents = model.onDidChangeClusters(() => {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.update();
      }, THROTTLE_MS);
    });
  }

  /** An action whose result no cluster shows succeeded (a server address saved and connecting, a verified offloading…). */
  report(m: ActionMilestone): void {
    this.actions.add(m);
    this.update();
  }

  /** Opens the walkthrough beside nothing else (VS Code's Welcome editor, on this extension's walkthrough). */
  open(): Thenable<unknown> {
    return vscode.commands.executeCommand('workbench.action.openWalkthrough', `${this.extensionId}#${WALKTHROUGH_ID}`, false);
  }

  /** On the first start after install (once per profile), unless VS Code is told not to open walkthroughs on install. */
  async openOnFirstRun(globalState: vscode.Memento): Promise<void> {
    if (globalState.get<boolean>(OPENED_ONCE_KEY)) return;
    if (vscode.workspace.getConfiguration().get<boolean>(OPEN_ON_INSTALL, true) === false) return;
    await globalState.update(OPENED_ONCE_KEY, true);
    await this.open();
  }

  private update(): void {
    const next = reachedMilestones(this.reached, this.model.mapInputs(), this.actions);
    for (const m of newlyReached(this.reached, next)) void setContextKey(milestoneContextKey(m), true);
    this.reached = next;
    // every step ticked: no reason to read the clusters on each of their events any more
    if (MILESTONES.every((m) => next.has(m))) this.stopListening();
  }

  private stopListening(): void {
    this.clusterEvents?.dispose();
    this.clusterEvents = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.stopListening();
  }
}
