import type { Rule } from '../ruleApi';
import { abortBeforeDownstream } from './abortBeforeDownstream';
import { alsEnterWith } from './alsEnterWith';
import { detachedRootSignal } from './detachedRootSignal';
import { factoryTimerLeak } from './factoryTimerLeak';
import { middlewareDropsRequest } from './middlewareDropsRequest';
import { missingCancellationSignal } from './missingCancellationSignal';
import { poolPerRequest } from './poolPerRequest';
import { poolResourceLeak } from './poolResourceLeak';
import { pooledObjectNotReset } from './pooledObjectNotReset';
import { pooledObjectUsedAfterRelease } from './pooledObjectUsedAfterRelease';
import { requestObjectEscapes } from './requestObjectEscapes';
import { requestStateInModuleVariable } from './requestStateInModuleVariable';
import { timerWithoutCleanup } from './timerWithoutCleanup';
import { unawaitedBackgroundWork } from './unawaitedBackgroundWork';
import { unawaitedNext } from './unawaitedNext';
import { unboundedRequestStore } from './unboundedRequestStore';

/** Every rule, in the order of RULES.md. */
export const RULES: readonly Rule[] = [
  unawaitedBackgroundWork,
  missingCancellationSignal,
  detachedRootSignal,
  requestObjectEscapes,
  unboundedRequestStore,
  timerWithoutCleanup,
  factoryTimerLeak,
  middlewareDropsRequest,
  unawaitedNext,
  abortBeforeDownstream,
  alsEnterWith,
  requestStateInModuleVariable,
  poolResourceLeak,
  pooledObjectNotReset,
  pooledObjectUsedAfterRelease,
  poolPerRequest,
];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((rule) => [rule.id, rule]));

export const DOCS_BASE_URL = 'https://github.com/context-pool-lint/context-pool-lint/blob/main/docs/rules/';

export function docsUrl(ruleId: string): string {
  return `${DOCS_BASE_URL}${ruleId}.md`;
}
