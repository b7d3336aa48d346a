// Reads the extension's settings and the environment into what the model needs. The one place that knows the
// setting names (package.json declares them; a host test checks both agree).
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { kubeconfigSources } from '../core/kubeconfig/sources.ts';
import type { FederationSettings } from '../infra/federationModel.ts';

export const SETTING_SECTION = 'liqo';
export const SETTING_KUBECONFIGS = 'kubeconfigs';
export const SETTING_TIMEOUT = 'connectionTimeoutSeconds';

export function readFederationSettings(): FederationSettings {
  const cfg = vscode.workspace.getConfiguration(SETTING_SECTION);
  const entries = cfg.get<string[]>(SETTING_KUBECONFIGS, []).filter((e) => typeof e === 'string');
  const timeoutSeconds = Math.min(120, Math.max(1, cfg.get<number>(SETTING_TIMEOUT, 5)));
  const baseDir = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return {
    sources: kubeconfigSources({
      kubeconfigEnv: process.env.KUBECONFIG,
      homeDir: os.homedir(),
      delimiter: path.delimiter,
      settingEntries: entries,
      ...(baseDir ? { baseDir } : {}),
    }),
    timeoutMs: timeoutSeconds * 1000,
    allowExec: vscode.workspace.isTrusted,
  };
}

export function affectsFederation(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(`${SETTING_SECTION}.${SETTING_KUBECONFIGS}`) || e.affectsConfiguration(`${SETTING_SECTION}.${SETTING_TIMEOUT}`);
}

export async function addKubeconfigEntries(paths: readonly string[]): Promise<void> {
  const cfg = vscode.workspace.getConfiguration(SETTING_SECTION);
  const current = cfg.get<string[]>(SETTING_KUBECONFIGS, []);
  const next = [...current];
  for (const p of paths) if (!next.includes(p)) next.push(p);
  await cfg.update(SETTING_KUBECONFIGS, next, vscode.ConfigurationTarget.Global);
}
