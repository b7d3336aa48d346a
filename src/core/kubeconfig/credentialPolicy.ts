// When a context whose credentials run a program (an exec plugin such as `aws eks get-token`, an auth provider's
// cmd-path) is connected: the liqo.credentialPlugins setting. `onExpand` (default) runs it only when the user opens
// that cluster, or when the cluster is remembered to have Liqo; `always` at start-up like every other context;
// `never` not at all. A restricted workspace runs no program whatever the setting (the connection explains that).
import type { ClusterEntry } from './clusters.ts';

export type CredentialPluginPolicy = 'onExpand' | 'always' | 'never';

export const CREDENTIAL_POLICIES: readonly CredentialPluginPolicy[] = ['onExpand', 'always', 'never'];

export function credentialPolicyOf(value: unknown): CredentialPluginPolicy {
  return CREDENTIAL_POLICIES.includes(value as CredentialPluginPolicy) ? (value as CredentialPluginPolicy) : 'onExpand';
}

/** The program the entry's credentials run, if any. */
export function credentialProgramOf(entry: ClusterEntry): string | undefined {
  if (entry.auth === 'exec') return entry.execCommand ?? 'exec plugin';
  if (entry.auth === 'auth-provider' && entry.execCommand) return entry.execCommand;
  return undefined;
}

export type CredentialGate = { readonly kind: 'connect' } | { readonly kind: 'defer'; readonly program: string; readonly policy: 'onExpand' | 'never' };

export interface GateFacts {
  /** The user expanded (opened) the cluster in this session of the view. */
  readonly opened: boolean;
  readonly rememberedLiqo: boolean;
  /** False in a restricted workspace: connecting then only explains that nothing is run. */
  readonly allowExec: boolean;
}

export function credentialGate(entry: ClusterEntry, policy: CredentialPluginPolicy, facts: GateFacts): CredentialGate {
  const program = credentialProgramOf(entry);
  if (!program || !facts.allowExec || entry.configError) return { kind: 'connect' };
  if (policy === 'always') return { kind: 'connect' };
  if (policy === 'never') return { kind: 'defer', program, policy: 'never' };
  return facts.opened || facts.rememberedLiqo ? { kind: 'connect' } : { kind: 'defer', program, policy: 'onExpand' };
}
