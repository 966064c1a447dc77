// The entry VS Code's extension host loads as `extensionTestsPath` (bundled to out/index.js by
// ../build.ts). It runs the mocha suite and settles with the result: VS Code then exits the
// extension host with 0 or 1, which is the run's exit code (code-server reports it through the
// smoke-test driver's `codeAutomationExit`, @vscode/test-electron through the process's exit).
// Mocha is bundled in, so the entry needs nothing from node_modules at run time.
import fs from 'node:fs';
import Mocha from 'mocha';
import { defineTests } from './extension.test';

/** Where to append the readable report; the runners set it (code-server's output is not ours). */
const REPORT = process.env.CPL_INTEGRATION_REPORT;

function report(line: string): void {
  console.log(line);
  if (REPORT) fs.appendFileSync(REPORT, `${line}\n`);
}

/** A small reporter that writes through `report`: mocha's own write to stdout, which nobody sees. */
class LineReporter {
  constructor(runner: Mocha.Runner) {
    let depth = 0;
    runner.on('suite', (suite) => {
      if (suite.title) report(`${'  '.repeat(depth)}${suite.title}`);
      if (suite.title) depth++;
    });
    runner.on('suite end', (suite) => {
      if (suite.title) depth--;
    });
    runner.on('pass', (test) => report(`${'  '.repeat(depth)}ok ${test.title} (${test.duration ?? 0} ms)`));
    runner.on('pending', (test) => report(`${'  '.repeat(depth)}skipped ${test.title}`));
    runner.on('fail', (test, error: Error) => {
      report(`${'  '.repeat(depth)}FAILED ${test.title}`);
      for (const line of String(error?.stack ?? error).split('\n')) report(`${'  '.repeat(depth + 1)}${line}`);
    });
    runner.once('end', () => {
      const stats = runner.stats;
      report(`# ${stats?.passes ?? 0} passed, ${stats?.failures ?? 0} failed, ${stats?.pending ?? 0} skipped`);
    });
  }
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, reporter: LineReporter as unknown as typeof Mocha.reporters.Base });
  // What `mocha.addFile` + require would do, for tests bundled into this file.
  mocha.suite.emit('pre-require', globalThis, 'extension.test', mocha);
  defineTests();
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration test(s) failed`)) : resolve()));
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
