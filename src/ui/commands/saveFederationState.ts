// liqo.federation.saveState: the record of a federation as it is now, written to a YAML file the user picks
// (reviewable, commit-friendly). A federation that is not healthy now is saved only after the user confirms.
import * as vscode from 'vscode';
import type { Command } from './command.ts';
import { federationsOf, isHealthy, observeFederation } from '../../core/federation/knownGood.ts';
import { recordToYaml } from '../../core/federation/recordYaml.ts';
import { gatherFacts, whenSettled } from '../../infra/federation/gatherFacts.ts';
import { writeAtomically } from '../../infra/kubeconfig/atomicWrite.ts';

export const saveFederationState: Command = {
  id: 'liqo.federation.saveState',
  async run({ model }): Promise<string | undefined> {
    await model.activate();
    await whenSettled(model);
    const facts = await gatherFacts(model);
    const groups = federationsOf(facts).filter((g) => g.length > 1);
    if (groups.length === 0) throw new Error('No federation to save: no cluster in the kubeconfigs shows a peering (ForeignCluster). Peer two clusters first, or wait until they connect.');
    let ids = groups[0]!;
    if (groups.length > 1) {
      const pick = await vscode.window.showQuickPick(
        groups.map((g) => ({ label: g.join(', '), ids: g })),
        { title: 'Save Federation State', placeHolder: 'Which federation (clusters linked by peerings)?' },
      );
      if (!pick) return undefined;
      ids = pick.ids;
    }
    const observed = observeFederation(facts, ids, new Date().toISOString());
    if (!isHealthy(observed)) {
      const go = await vscode.window.showWarningMessage(
        'This federation is not healthy now (a peering or offloading is failing, or a cluster does not answer). Save its current state anyway?',
        { modal: true },
        'Save Anyway',
      );
      if (go !== 'Save Anyway') return undefined;
    }
    const target = await vscode.window.showSaveDialog({ title: 'Save Federation State', filters: { YAML: ['yaml', 'yml'] }, saveLabel: 'Save' });
    if (!target) return undefined;
    await writeAtomically(target.fsPath, recordToYaml(observed.record), 0o644);
    void vscode.window.showInformationMessage(`Federation state saved to ${target.fsPath} (no credentials inside).`);
    return target.fsPath;
  },
};
