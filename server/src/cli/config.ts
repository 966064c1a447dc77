import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SeveritySetting } from '../core';
import { UsageError } from './errors';
import { SEVERITY_SETTINGS, isKnownRule, isSeveritySetting } from './severities';

export const CONFIG_FILE_NAME = 'context-pool-lint.json';
export const PACKAGE_JSON_KEY = 'contextPoolLint';

/** The editor settings a command-line run uses, as read from one config file. */
export interface LintConfig {
  /** Where the settings came from; undefined when no config file was found. */
  file?: string;
  rules: Record<string, SeveritySetting>;
  exclude: string[];
  safeCalls: string[];
}

const EMPTY_CONFIG: LintConfig = { rules: {}, exclude: [], safeCalls: [] };

// Keys the editor has that mean nothing on the command line; accepted so one file can serve both.
const IGNORED_KEYS = new Set(['run', 'trace', '$schema']);
const RUN_VALUES = ['onType', 'onSave'];

/**
 * Finds and reads the settings that apply to a folder: the nearest `context-pool-lint.json`, or
 * `package.json` with a `contextPoolLint` key, at or above it. Each folder and file is looked at
 * once per run, however many source files share it.
 */
export class ConfigLocator {
  readonly #byDir = new Map<string, LintConfig>();
  readonly #display: (file: string) => string;
  readonly #warn: (message: string) => void;

  constructor(options: { display: (file: string) => string; warn: (message: string) => void }) {
    this.#display = options.display;
    this.#warn = options.warn;
  }

  /** The settings for `dir`; throws `UsageError` when the config file that applies is malformed. */
  forDirectory(dir: string): LintConfig {
    const resolved = path.resolve(dir);
    const known = this.#byDir.get(resolved);
    if (known) return known;
    const config = this.#readIn(resolved) ?? (isRoot(resolved) ? EMPTY_CONFIG : this.forDirectory(path.dirname(resolved)));
    this.#byDir.set(resolved, config);
    return config;
  }

  #readIn(dir: string): LintConfig | undefined {
    const configFile = path.join(dir, CONFIG_FILE_NAME);
    if (isFile(configFile)) return this.#validate(configFile, readJson(configFile, this.#display), '');

    const packageFile = path.join(dir, 'package.json');
    if (!isFile(packageFile)) return undefined;
    const packageJson = readJson(packageFile, this.#display);
    if (!isPlainObject(packageJson) || !(PACKAGE_JSON_KEY in packageJson)) return undefined;
    return this.#validate(packageFile, packageJson[PACKAGE_JSON_KEY], `${PACKAGE_JSON_KEY}.`);
  }

  #validate(file: string, value: unknown, prefix: string): LintConfig {
    const where = this.#display(file);
    const fail = (problem: string) => new UsageError(`${where}: ${problem}`, { showUsageHint: false });
    const keyName = (key: string) => `"${prefix}${key}"`;

    if (!isPlainObject(value)) {
      throw fail(prefix ? `"${PACKAGE_JSON_KEY}" must be an object` : 'the settings must be a JSON object');
    }
    const config: LintConfig = { file, rules: {}, exclude: [], safeCalls: [] };
    for (const [key, setting] of Object.entries(value)) {
      switch (key) {
        case 'rules':
          if (!isPlainObject(setting)) throw fail(`${keyName(key)} must be an object mapping rule ids to severities`);
          for (const [rule, severity] of Object.entries(setting)) {
            if (!isSeveritySetting(severity)) {
              throw fail(`${keyName(`rules.${rule}`)}: unknown severity ${JSON.stringify(severity)} (expected one of: ${SEVERITY_SETTINGS.join(', ')})`);
            }
            // A rule this version does not know may come from a newer one: say so, but keep going.
            if (!isKnownRule(rule)) this.#warn(`${where}: unknown rule '${rule}' (ignored)`);
            else config.rules[rule] = severity;
          }
          break;
        case 'exclude':
        case 'safeCalls':
          if (!Array.isArray(setting) || !setting.every((item) => typeof item === 'string')) {
            throw fail(`${keyName(key)} must be an array of strings`);
          }
          config[key] = [...setting];
          break;
        case 'run':
          if (typeof setting !== 'string' || !RUN_VALUES.includes(setting)) {
            throw fail(`${keyName(key)} must be one of: ${RUN_VALUES.join(', ')}`);
          }
          break;
        default:
          if (!IGNORED_KEYS.has(key)) this.#warn(`${where}: unknown setting ${keyName(key)} (ignored)`);
      }
    }
    return config;
  }
}

function readJson(file: string, display: (file: string) => string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${display(file)}: cannot be read: ${(error as Error).message}`, { showUsageHint: false });
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new UsageError(`${display(file)}: invalid JSON: ${(error as Error).message}`, { showUsageHint: false });
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function isRoot(dir: string): boolean {
  return path.dirname(dir) === dir;
}
