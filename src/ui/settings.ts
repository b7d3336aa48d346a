// Reads the extension's settings and the environment into what the model needs. The one place that knows the
// setting names (package.json declares them; a host test checks both agree).
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { expandHome, kubeconfigSources } from '../core/kubeconfig/sources.ts';
import type { FederationSettings } from '../infra/federationModel.ts';
import type { PrometheusSettings } from '../infra/metrics/liqoMetrics.ts';
import { credentialPolicyOf } from '../core/kubeconfig/credentialPolicy.ts';

export const SETTING_SECTION = 'liqo';
export const SETTING_KUBECONFIGS = 'kubeconfigs';
export const SETTING_TIMEOUT = 'connectionTimeoutSeconds';
export const SETTING_CREDENTIAL_PLUGINS = 'credentialPlugins';

export function readFederationSettings(): FederationSettings {
  const cfg = vscode.workspace.getConfiguration(SETTING_SECTION);
  const entries = cfg.get<string[]>(SETTING_KUBECONFIGS, []).filter((e) => typeof e === 'string');
  const timeoutSeconds = connectionTimeoutMs() / 1000;
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
    credentialPlugins: credentialPolicyOf(cfg.get<string>(SETTING_CREDENTIAL_PLUGINS, 'onExpand')),
  };
}

/** liqo.connectionTimeoutSeconds in ms (1–120 s): connecting, and how long a log stream's path may go silent. */
export function connectionTimeoutMs(): number {
  return Math.min(120, Math.max(1, vscode.workspace.getConfiguration(SETTING_SECTION).get<number>(SETTING_TIMEOUT, 5))) * 1000;
}

export function affectsFederation(e: vscode.ConfigurationChangeEvent): boolean {
  return [SETTING_KUBECONFIGS, SETTING_TIMEOUT, SETTING_CREDENTIAL_PLUGINS].some((s) => e.affectsConfiguration(`${SETTING_SECTION}.${s}`));
}

/** Where Add Kubeconfig File… wrote: the settings scope the entries were added to. */
export type KubeconfigSettingScope = 'workspace' | 'user';

/**
 * Adds entries to `liqo.kubeconfigs` in the scope the list comes from: the workspace's list when it has one and the
 * workspace is trusted (an untrusted workspace's value is ignored, as it is a restricted setting), else the user's.
 * Only that scope's own entries are extended; the other scope's are never copied over.
 */
export async function addKubeconfigEntries(paths: readonly string[]): Promise<KubeconfigSettingScope> {
  const cfg = vscode.workspace.getConfiguration(SETTING_SECTION);
  const info = cfg.inspect<string[]>(SETTING_KUBECONFIGS);
  const scope: KubeconfigSettingScope = vscode.workspace.isTrusted && Array.isArray(info?.workspaceValue) ? 'workspace' : 'user';
  const current = (scope === 'workspace' ? info?.workspaceValue : info?.globalValue) ?? [];
  const next = [...current];
  for (const p of paths) if (!next.includes(p)) next.push(p);
  await cfg.update(SETTING_KUBECONFIGS, next, scope === 'workspace' ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global);
  return scope;
}

export const SETTING_LIQOCTL_PATH = 'liqoctlPath';
export const SETTING_LIQOCTL_DOWNLOAD_BASE_URL = 'liqoctlDownloadBaseUrl';

/** liqoctl to run: liqo.liqoctlPath (`~` expanded), else `liqoctl` looked up in PATH by the runner. */
export function liqoctlBinary(): string {
  const configured = vscode.workspace.getConfiguration(SETTING_SECTION).get<string>(SETTING_LIQOCTL_PATH, '').trim();
  if (configured === '') return 'liqoctl';
  return configured.startsWith('~') ? path.join(os.homedir(), configured.slice(1)) : configured;
}

/** The `liqo.kubeconfigs` entries as written, each with the absolute path it names. */
export function listedKubeconfigEntries(): { entry: string; resolved: string }[] {
  const entries = vscode.workspace.getConfiguration(SETTING_SECTION).get<string[]>(SETTING_KUBECONFIGS, []).filter((e) => typeof e === 'string');
  const baseDir = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? os.homedir();
  return entries.map((entry) => ({ entry, resolved: path.resolve(baseDir, expandHome(entry.trim(), os.homedir())) }));
}

