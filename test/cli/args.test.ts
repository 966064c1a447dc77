import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCommandLine } from '../../server/src/cli/args';
import { UsageError } from '../../server/src/cli/errors';

describe('parseCommandLine', () => {
  it('defaults to the text format on the current directory', () => {
    assert.deepEqual(parseCommandLine([]), {
      kind: 'lint',
      options: { paths: [], format: 'text', fix: false, rules: {}, includeTests: false },
    });
  });

  it('takes paths, a format, --fix, repeated --rule and --include-tests in any order', () => {
    const command = parseCommandLine([
      'src',
      '--rule',
      'pool-resource-leak=error',
      '--format=sarif',
      '--fix',
      'lib/app.ts',
      '--rule=unawaited-background-work=off',
      '--include-tests',
    ]);
    assert.deepEqual(command, {
      kind: 'lint',
      options: {
        paths: ['src', 'lib/app.ts'],
        format: 'sarif',
        fix: true,
        rules: { 'pool-resource-leak': 'error', 'unawaited-background-work': 'off' },
        includeTests: true,
      },
    });
  });

  it('lets the last --rule for a rule win', () => {
    const command = parseCommandLine(['--rule', 'pool-resource-leak=error', '--rule', 'pool-resource-leak=hint']);
    assert.equal(command.kind === 'lint' && command.options.rules['pool-resource-leak'], 'hint');
  });

  it('recognises --help, -h and --version', () => {
    assert.deepEqual(parseCommandLine(['--help']), { kind: 'help' });
    assert.deepEqual(parseCommandLine(['src', '-h']), { kind: 'help' });
    assert.deepEqual(parseCommandLine(['--version']), { kind: 'version' });
  });

  const rejected: [string[], string][] = [
    [['--colour'], "unknown option '--colour'"],
    [['-x'], "unknown option '-x'"],
    [['--format', 'xml'], "unknown format 'xml' (expected one of: text, json, sarif)"],
    [['--format'], "option '--format <value>' argument missing"],
    [['--fix=yes'], "option '--fix' does not take an argument"],
    [['--rule', 'pool-resource-leak'], "malformed --rule 'pool-resource-leak' (expected <rule-id>=<severity>)"],
    [['--rule', '=error'], "malformed --rule '=error' (expected <rule-id>=<severity>)"],
    [['--rule', 'pool-resource-leak='], "malformed --rule 'pool-resource-leak=' (expected <rule-id>=<severity>)"],
    [['--rule', 'no-such-rule=error'], "unknown rule 'no-such-rule' in --rule"],
    [['--rule', 'pool-resource-leak=warn'], "unknown severity 'warn' in --rule pool-resource-leak=warn (expected one of: off, hint, information, warning, error)"],
  ];
  for (const [argv, message] of rejected) {
    it(`rejects ${argv.join(' ')}`, () => {
      assert.throws(
        () => parseCommandLine(argv),
        (error: unknown) => error instanceof UsageError && error.showUsageHint && error.message.startsWith(message) && !error.message.includes('\n'),
      );
    });
  }
});
