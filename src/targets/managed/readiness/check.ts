/** One way to tell that a started process is ready to serve (http, tcp, log). */

export interface ReadinessCheck {
  /** e.g. `http http://127.0.0.1:8080/health`, for logs and error messages */
  readonly label: string;
  /** Resolves once ready; rejects with the signal's reason when it aborts. */
  wait(signal: AbortSignal): Promise<void>;
  /** Why the last attempt was not ready, for the error message. */
  lastProblem(): string | undefined;
  /** Checks answered by a socket: one attempt before spawning, true when something else already answers. */
  answersAlready?(signal: AbortSignal): Promise<boolean>;
}