export async function removeKubeconfigEntries(entries: readonly string[]): Promise<void> {
  const cfg = vscode.workspace.getConfiguration(SETTING_SECTION);
  const inspect = cfg.inspect<string[]>(SETTING_KUBECONFIGS);
  for (const [value, target] of [
    [inspect?.globalValue, vscode.ConfigurationTarget.Global],
    [inspect?.workspaceValue, vscode.ConfigurationTarget.Workspace],
  ] as const) {
    if (value && value.some((v) => entries.includes(v))) await cfg.update(SETTING_KUBECONFIGS, value.filter((v) => !entries.includes(v)), target);
  }
}

export const SETTING_ALERTS_ENABLED = 'alerts.enabled';
export const SETTING_ALERTS_MUTED = 'alerts.mutedContexts';

export interface AlertSettings {
  readonly enabled: boolean;
  /** Context names whose alerts are muted. */
  readonly muted: ReadonlySet<string>;
}

export function readAlertSettings(): AlertSettings {
  const cfg = vscode.workspace.getConfiguration(SETTING_SECTION);
  const muted = cfg.get<unknown[]>(SETTING_ALERTS_MUTED, []).filter((c): c is string => typeof c === 'string');
  return { enabled: cfg.get<boolean>(SETTING_ALERTS_ENABLED, true) !== false, muted: new Set(muted) };
}

export function affectsAlerts(e: vscode.ConfigurationChangeEvent): boolean {
  return [SETTING_ALERTS_ENABLED, SETTING_ALERTS_MUTED].some((s) => e.affectsConfiguration(`${SETTING_SECTION}.${s}`));
}

/** Mutes or unmutes contexts in the user's settings (muting is about the user's attention, not the workspace). */
export async function setContextsMuted(contextNames: readonly string[], muted: boolean): Promise<void> {
  const cfg = vscode.workspace.getConfiguration(SETTING_SECTION);
  const current = cfg.inspect<unknown[]>(SETTING_ALERTS_MUTED)?.globalValue?.filter((c): c is string => typeof c === 'string') ?? [];
  const next = muted ? [...new Set([...current, ...contextNames])] : current.filter((c) => !contextNames.includes(c));
  await cfg.update(SETTING_ALERTS_MUTED, next.length ? next : undefined, vscode.ConfigurationTarget.Global);
}

export const SETTING_READ_ONLY_CONTEXTS = 'readOnlyContexts';

/** liqo.readOnlyContexts as in effect (every scope merged as VS Code does). */
export function readOnlyContextsValue(): unknown {
  return vscode.workspace.getConfiguration(SETTING_SECTION).get<unknown>(SETTING_READ_ONLY_CONTEXTS, []);
}

export function affectsReadOnlyContexts(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(`${SETTING_SECTION}.${SETTING_READ_ONLY_CONTEXTS}`);
}

/** The User scope's own list (what the row menu edits; Workspace and Remote values are left to the user). */
export function readOnlyContextsAtUserScope(): string[] {
  const v = vscode.workspace.getConfiguration(SETTING_SECTION).inspect<unknown>(SETTING_READ_ONLY_CONTEXTS)?.globalValue;
  return Array.isArray(v) ? v.filter((p): p is string => typeof p === 'string') : [];
}

export async function setReadOnlyContextsAtUserScope(patterns: readonly string[]): Promise<void> {
  await vscode.workspace.getConfiguration(SETTING_SECTION).update(SETTING_READ_ONLY_CONTEXTS, patterns.length ? [...patterns] : undefined, vscode.ConfigurationTarget.Global);
}

export const SETTING_PROMETHEUS_URLS = 'prometheus.urls';
export const SETTING_PROMETHEUS_DISCOVER = 'prometheus.discover';

/** liqo.prometheus.*: non-string URLs are dropped (a hand-edited settings.json may hold anything). */
export function readPrometheusSettings(): PrometheusSettings {
  const cfg = vscode.workspace.getConfiguration(SETTING_SECTION);
  const raw = cfg.get<unknown>(SETTING_PROMETHEUS_URLS, {});
  const urls: Record<string, string> = {};
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') urls[k] = v;
  return { urls, discover: cfg.get<boolean>(SETTING_PROMETHEUS_DISCOVER, true) !== false };
}

export function affectsPrometheus(e: vscode.ConfigurationChangeEvent): boolean {
  return [SETTING_PROMETHEUS_URLS, SETTING_PROMETHEUS_DISCOVER].some((s) => e.affectsConfiguration(`${SETTING_SECTION}.${s}`));
}
