// The analysis core's public surface: everything the language server, the CLI and the tests use.
export { Analyzer, ignoreReason, SOURCE_EXTENSIONS } from './analyzer';
export { applyEdits } from './edits';
export { findConfigFile } from './projectHost';
export { RULES, RULES_BY_ID, docsUrl, DOCS_BASE_URL } from './rules';
export type { Rule, RuleMeta } from './ruleApi';
export * from './types';
