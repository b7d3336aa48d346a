// liqo.peering.requestResources: Request Resources… on a peering row of the consumer (the peer is its Provider).
// Asks a name and the quantities (cpu, memory, pods, GPUs and any other extended resource), writes the ResourceSlice
// as `liqoctl create resourceslice` forges it through the one write path, and follows the provider's answer by
// watch until it is accepted or denied (Cancel stops following; the slice stays and shows in the tree).
import * as vscode from 'vscode';
import type { Command } from './command.ts';
import { pickPeering } from '../operations/peeringTarget.ts';
import { withCancellableProgress } from '../operations/progress.ts';
import { requestResources as request } from '../../infra/operations/requestResources.ts';
import { isQuantity } from '../../core/liqoctl/peer.ts';
import { resourceSliceProblems } from '../../core/offloading/resourceSlice.ts';

async function ask(title: string, placeHolder: string, check: (v: string) => string | undefined, value = ''): Promise<string | undefined> {
  return vscode.window.showInputBox({ title, placeHolder, value, validateInput: (v) => (v.trim() === '' ? undefined : check(v.trim())) });
}

const quantity = (example: string) => (v: string) => (isQuantity(v) ? undefined : `"${v}" is not a quantity (e.g. ${example}).`);

export const requestResources: Command = {
  id: 'liqo.peering.requestResources',
  async run(deps, arg) {
    const peering = await pickPeering(deps, arg, 'Request Resources');
    if (!peering) return;
    if (peering.role !== 'Provider' && peering.role !== 'ConsumerAndProvider') {
      throw new Error(`${peering.peerClusterId} is not a provider of ${peering.here.contextName} (its role is ${peering.role}): request resources from the consumer's peering row of a provider.`);
    }
    const tenantNamespace = peering.tenantNamespace;
    if (!tenantNamespace) throw new Error(`The peering with ${peering.peerClusterId} has no tenant namespace yet: wait until its authentication is established.`);
    const name = await ask('ResourceSlice name', 'extra-resources', (v) => resourceSliceProblems({ name: v, tenantNamespace, providerClusterId: peering.peerClusterId, resources: { cpu: '1' } })[0], `${peering.peerClusterId}-extra`.toLowerCase());
    if (!name) return;
    const resources: Record<string, string> = {};
    for (const [key, example] of [['cpu', '4'], ['memory', '8Gi'], ['pods', '30'], ['nvidia.com/gpu', '1']] as const) {
      const v = await ask(`Request Resources: ${key} (empty: none)`, example, quantity(example));
      if (v === undefined) return;
      if (v.trim()) resources[key] = v.trim();
    }
    const extra = await ask('Other extended resources (optional)', 'example.com/fpga=2, hugepages-2Mi=1Gi', (v) => {
      for (const pair of v.split(',').map((p) => p.trim()).filter(Boolean)) {
        const [k, q] = pair.split('=').map((x) => x?.trim() ?? '');
        if (!k || !q || !isQuantity(q)) return `"${pair}" is not name=quantity (e.g. example.com/fpga=2).`;
      }
      return undefined;
    });
    if (extra === undefined) return;
    for (const pair of extra.split(',').map((p) => p.trim()).filter(Boolean)) {
      const [k, q] = pair.split('=').map((x) => x.trim());
      if (k && q) resources[k] = q;
    }
    const req = { name: name.trim(), tenantNamespace, providerClusterId: peering.peerClusterId, resources };
    const problems = resourceSliceProblems(req);
    if (problems.length) throw new Error(problems.join(' '));
    const result = await withCancellableProgress(`Requesting resources from ${peering.peerClusterId}`, (signal, report) => request(peering.here.client, req, { signal, onProgress: report }));
    deps.log.info(`ResourceSlice ${tenantNamespace}/${req.name} on ${peering.here.contextName} (${JSON.stringify(resources)}): ${result.outcome} — ${result.detail}`);
    if (result.outcome === 'accepted') void vscode.window.showInformationMessage(`${peering.peerClusterId} accepted ResourceSlice ${req.name}: a virtual node for it appears under Virtual Nodes.`);
    else if (result.outcome === 'denied') throw new Error(`${peering.peerClusterId} did not accept ResourceSlice ${req.name}: ${result.detail}`);
    else void vscode.window.showWarningMessage(`ResourceSlice ${req.name} is created; ${result.stopped === 'aborted' ? 'you stopped following it' : 'the provider has not answered yet'} (${result.detail}). Its state shows in the Liqo view.`);
  },
};
