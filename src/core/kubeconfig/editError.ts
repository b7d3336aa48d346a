// The typed errors of kubeconfig edits: every refusal names what is wrong and where, so the UI can show it as is and
// the file stays untouched. Anything else thrown by an edit is a bug.

export type KubeconfigEditErrorCode =
  | 'malformed-yaml'
  | 'not-a-kubeconfig'
  | 'missing-context'
  | 'missing-cluster'
  | 'missing-user'
  | 'duplicate-name'
  | 'invalid-name'
  | 'invalid-server'
  | 'unresolved-collision'
  | 'missing-file-content'
  | 'unsupported-layout';

export class KubeconfigEditError extends Error {
  readonly code: KubeconfigEditErrorCode;
  /** 1-based line in the input text, when the problem has a place. */
  readonly line: number | undefined;

  constructor(code: KubeconfigEditErrorCode, message: string, line?: number) {
    super(line === undefined ? message : `${message} (line ${line})`);
    this.name = 'KubeconfigEditError';
    this.code = code;
    this.line = line;
  }
}

export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
