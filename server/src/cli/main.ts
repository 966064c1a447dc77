// The `context-pool-lint` command (bundled to dist/cli.js). Everything but the process lives in run.ts.
import { runCli } from './run';

// A reader that stops early (`| head`) is not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

// exitCode, not exit(): buffered output to a pipe is written before the process ends.
process.exitCode = runCli(process.argv.slice(2), { cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr });
