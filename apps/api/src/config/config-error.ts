/** A configuration problem, phrased as one line: where, which key, what was expected. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    message: string,
    /** Every problem found, one line each (the message joins them). */
    readonly problems: readonly string[] = [message],
  ) {
    super(message);
  }
}
