// What "Why Is This Pod Failing?" reads about a pod, as the API returns it: a wider view of Pod than the tree's
// (last terminated state, conditions with reasons and messages, resource limits), its events, its node and, for an
// offloaded pod, the same facts from the provider (the real pod, its ShadowPod and its node); for an Admiralty proxy
// pod, its delegate's (and for a delegate, its proxy's).

export interface TerminatedState {
  readonly exitCode?: number;
  readonly signal?: number;
  readonly reason?: string;
  readonly message?: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
}

export interface ContainerStatusFacts {
  readonly name: string;
  readonly ready?: boolean;
  readonly restartCount?: number;
  readonly image?: string;
  readonly state?: {
    readonly waiting?: { readonly reason?: string; readonly message?: string };
    readonly running?: { readonly startedAt?: string };
    readonly terminated?: TerminatedState;
  };
  readonly lastState?: { readonly terminated?: TerminatedState };
}

export interface ContainerSpecFacts {
  readonly name: string;
  readonly image?: string;
  readonly resources?: { readonly limits?: Readonly<Record<string, string>>; readonly requests?: Readonly<Record<string, string>> };
}

export interface PodFacts {
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly uid?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
    readonly deletionTimestamp?: string;
  };
  readonly spec?: {
    readonly nodeName?: string;
    readonly schedulerName?: string;
    readonly containers?: readonly ContainerSpecFacts[];
    readonly initContainers?: readonly ContainerSpecFacts[];
  };
  readonly status?: {
    readonly phase?: string;
    readonly reason?: string;
    readonly message?: string;
    readonly conditions?: readonly { readonly type: string; readonly status: string; readonly reason?: string; readonly message?: string }[];
    readonly containerStatuses?: readonly ContainerStatusFacts[];
    readonly initContainerStatuses?: readonly ContainerStatusFacts[];
  };
}

export interface EventFacts {
  readonly type?: string;
  readonly reason?: string;
  readonly message?: string;
  readonly count?: number;
  readonly lastTimestamp?: string | null;
  readonly eventTime?: string | null;
  readonly firstTimestamp?: string | null;
  readonly source?: { readonly component?: string; readonly host?: string };
  readonly reportingComponent?: string;
}

export interface NodeFacts {
  readonly metadata: { readonly name: string; readonly labels?: Readonly<Record<string, string>> };
  readonly status?: { readonly conditions?: readonly { readonly type: string; readonly status: string; readonly reason?: string; readonly message?: string }[] };
}

export interface PreviousLogs {
  readonly container: string;
  /** The last lines of the previous (or terminated) container's log. */
  readonly lines: readonly string[];
  /** Why there are none (the server's message), when reading them failed. */
  readonly error?: string;
}

/** One side of a pod: the consumer's (or a plain cluster's) pod, or the provider's real pod behind an offloaded one. */
export interface PodSide {
  /** The cluster as the user knows it (kubeconfig context). */
  readonly cluster: string;
  readonly pod: PodFacts | undefined;
  /** Why the pod could not be read on this side (e.g. the provider is unreachable). */
  readonly podError?: string;
  readonly events: readonly EventFacts[];
  readonly node?: NodeFacts | undefined;
  readonly logs: readonly PreviousLogs[];
}

export interface PodDiagnosisInput {
  readonly local: PodSide;
  /** For an offloaded pod: the provider's side, when it could be reached. */
  readonly remote?: PodSide & { readonly shadowPodPhase?: string; readonly remoteClusterId?: string };
  /** For an offloaded pod: the provider's cluster ID (from the virtual node). */
  readonly remoteClusterId?: string;
  /** For an Admiralty proxy or delegate pod: the other half. */
  readonly admiralty?: AdmiraltyDiagnosis;
}

/**
 * An Admiralty pod's other half: a proxy pod's delegate (the real pod, in the cluster its Target sends to), or a
 * delegate's proxy pod (in the cluster that sent it).
 */
export interface AdmiraltyDiagnosis {
  readonly role: 'proxy' | 'delegate';
  /** proxy: the Target it is bound to ("Target burst/remote"); delegate: the proxy pod and its cluster's name */
  readonly via: string;
  /** the other pod's side, when a context reaches it and the pod was found there */
  readonly other?: PodSide;
  /** why the other side is not shown: one sentence naming the cluster, and what to do next */
  readonly missing?: { readonly kind: string; readonly text: string; readonly checks: readonly string[] };
}
