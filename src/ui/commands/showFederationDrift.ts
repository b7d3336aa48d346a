// liqo.federation.showDrift: what differs between the reference record (an opened file, else the latest automatic
// record) and the federation now, as a read-only document; also returned, for callers of executeCommand.
import type { Command } from './command.ts';
import { federationDrift, type DriftItem } from '../../core/federation/drift.ts';
import { driftReport } from '../../core/federation/driftReport.ts';
import { gatherFacts, whenSettled } from '../../infra/federation/gatherFacts.ts';

export const showFederationDrift: Command = {
  id: 'liqo.federation.showDrift',
  async run({ model, federationStates }): Promise<readonly DriftItem[] | undefined> {
    await model.activate();
    await whenSettled(model);
    const reference = await federationStates.reference();
    if (!reference) {
      throw new Error('No federation record yet: one is taken by itself while a federation is healthy. Open a saved one with "Liqo: Open Federation State…".');
    }
    const items = federationDrift(reference.record, await gatherFacts(model));
    await federationStates.openDocument(driftReport(items, reference.record, reference.source, new Date().toISOString()), 'Federation Drift');
    return items;
  },
};
