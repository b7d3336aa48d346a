// Every command the extension registers. package.json declares the same ids (a host test checks both ways).
import type { Command } from './command.ts';
import { addKubeconfigFile } from './addKubeconfigFile.ts';
import { openKubeconfig } from './openKubeconfig.ts';
import { refreshFederation } from './refreshFederation.ts';
import { retryCluster } from './retryCluster.ts';
import { revealPeer } from './revealPeer.ts';
import { revealYaml } from './revealYaml.ts';
import { streamPodLogs } from './streamPodLogs.ts';
import { streamNamespaceLogs, streamSelectorLogs } from './streamNamespaceLogs.ts';
import { whyPodFailing } from './whyPodFailing.ts';
import { clearLogStream, stopLogStream } from './logStreamActions.ts';

export const allCommands: readonly Command[] = [refreshFederation, addKubeconfigFile, retryCluster, openKubeconfig, revealYaml, revealPeer, streamPodLogs, streamNamespaceLogs, streamSelectorLogs, whyPodFailing, stopLogStream, clearLogStream];
