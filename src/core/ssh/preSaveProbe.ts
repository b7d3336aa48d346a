// What a kubeconfig fetched from a remote host may do on this machine before the user has seen it and agreed to
// save it: connect to its servers with the credentials written in the file, and nothing more. A user whose
// credential runs a program (exec plugin, auth provider cmd-path or config.exec) would run a command the remote
// host chose; one that names local files (tokenFile, client-certificate, client-key) would send this machine's files
// to a server the remote host chose. Such a context is not probed before the save; the reason names what it would
// run or read, which the diff shows too. Pure: it reads the `user:` map, it runs and reads nothing.
import { credentialProgramName, credentialProgramOf } from '../credentials/credentialProgram.ts';

type RawMap = Readonly<Record<string, unknown>>;

/** The user-map keys that name a local file whose content would be sent to the server. */
const LOCAL_CREDENTIAL_FILES = ['tokenFile', 'client-certificate', 'client-key'] as const;

/** Why this imported user must not be used before the save, or undefined when its credentials are all in the file. */
export function whyNotProbedBeforeSave(user: RawMap | undefined): string | undefined {
  const program = credentialProgramOf(user);
  if (program) {
    return `its credentials run ${credentialProgramName(program)} on this machine (${program.source}; see the diff): nothing from the imported file runs before you save`;
  }
  const files = LOCAL_CREDENTIAL_FILES.filter((k) => typeof user?.[k] === 'string' && user[k] !== '');
  if (files.length > 0) {
    const named = files.map((k) => `${k} ${String(user![k])}`).join(', ');
    return `its credentials read files on this machine (${named}): they are not sent anywhere before you save`;
  }
  return undefined;
}
