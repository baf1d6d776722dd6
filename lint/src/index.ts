import './catalog/validators-all.ts';
export { lintCatalog } from './engine.ts';
export { rules } from './rules/index.ts';
export { defineRule } from './rule.ts';
export type { LintMessage, LintOptions, LintResult } from './engine.ts';
export type {
  AnyRule,
  Fix,
  ReportInput,
  ReportLocation,
  ReportTarget,
  Rule,
  RuleContext,
  RuleOptionsSchema,
  RuleScope,
  RuleSubjects,
} from './rule.ts';
export type { ResolvedConfig, RuleSetting, SeverityName } from './config.ts';
