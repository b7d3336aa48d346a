// The logging seam of infra: src/ui passes a VS Code LogOutputChannel, tests pass a collector. Messages never carry
// secrets: callers log names, paths, servers and explained errors only.
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
