import { parseArgs } from 'node:util';
import type { SeveritySetting } from '../core';
import { UsageError } from './errors';
import { SEVERITY_SETTINGS, isKnownRule, isSeveritySetting, knownRuleList } from './severities';
import { TOOL_NAME } from './version';

export const FORMATS = ['text', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

export type CliCommand =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'lint'; options: LintOptions };

export interface LintOptions {
  /** As given; none means the current directory. */
  paths: string[];
  format: Format;
  fix: boolean;
  /** `--rule` overrides, applied over every config file. */
  rules: Record<string, SeveritySetting>;
  includeTests: boolean;
}

export const USAGE = `Usage: ${TOOL_NAME} [paths...] [options]

Finds request-context and pool misuse in Node.js server code.

Arguments:
  paths                       files or folders to analyse (default: the current directory)

Options:
  --format <text|json|sarif>  output format (default: text)
  --fix                       apply every preferred fix, then report what is left
  --rule <id>=<severity>      set a rule's severity: ${SEVERITY_SETTINGS.join(', ')} (repeatable)
  --include-tests             also analyse test files (*.test.*, *.spec.*, __tests__)
  -h, --help                  show this help
  --version                   show the version

Settings come from the nearest context-pool-lint.json, or "contextPoolLint" key of a package.json,
at or above each file: { "rules": { "<id>": "<severity>" }, "exclude": ["<glob>"], "safeCalls": [] }
(exclude globs are relative to the folder of the file that sets them).

Exit status: 0 no finding at warning or error, 1 findings, 2 usage or internal error.
`;

/** Parses the command line; throws `UsageError` for anything it does not accept. */
export function parseCommandLine(argv: readonly string[]): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        fix: { type: 'boolean' },
        rule: { type: 'string', multiple: true },
        'include-tests': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new UsageError(describeParseError(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };

  const format = values.format ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`unknown format '${format}' (expected one of: ${FORMATS.join(', ')})`);
  }
  return {
    kind: 'lint',
    options: {
      paths: positionals,
      format: format as Format,
      fix: values.fix ?? false,
      rules: parseRuleOverrides(values.rule ?? []),
      includeTests: values['include-tests'] ?? false,
    },
  };
}

function parseRuleOverrides(specs: readonly string[]): Record<string, SeveritySetting> {
  const rules: Record<string, SeveritySetting> = {};
  for (const spec of specs) {
    const equals = spec.indexOf('=');
    const id = equals < 0 ? '' : spec.slice(0, equals).trim();
    const severity = equals < 0 ? '' : spec.slice(equals + 1).trim();
    if (!id || !severity) throw new UsageError(`malformed --rule '${spec}' (expected <rule-id>=<severity>)`);
    if (!isKnownRule(id)) throw new UsageError(`unknown rule '${id}' in --rule (known rules: ${knownRuleList()})`);
    if (!isSeveritySetting(severity)) {
      throw new UsageError(`unknown severity '${severity}' in --rule ${spec} (expected one of: ${SEVERITY_SETTINGS.join(', ')})`);
    }
    rules[id] = severity;
  }
  return rules;
}

// node's messages are long and capitalised; ours follow the `tool: problem` one-line convention.
function describeParseError(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /'([^']+)'/.exec(message ?? '')?.[1];
    if (option) return `unknown option '${option}'`;
  }
  const text = String(message ?? error);
  return text.charAt(0).toLowerCase() + text.slice(1);
}
