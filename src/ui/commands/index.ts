// Every command the extension registers. package.json declares the same ids (a host test checks both ways).
import type { Command } from './command.ts';
import { addKubeconfigFile } from './addKubeconfigFile.ts';
import { openKubeconfig } from './openKubeconfig.ts';
import { refreshFederation } from './refreshFederation.ts';
import { retryCluster } from './retryCluster.ts';
import { revealPeer } from './revealPeer.ts';
import { revealYaml } from './revealYaml.ts';
import { filterClusters } from './filterClusters.ts';
import { clearFilter } from './clearFilter.ts';
import { hideCluster } from './hideCluster.ts';
import { showHidden } from './showHidden.ts';

export const allCommands: readonly Command[] = [refreshFederation, addKubeconfigFile, retryCluster, openKubeconfig, revealYaml, revealPeer, filterClusters, clearFilter, hideCluster, showHidden];
