import { RULES_BY_ID, type SeveritySetting } from '../core';

export const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['off', 'hint', 'information', 'warning', 'error'];

export function isSeveritySetting(value: unknown): value is SeveritySetting {
  return typeof value === 'string' && (SEVERITY_SETTINGS as readonly string[]).includes(value);
}

export function isKnownRule(id: string): boolean {
  return RULES_BY_ID.has(id);
}

export function knownRuleList(): string {
  return [...RULES_BY_ID.keys()].join(', ');
}
