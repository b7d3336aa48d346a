// Every command the extension registers. package.json declares the same ids (a host test checks both ways).
import type { Command } from './command.ts';
import { addKubeconfigFile } from './addKubeconfigFile.ts';
import { openKubeconfig } from './openKubeconfig.ts';
import { refreshFederation } from './refreshFederation.ts';
import { retryCluster } from './retryCluster.ts';
import { revealPeer } from './revealPeer.ts';
import { revealYaml } from './revealYaml.ts';
import { offloadNamespace } from './offloadNamespace.ts';
import { unoffloadNamespace } from './unoffloadNamespace.ts';
import { installLiqo } from './installLiqo.ts';
import { peerClusters } from './peerClusters.ts';
import { renameContext } from './renameContext.ts';
import { deleteContext } from './deleteContext.ts';
import { extractContext } from './extractContext.ts';
import { mergeInto } from './mergeInto.ts';
import { removeFromList } from './removeFromList.ts';
import { undoKubeconfigChange } from './undoKubeconfigChange.ts';
import { rewriteServer } from './rewriteServer.ts';
import { streamPodLogs } from './streamPodLogs.ts';
import { streamNamespaceLogs, streamSelectorLogs } from './streamNamespaceLogs.ts';
import { whyPodFailing } from './whyPodFailing.ts';
import { clearLogStream, stopLogStream } from './logStreamActions.ts';
import { filterClusters } from './filterClusters.ts';
import { clearFilter } from './clearFilter.ts';
import { hideCluster } from './hideCluster.ts';
import { allowWrites, markReadOnly } from './markReadOnly.ts';
import { showHidden } from './showHidden.ts';
import { importOverSsh } from './importOverSsh.ts';
import { openTunnel } from './openTunnel.ts';
import { stopTunnel } from './stopTunnel.ts';
import { openServiceInBrowser } from './openServiceInBrowser.ts';
import { stopServiceForward } from './stopServiceForward.ts';
import { unpeerClusters } from './unpeerClusters.ts';
import { cleanUpLeftoverPeering } from './cleanUpLeftoverPeering.ts';
import { requestResources } from './requestResources.ts';
import { verifyOffloading } from './verifyOffloading.ts';
import { downloadLiqoctl } from './downloadLiqoctl.ts';
import { muteAlerts } from './muteAlerts.ts';
import { unmuteAlerts } from './unmuteAlerts.ts';
import { showFailing } from './showFailing.ts';
import { showFederationMap } from './showFederationMap.ts';
import { exportFederationMap } from './exportFederationMap.ts';
import { saveFederationState } from './saveFederationState.ts';
import { openFederationState } from './openFederationState.ts';
import { showFederationDrift } from './showFederationDrift.ts';
import { restoreFederation } from './restoreFederation.ts';
import { refreshDrift, restoreDriftItem } from './restoreDriftItem.ts';
import { openWalkthrough } from './openWalkthrough.ts';

/** Known-good federation records (issue 20), listed apart to ease merging. */
const knownGoodCommands: readonly Command[] = [saveFederationState, openFederationState, showFederationDrift, restoreFederation, restoreDriftItem, refreshDrift];

/** The kubeconfig workbench's commands (issue 10), listed apart to ease merging with the view's commands. */
const kubeconfigCommands: readonly Command[] = [renameContext, rewriteServer, deleteContext, extractContext, mergeInto, removeFromList, undoKubeconfigChange, importOverSsh, openTunnel, stopTunnel];

/** Health at a glance and alerts (issue 21). */
const healthCommands: readonly Command[] = [showFailing, muteAlerts, unmuteAlerts];

/** Open Service in Browser (issue 21), listed apart to ease merging. */
const forwardCommands: readonly Command[] = [openServiceInBrowser, stopServiceForward];

/** Read-only contexts (issue 23), listed apart to ease merging. */
const readOnlyCommands: readonly Command[] = [markReadOnly, allowWrites];

export const allCommands: readonly Command[] = [refreshFederation, addKubeconfigFile, retryCluster, openKubeconfig, revealYaml, revealPeer, offloadNamespace, unoffloadNamespace, installLiqo, peerClusters, unpeerClusters, cleanUpLeftoverPeering, requestResources, verifyOffloading, downloadLiqoctl, ...kubeconfigCommands, streamPodLogs, streamNamespaceLogs, streamSelectorLogs, whyPodFailing, stopLogStream, clearLogStream, filterClusters, clearFilter, hideCluster, showHidden, ...healthCommands, showFederationMap, exportFederationMap, ...knownGoodCommands, ...readOnlyCommands, ...forwardCommands, openWalkthrough];
