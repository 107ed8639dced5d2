export type * from './model.ts';
export { diffRuleset, type RulesetVersion } from './ruleset-diff.ts';
export { diffInputSchemas } from './schema-diff.ts';
export { semanticKey, sameMeaning } from './semantic-key.ts';
export { describeReport, percentText, type ReviewBlock, type ReviewItem, type ReviewSection } from './describe.ts';
export { renderText, renderMarkdown, renderJson } from './render.ts';
export { computeImpact, type ImpactSample, type ImpactOptions } from './impact.ts';
export { compareTests, type TestedVersion } from './tests.ts';
export { summarizeReport, summaryLine } from './summary.ts';
