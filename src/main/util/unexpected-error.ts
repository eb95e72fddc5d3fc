// Where errors nobody asked for go (a listener that threw, a write that failed in the background): the
// main log, always, whatever the debug setting. The process entry (window, serve, CLI) sets the log.
export type UnexpectedErrorHandler = (message: string, error: unknown) => void;

const toStderr: UnexpectedErrorHandler = (message, error) => {
  const cause = error instanceof Error ? `: ${error.message}` : error === undefined ? '' : `: ${String(error)}`;
  process.stderr.write(`slipway: ${message}${cause}\n`);
};

let handler: UnexpectedErrorHandler = toStderr;

/** Undefined restores the default (stderr). */
export function setUnexpectedErrorHandler(next: UnexpectedErrorHandler | undefined): void {
  handler = next ?? toStderr;
}

export function reportUnexpectedError(message: string, error: unknown): void {
  try {
    handler(message, error);
  } catch {
    toStderr(message, error); // a broken log must not take the caller down
  }
}
