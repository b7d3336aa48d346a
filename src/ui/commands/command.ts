// The shape of one command and how commands are registered: one small file per command, one registration loop,
// every failure shown as an explained error (never an unhandled rejection) and returned as a CommandFailure, so a
// caller of executeCommand (another command, a host test) can tell a failed run from a successful one.
import * as vscode from 'vscode';
import type { FederationModel } from '../../infra/federationModel.ts';
import type { FederationTreeProvider, RowHandle } from '../federationTreeProvider.ts';
import type { LiqoctlRunner } from '../../infra/liqoctl/liqoctlRunner.ts';
import type { KubeconfigWorkbench } from '../kubeconfigWorkbench.ts';
import type { LogViews } from '../logs/logViews.ts';
import type { FailureReportDocuments } from '../logs/failureReports.ts';
import type { ProcessRunner } from '../../infra/process/runner.ts';
import type { SshTunnels } from '../sshTunnels.ts';
import type { ServiceForwards } from '../serviceForwards.ts';
import type { FederationMap } from '../map/federationMap.ts';
import type { FederationStates } from '../federationStates.ts';
import { CLUSTER_WRITING_COMMANDS, writesToCluster } from '../../core/readOnly/readOnlyContexts.ts';
import type { DriftView } from '../driftView.ts';
import type { WalkthroughProgress } from '../walkthrough.ts';

export interface CommandDeps {
  readonly model: FederationModel;
  readonly tree: FederationTreeProvider;
  readonly view: vscode.TreeView<RowHandle>;
  readonly log: vscode.LogOutputChannel;
  /** liqoctl through the one process runner (binary from liqo.liqoctlPath, else PATH). */
  readonly liqoctl: LiqoctlRunner;
  /** Re-reads settings into the model (after a command changed them). */
  readonly reloadSettings: () => Promise<void>;
  /** Preview, write and undo of kubeconfig changes. */
  readonly kubeconfig: KubeconfigWorkbench;
  /** The log views and the live-stream status bar item. */
  readonly logViews: LogViews;
  /** Why Is This Pod Failing? documents. */
  readonly failureReports: FailureReportDocuments;
  /** The window's one program runner (trust-gated): ssh, credential programs of pre-save probes. */
  readonly programs: ProcessRunner;
  /** The SSH tunnels this window opened (status bar, stop/reopen). */
  readonly tunnels: SshTunnels;
  /** The service forwards this window opened (Open Service in Browser…; status bar, stop). */
  readonly forwards: ServiceForwards;
  /** The extension's global storage folder (downloaded liqoctl releases live under it). */
  readonly storageDir: string;
  /** The federation map (one webview panel). */
  readonly map: FederationMap;
  /** Known-good federation records: the ring, the opened reference, the drift documents. */
  readonly federationStates: FederationStates;
  /**
   * Set by the registration loop for a command that writes to clusters (its title): every context the command
   * resolves through rowTarget/peeringTarget is then checked against the read-only guard before anything runs.
   */
  readonly writes?: string;
  /** The Federation Drift view (its rows carry the per-item Restore action). */
  readonly driftView: DriftView;
  /** The "Federate two clusters" walkthrough: opened from the palette, told of actions no cluster shows. */
  readonly walkthrough: WalkthroughProgress;
}

export interface Command {
  readonly id: string;
  run(deps: CommandDeps, ...args: unknown[]): unknown;
}

/** What a command that failed returns (after showing its error): menus ignore it, executeCommand callers see it. */
export interface CommandFailure {
  readonly failed: true;
  readonly command: string;
  readonly message: string;
}

export function isCommandFailure(x: unknown): x is CommandFailure {
  return typeof x === 'object' && x !== null && (x as { failed?: unknown }).failed === true && typeof (x as { message?: unknown }).message === 'string';
}

export function registerCommands(commands: readonly Command[], deps: CommandDeps): vscode.Disposable[] {
  return commands.map((c) => {
    // Decided here, from core's list, not by each command: a writing command cannot forget to be guarded.
    const runDeps: CommandDeps = writesToCluster(c.id) ? { ...deps, writes: CLUSTER_WRITING_COMMANDS[c.id]! } : deps;
    return vscode.commands.registerCommand(c.id, async (...args: unknown[]) => {
      try {
        return await c.run(runDeps, ...args);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        deps.log.error(`${c.id}: ${message}`);
        void vscode.window.showErrorMessage(message);
        const failure: CommandFailure = { failed: true, command: c.id, message };
        return failure;
      }
    });
  });
}

/** The id of the kubeconfig entry a tree row (or a raw entry id argument) refers to: asked of the model, never parsed. */
export function entryIdOf(model: FederationModel, arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (!arg || typeof arg !== 'object' || !('id' in arg) || typeof arg.id !== 'string') return undefined;
  const known = model.entryOf(arg.id)?.id;
  if (known !== undefined) return known;
  // a row the model dropped a moment ago that VS Code still shows: its handle names its entry
  const entry = 'entry' in arg && typeof arg.entry === 'string' ? arg.entry : undefined;
  return entry !== undefined && model.clusters.some((c) => c.id === entry) ? entry : undefined;
}

/** The rows a context-menu command runs on: every selected row when several are, else the one clicked. */
export function selectedRows(arg: unknown, all: unknown): unknown[] {
  if (Array.isArray(all) && all.length > 0) return all;
  return arg === undefined ? [] : [arg];
}
