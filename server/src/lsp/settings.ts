import type { Connection } from 'vscode-languageserver/node';
import { DEFAULT_SETTINGS, RULES_BY_ID, type AnalyzerSettings, type SeveritySetting } from '../core';
import { SETTINGS_SECTION } from './protocol';

export type RunMode = 'onType' | 'onSave';

/** Everything the server needs to know about one resource's `contextPoolLint.*` settings. */
export interface ServerSettings {
  analyzer: AnalyzerSettings;
  run: RunMode;
}

export const DEFAULT_SERVER_SETTINGS: ServerSettings = { analyzer: DEFAULT_SETTINGS, run: 'onType' };

const SEVERITIES: readonly SeveritySetting[] = ['off', 'hint', 'information', 'warning', 'error'];
const RUN_MODES: readonly RunMode[] = ['onType', 'onSave'];

/**
 * Turns whatever the client sent for the `contextPoolLint` section into settings. A malformed value
 * falls back to its default and is reported through `warn`: a typo in settings.json must never stop
 * the analysis, and must never pass silently either.
 */
export function validateSettings(raw: unknown, warn: (message: string) => void): ServerSettings {
  if (raw === undefined || raw === null) return DEFAULT_SERVER_SETTINGS;
  if (!isObject(raw)) {
    warn(`"${SETTINGS_SECTION}" should be an object; using the defaults.`);
    return DEFAULT_SERVER_SETTINGS;
  }
  return {
    analyzer: {
      rules: validateRules(raw.rules, warn),
      exclude: validateStrings(raw.exclude, 'exclude', warn),
      safeCalls: validateStrings(raw.safeCalls, 'safeCalls', warn),
      includeTests: DEFAULT_SETTINGS.includeTests,
    },
    run: validateRun(raw.run, warn),
  };
}

function validateRules(raw: unknown, warn: (message: string) => void): Record<string, SeveritySetting> {
  if (raw === undefined || raw === null) return {};
  if (!isObject(raw)) {
    warn(`"${SETTINGS_SECTION}.rules" should be an object of rule id → severity; using the defaults.`);
    return {};
  }
  const rules: Record<string, SeveritySetting> = {};
  for (const [id, severity] of Object.entries(raw)) {
    if (!RULES_BY_ID.has(id)) {
      warn(`"${SETTINGS_SECTION}.rules" names an unknown rule "${id}"; it is ignored.`);
    } else if (typeof severity !== 'string' || !SEVERITIES.includes(severity as SeveritySetting)) {
      warn(`"${SETTINGS_SECTION}.rules.${id}" should be one of ${SEVERITIES.join(', ')}; using the default.`);
    } else {
      rules[id] = severity as SeveritySetting;
    }
  }
  return rules;
}

function validateStrings(raw: unknown, name: string, warn: (message: string) => void): string[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    warn(`"${SETTINGS_SECTION}.${name}" should be an array of strings; using the default.`);
    return [];
  }
  const strings = raw.filter((item): item is string => typeof item === 'string' && item.trim() !== '');
  if (strings.length !== raw.length) warn(`"${SETTINGS_SECTION}.${name}" holds entries that are not strings; they are ignored.`);
  return strings;
}

function validateRun(raw: unknown, warn: (message: string) => void): RunMode {
  if (raw === undefined || raw === null) return DEFAULT_SERVER_SETTINGS.run;
  if (typeof raw !== 'string' || !RUN_MODES.includes(raw as RunMode)) {
    warn(`"${SETTINGS_SECTION}.run" should be "onType" or "onSave"; using "onType".`);
    return DEFAULT_SERVER_SETTINGS.run;
  }
  return raw as RunMode;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Settings per resource, read from the client when first needed (`workspace/configuration` with the
 * resource as scope, so folder and language overrides apply) and kept until the configuration
 * changes. A client without `workspace/configuration` gets the settings it pushed with
 * `workspace/didChangeConfiguration`, or the defaults.
 */
export class SettingsStore {
  readonly #cache = new Map<string, Promise<ServerSettings>>();
  /** Warnings already logged since the last configuration change: a bad value is reported once, not per file. */
  readonly #warned = new Set<string>();
  #pushed: unknown;

  constructor(
    private readonly connection: Connection,
    private readonly pullSupported: () => boolean,
  ) {}

  get(scopeUri: string): Promise<ServerSettings> {
    let settings = this.#cache.get(scopeUri);
    if (!settings) {
      settings = this.#read(scopeUri);
      this.#cache.set(scopeUri, settings);
    }
    return settings;
  }

  /** A document closed: its settings are read again if it is reopened. */
  forget(scopeUri: string): void {
    this.#cache.delete(scopeUri);
  }

  /** The configuration changed: forget everything read so far. `pushed` is what the notification carried. */
  invalidate(pushed: unknown): void {
    this.#cache.clear();
    this.#warned.clear();
    this.#pushed = isObject(pushed) ? pushed[SETTINGS_SECTION] : undefined;
  }

  /**
   * The editor's `files.exclude` for a folder (glob → true), which the workspace scan honours as
   * the explorer does; undefined when the client can't be asked or doesn't say.
   */
  async filesExclude(scopeUri: string): Promise<unknown> {
    if (!this.pullSupported()) return undefined;
    try {
      return await this.connection.workspace.getConfiguration({ scopeUri, section: 'files.exclude' });
    } catch {
      return undefined;
    }
  }

  async #read(scopeUri: string): Promise<ServerSettings> {
    let raw: unknown = this.#pushed;
    if (this.pullSupported()) {
      try {
        raw = await this.connection.workspace.getConfiguration({ scopeUri, section: SETTINGS_SECTION });
      } catch (error) {
        this.connection.console.warn(`Could not read settings for ${scopeUri}: ${String(error)}; using the defaults.`);
        raw = undefined;
      }
    }
    return validateSettings(raw, (message) => {
      if (this.#warned.has(message)) return;
      this.#warned.add(message);
      this.connection.console.warn(`Settings: ${message}`);
    });
  }
}
