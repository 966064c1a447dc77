/**
 * A problem with how the tool was invoked or configured (exit status 2). Its message is shown as
 * is, so it must name what is wrong and, where it helps, what is accepted.
 */
export class UsageError extends Error {
  /** Whether to point at `--help`: useful for a bad option, noise for a broken config file. */
  readonly showUsageHint: boolean;

  constructor(message: string, options: { showUsageHint?: boolean } = {}) {
    super(message);
    this.name = 'UsageError';
    this.showUsageHint = options.showUsageHint ?? true;
  }
}
