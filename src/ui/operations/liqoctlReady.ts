// Before a command runs liqoctl: is there one, and does its version match the clusters' Liqo? A missing liqoctl is
// met with the way to get it and an offer to download the release that matches the cluster's Liqo (checksum
// verified, into the extension's storage, then used through liqo.liqoctlPath); a version that differs from a
// cluster's Liqo — down to the micro version — is warned about, with the same offer.
import * as vscode from 'vscode';
import type { CommandDeps } from '../commands/command.ts';
import { LIQOCTL_INSTALL_HINT, LiqoctlRunError } from '../../infra/liqoctl/liqoctlRunner.ts';
import { downloadLiqoctl } from '../../infra/liqoctl/download.ts';
import { checkVersions, versionCommand } from '../../core/liqoctl/version.ts';
import { DEFAULT_DOWNLOAD_BASE_URL } from '../../core/liqoctl/release.ts';
import { SETTING_LIQOCTL_DOWNLOAD_BASE_URL, SETTING_LIQOCTL_PATH, SETTING_SECTION } from '../settings.ts';
import { withCancellableProgress } from './progress.ts';

export interface ClusterLiqo {
  readonly contextName: string;
  readonly liqoVersion?: string | undefined;
}

/** Downloads liqoctl `version` (verified) and makes it the liqoctl the extension runs; returns its path. */
export async function downloadAndUseLiqoctl(deps: CommandDeps, version: string): Promise<string> {
  const baseUrl = vscode.workspace.getConfiguration(SETTING_SECTION).get<string>(SETTING_LIQOCTL_DOWNLOAD_BASE_URL, DEFAULT_DOWNLOAD_BASE_URL) || DEFAULT_DOWNLOAD_BASE_URL;
  const binary = await withCancellableProgress(`Downloading liqoctl ${version}`, (signal) =>
    downloadLiqoctl({ baseUrl, version, storageDir: deps.storageDir, signal, logger: { info: (m) => deps.log.info(m), warn: (m) => deps.log.warn(m), error: (m) => deps.log.error(m) } }),
  );
  await vscode.workspace.getConfiguration(SETTING_SECTION).update(SETTING_LIQOCTL_PATH, binary, vscode.ConfigurationTarget.Global);
  // User settings were written; a value in Remote or Workspace settings wins over them, and would keep the old liqoctl.
  const effective = vscode.workspace.getConfiguration(SETTING_SECTION).get<string>(SETTING_LIQOCTL_PATH);
  if (effective !== binary) {
    void vscode.window.showWarningMessage(`liqoctl ${version} (checksum verified) is installed at ${binary} and set in your User settings, but liqo.liqoctlPath is also set to ${effective || '(empty)'} in Remote or Workspace settings, which win: set it there to ${binary}, or remove it there.`);
    return binary;
  }
  void vscode.window.showInformationMessage(`liqoctl ${version} (checksum verified) is installed at ${binary} and set as liqo.liqoctlPath.`);
  return binary;
}

/**
 * liqoctl's version, after the offers: undefined when the user chose not to go on. Throws (with the way to get
 * liqoctl) when it is missing and not downloaded.
 */
export async function ensureLiqoctl(deps: CommandDeps, clusters: readonly ClusterLiqo[]): Promise<string | undefined> {
  const wanted = clusters.find((c) => c.liqoVersion)?.liqoVersion;
  let version: string;
  try {
    version = (await deps.liqoctl.run(versionCommand())).client;
  } catch (e) {
    if (!(e instanceof LiqoctlRunError && e.reason === 'NOT_FOUND')) throw e;
    if (!wanted) throw e;
    const download = `Download liqoctl ${wanted}`;
    const answer = await vscode.window.showErrorMessage(`liqoctl was not found (${deps.liqoctl.program}).`, { modal: true, detail: `${LIQOCTL_INSTALL_HINT}\n\n${clusters.map((c) => `${c.contextName} runs Liqo ${c.liqoVersion ?? '(unknown)'}`).join('\n')}.` }, download);
    if (answer !== download) return undefined;
    await downloadAndUseLiqoctl(deps, wanted);
    version = (await deps.liqoctl.run(versionCommand())).client;
  }
  const mismatches = clusters.filter((c) => c.liqoVersion).map((c) => checkVersions(version, c.liqoVersion!, c.contextName)).filter((v) => v.fit !== 'same');
  if (mismatches.length === 0 || !wanted) return version;
  for (const m of mismatches) deps.log.warn(m.message);
  const download = `Download liqoctl ${wanted}`;
  // A minor or major difference is refused by the peer pre-flight anyway: only a micro difference may go on.
  const blocking = mismatches.some((m) => m.fit === 'major' || m.fit === 'minor');
  const actions = blocking ? [download] : ['Continue Anyway', download];
  const answer = await vscode.window.showWarningMessage(`liqoctl ${version} does not match the clusters' Liqo.`, { modal: true, detail: mismatches.map((m) => m.message).join('\n') }, ...actions);
  if (answer === 'Continue Anyway') return version;
  if (answer !== download) return undefined;
  await downloadAndUseLiqoctl(deps, wanted);
  return (await deps.liqoctl.run(versionCommand())).client;
}
