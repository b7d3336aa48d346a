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
  /** The file the text came from, when the caller said (see editOf). */
  readonly file: string | undefined;
  /** The message without the place. */
  readonly problem: string;

  constructor(code: KubeconfigEditErrorCode, message: string, line?: number, file?: string) {
    const where = [file, line === undefined ? undefined : `line ${line}`].filter((w) => w !== undefined).join(', ');
    super(where === '' ? message : `${message} (${where})`);
    this.name = 'KubeconfigEditError';
    this.code = code;
    this.line = line;
    this.file = file;
    this.problem = message;
  }
}

/** Runs an edit of `file`'s text: a refusal names the file beside the line, so the user knows which file to fix. */
export function editOf<T>(file: string, edit: () => T): T {
  try {
    return edit();
  } catch (err) {
    if (err instanceof KubeconfigEditError && err.file === undefined) throw new KubeconfigEditError(err.code, err.problem, err.line, file);
    throw err;
  }
}

export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
