import { USAGE, parseCommandLine } from './args';
import { UsageError } from './errors';
import { findFiles } from './findFiles';
import { FORMATTERS } from './formats';
import { displayPath } from './paths';
import { terminalProgress } from './progress';
import { exitStatus, type LintReport } from './report';
import { scan } from './scan';
import { TOOL_NAME, TOOL_VERSION } from './version';

/** What the tool is given by its process: kept apart so tests can run it in-process. */
export interface CliEnvironment {
  cwd: string;
  stdout: { write(text: string): unknown };
  stderr: { isTTY?: boolean; write(text: string): unknown };
}

/** Runs one command line and returns the exit status; never throws. */
export function runCli(argv: readonly string[], env: CliEnvironment): number {
  const warn = (message: string) => env.stderr.write(`${message}\n`);
  try {
    const command = parseCommandLine(argv);
    if (command.kind === 'help') {
      env.stdout.write(USAGE);
      return 0;
    }
    if (command.kind === 'version') {
      env.stdout.write(`${TOOL_VERSION}\n`);
      return 0;
    }
    const { options } = command;
    const targets = findFiles(options.paths, env.cwd);
    const report = scan(
      targets,
      { cwd: env.cwd, fix: options.fix, includeTests: options.includeTests, ruleOverrides: options.rules },
      { progress: terminalProgress(env.stderr), note: warn },
    );
    for (const line of problemLines(report)) warn(line);
    env.stdout.write(FORMATTERS[options.format](report));
    return exitStatus(report);
  } catch (error) {
    if (error instanceof UsageError) {
      warn(`${TOOL_NAME}: ${error.message}`);
      if (error.showUsageHint) warn(`Run '${TOOL_NAME} --help' for usage.`);
    } else {
      warn(`${TOOL_NAME}: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    return 2;
  }
}

/** Files that were not analysed or not fixed, and rules that crashed: for the person, on stderr. */
function problemLines(report: LintReport): string[] {
  const shown = (file: string) => displayPath(report.cwd, file);
  return [
    ...report.skipped.map(({ file, reason }) => `${shown(file)}: skipped: ${reason}`),
    ...report.fixFailures.map(({ file, reason }) => `${shown(file)}: not fixed: ${reason}`),
    ...report.ruleErrors.map(({ file, rule, message }) => `${shown(file)}: rule ${rule} failed: ${message}`),
  ];
}
