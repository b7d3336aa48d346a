// liqo.peering.requestResources: Request Resources… on a peering row of the consumer (the peer is its Provider).
// Asks a name and the quantities (cpu, memory, pods, GPUs and any other extended resource) in one multi-step input
// (Back keeps the answers, Escape writes nothing), writes the ResourceSlice
// as `liqoctl create resourceslice` forges it through the one write path, and follows the provider's answer by
// watch until it is accepted or denied (Cancel stops following; the slice stays and shows in the tree).
import * as vscode from 'vscode';
import type { Command } from './command.ts';
import { pickPeering } from '../operations/peeringTarget.ts';
import { withCancellableProgress } from '../operations/progress.ts';
import { requestResources as request } from '../../infra/operations/requestResources.ts';
import { isQuantity } from '../../core/liqoctl/peer.ts';
import { resourceSliceProblems } from '../../core/offloading/resourceSlice.ts';
import { runMultiStep, type InputStep } from '../operations/multiStepInput.ts';
import { REQUEST_RESOURCES_STEPS, type RequestResourcesAnswers } from '../../core/multistep/flows.ts';

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
    const quantityStep = (key: string, example: string): InputStep<RequestResourcesAnswers> => ({
      kind: 'input',
      title: () => `${key} (empty: none)`,
      placeholder: example,
      validate: (v) => (v.trim() === '' ? undefined : quantity(example)(v.trim())),
    });
    const answers = await runMultiStep<RequestResourcesAnswers>(`Request Resources from ${peering.peerClusterId}`, REQUEST_RESOURCES_STEPS, {}, {
      name: {
        kind: 'input',
        title: () => 'ResourceSlice name',
        placeholder: 'extra-resources',
        value: () => `${peering.peerClusterId}-extra`.toLowerCase(),
        validate: (v) => (v.trim() === '' ? 'Name the ResourceSlice.' : resourceSliceProblems({ name: v.trim(), tenantNamespace, providerClusterId: peering.peerClusterId, resources: { cpu: '1' } })[0]),
      },
      cpu: quantityStep('cpu', '4'),
      memory: quantityStep('memory', '8Gi'),
      pods: quantityStep('pods', '30'),
      gpu: quantityStep('nvidia.com/gpu', '1'),
      extra: {
        kind: 'input',
        title: () => 'other extended resources (optional)',
        placeholder: 'example.com/fpga=2, hugepages-2Mi=1Gi',
        validate: (v) => {
          for (const pair of v.split(',').map((p) => p.trim()).filter(Boolean)) {
            const [k, q] = pair.split('=').map((x) => x?.trim() ?? '');
            if (!k || !q || !isQuantity(q)) return `"${pair}" is not name=quantity (e.g. example.com/fpga=2).`;
          }
          return undefined;
        },
      },
    });
    if (!answers) return;
    const name = answers.name ?? '';
    const resources: Record<string, string> = {};
    for (const [key, v] of [['cpu', answers.cpu], ['memory', answers.memory], ['pods', answers.pods], ['nvidia.com/gpu', answers.gpu]] as const) if (v) resources[key] = v;
    for (const pair of (answers.extra ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
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
