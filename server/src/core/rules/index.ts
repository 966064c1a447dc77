import type { Rule } from '../ruleApi';
import { missingCancellationSignal } from './missingCancellationSignal';
import { poolResourceLeak } from './poolResourceLeak';
import { pooledObjectNotReset } from './pooledObjectNotReset';
import { unawaitedBackgroundWork } from './unawaitedBackgroundWork';

/** Every rule, in the order of RULES.md. */
export const RULES: readonly Rule[] = [
  unawaitedBackgroundWork,
  missingCancellationSignal,
  poolResourceLeak,
  pooledObjectNotReset,
];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((rule) => [rule.id, rule]));

export const DOCS_BASE_URL = 'https://github.com/context-pool-lint/context-pool-lint/blob/main/docs/rules/';

export function docsUrl(ruleId: string): string {
  return `${DOCS_BASE_URL}${ruleId}.md`;
}
