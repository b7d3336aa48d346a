// The contract between the cluster client and credential programs: a CredentialProvider gives the credential a
// context's user needs at request time (an exec plugin's or auth provider's token or client certificate), runs the
// program at most once at a time, caches the result until it expires, and refuses to run anything in a restricted
// (untrusted) workspace. Static credentials (token, tokenFile, client certificate files) need no provider.
//
// A Credential holds secrets: it goes into request headers and TLS options, never into a log or an error message.

export interface Credential {
  readonly token?: string;
  readonly clientCertificatePem?: string;
  readonly clientKeyPem?: string;
  /** When the program said the credential expires; undefined: valid until a 401 says otherwise. */
  readonly expiresAt?: Date;
}

export interface CredentialProvider {
  /** The program this user runs (its command, for messages; never its arguments or environment). */
  readonly program: string;
  /** A valid credential: cached, or fetched now (one fetch at a time however many callers wait). */
  get(signal?: AbortSignal): Promise<Credential>;
  /** The API server answered 401 with the cached credential: the next get() fetches a new one. */
  invalidate(): void;
  /**
   * The user asked to retry: a program that timed out (and is left alone for a while, see CachedCredentialProvider)
   * may run again at the next get().
   */
  retryNow(): void;
  /** Kills a running program (its whole process tree) and forgets the cache. */
  dispose(): void;
}

/** Why no credential could be had. `code` maps to the tree's wording (EXEC_BLOCKED, EXEC_FAILED, ENOENT, TIMEOUT). */
export class CredentialError extends Error {
  readonly code: 'EXEC_BLOCKED' | 'EXEC_FAILED' | 'ENOENT' | 'TIMEOUT';
  readonly program: string;
  constructor(code: CredentialError['code'], program: string, message: string) {
    super(message);
    this.code = code;
    this.program = program;
  }
}
