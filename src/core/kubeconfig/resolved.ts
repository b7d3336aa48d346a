// The contract between kubeconfig resolution and the cluster client: one context with the cluster and user entries
// it names, resolved with kubectl's semantics (the KUBECONFIG list is one merged config, the first definition of a
// name wins). Entries are kept as the raw YAML maps of the file they came from, with the folder their relative paths
// resolve against, so the client can read certificates and credential settings exactly as kubectl would.
//
// A ResolvedContext holds secrets (tokens, keys): it is passed to the client and compared for equality, never logged.

export interface ResolvedEntry {
  readonly name: string;
  /** The raw `cluster:` or `user:` map as written in the file (secrets included). */
  readonly fields: Readonly<Record<string, unknown>>;
  /** The file that defined it, and the folder its relative paths (certificate-authority, tokenFile…) resolve in. */
  readonly filePath: string;
  readonly baseDir: string;
}

export interface ResolvedContext {
  readonly contextName: string;
  /** The file whose `contexts:` list defined this context. */
  readonly filePath: string;
  readonly namespace?: string;
  readonly cluster: ResolvedEntry;
  readonly user: ResolvedEntry;
}
