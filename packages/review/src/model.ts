/**
 * The semantic diff of two versions of a ruleset, as JSON. The CLI renders it
 * for terminals and Markdown; the server's diff endpoint returns it as is.
 */

/** A ruleset as a reviewer sees it: its parsed form plus the text spans point into. */
export type ChangeKind = 'added' | 'removed' | 'changed';

/** One part of a rule that changed, with the old and new source text. */
export interface RulePartChange {
  part: 'outcome' | 'severity' | 'condition' | 'message' | 'suggestion' | 'lets';
  from: string | null;
  to: string | null;
}

export interface RuleSummary {
  id: string;
  outcome: string | null;
  severity: string | null;
  condition: string | null;
  line: number;
}

export interface RuleChange {
  id: string;
  /** Line of the rule in the new version. */
  line: number;
  changes: RulePartChange[];
}

export interface InputChange {
  /** Dotted path of the field, e.g. `service.sla.availability`. */
  path: string;
  /** `renamed`: `from` is the old path, `to` the new one (same type, read by the same rules and outputs). */
  change: 'added' | 'removed' | 'renamed' | 'type' | 'optionality' | 'constraint' | 'sensitivity';
  from: string | null;
  to: string | null;
  /** True when some input valid for the old version is refused by the new one. */
  breaking: boolean;
}

export interface DeclarationChange {
  kind: 'const' | 'param' | 'let' | 'output' | 'table';
  name: string;
  change: ChangeKind;
  /** For a changed declaration, which of its parts changed (e.g. `type`, `default`, `where`, `value`, `rows`). */
  parts: Array<{ part: string; from: string | null; to: string | null }>;
  /** For a changed declaration: the rules that read it, directly or through other declarations. */
  usedBy?: string[];
  /** For a changed declaration: the outputs computed from it, directly or through other declarations. */
  outputsUsing?: string[];
}

export interface TableRowChanges {
  name: string;
  added: string[];
  removed: string[];
  changed: Array<{ from: string; to: string }>;
}

/** How the decision declaration differs between two versions: its precedence and which outcomes are compliant. */
export interface DecisionModelChange {
  /** The outcomes, highest precedence first; the last is the default (for compatibility, the old and new lists). */
  from: string[];
  to: string[];
  /** The outcomes a decision is compliant with: those `decision ... compliant` lists, else the default alone. */
  compliant: { from: string[]; to: string[] };
  /** What differs: `precedence` (outcomes added, removed or reordered, the default among them), `compliant` (as a set). */
  parts: Array<'precedence' | 'compliant'>;
  /**
   * Rules of both versions that become grants (their outcome is now compliant: they leave the score's sums)
   * or stop being grants; present when there are some.
   */
  grants?: { added: string[]; removed: string[] };
}

export interface RulesetDiff {
  name: string;
  status: 'added' | 'removed' | 'changed' | 'unchanged';
  /** False when the two versions mean the same thing (e.g. formatting or comments only). */
  semanticChange: boolean;
  /** True when the text differs but the meaning does not. */
  textChanged: boolean;
  rules: { added: RuleSummary[]; removed: RuleSummary[]; changed: RuleChange[] };
  input: InputChange[];
  declarations: DeclarationChange[];
  tables: TableRowChanges[];
  /** The decision model (precedence, compliant outcomes), when it changed. */
  decision: DecisionModelChange | null;
  weights: { from: Record<string, number>; to: Record<string, number> } | null;
  errorPolicy: { from: string; to: string } | null;
  tests: { added: string[]; removed: string[]; changed: string[] };
}

/** How decisions change when both versions evaluate the same inputs. */
export interface ImpactReport {
  /** Where the inputs came from, e.g. `inputs.jsonl` or `tests`. */
  sources: string[];
  evaluated: number;
  changed: number;
  /** Inputs one version refused (invalid input or params) and the other did not. */
  validityChanged: number;
  transitions: Array<{ from: string; to: string; count: number }>;
  /** Rules whose firing differs between the versions, with how many inputs each. */
  rules: Array<{ rule: string; nowFires: number; noLongerFires: number }>;
  examples: Array<{ source: string; index: number; label?: string; input: unknown; from: string; to: string; rules: string[] }>;
  /** Inputs the old version accepted and the new one refuses, with the first failing path (examples capped). */
  becameInvalid: { count: number; examples: Array<{ source: string; index: number; label?: string; path: string; message: string }> };
  /** Inputs the old version refused and the new one accepts. */
  becameValid: number;
  /** Outputs whose value differs on inputs both versions accept; numbers carry their relative change. */
  outputs: OutputImpact[];
  /** Inputs whose score differs (both versions accept them). */
  score: { changed: number; examples: Array<{ source: string; index: number; label?: string; from: number; to: number }> };
  /**
   * Inputs whose decision's `compliant` differs (both versions accept them), whether or not the outcome
   * changed; the examples are those whose outcome stays the same (the others are decision examples).
   */
  compliance: {
    changed: number;
    becameCompliant: number;
    becameNonCompliant: number;
    examples: Array<{ source: string; index: number; label?: string; from: ComplianceOf; to: ComplianceOf }>;
  };
}

/** A decision's outcome and whether it is compliant. */
export interface ComplianceOf {
  decision: string;
  compliant: boolean;
}

export interface OutputImpact {
  output: string;
  /** Inputs on which it differs. */
  changed: number;
  /** Smallest and largest relative change in percent, over numeric values with a non-zero old value. */
  percent: { min: number; max: number } | null;
  examples: Array<{ source: string; index: number; label?: string; from: unknown; to: unknown; percent: number | null }>;
}

/** Both versions' in-file tests run on their own version. */
export interface TestsImpact {
  before: { passed: number; failed: number };
  after: { passed: number; failed: number };
  /** Tests of the new version that fail: `was` says how the test of that name did in the old version. */
  failing: Array<{ name: string; line: number; failures: string[]; was: 'passed' | 'failed' | 'absent' }>;
  /** Tests that failed in the old version and pass in the new. */
  fixed: string[];
}

export interface DiffReport {
  rulesets: RulesetDiff[];
  impact: Record<string, ImpactReport>;
  /** With `--tests`: each ruleset's tests, old and new. */
  tests?: Record<string, TestsImpact>;
  /** Where each ruleset's file is, relative to the repository (or the working directory). */
  paths?: Record<string, string>;
}

/** The counts a reviewer reads first, over every ruleset in a report. */
export interface ReviewSummary {
  /** False when nothing changes in meaning (formatting or comments only). */
  semanticChange: boolean;
  rulesets: { added: number; removed: number; changed: number };
  rules: { added: number; removed: number; changed: number };
  /** Rulesets whose decision model (precedence or compliant outcomes) changed. */
  decisionModelChanges: number;
  /** Input schema changes that refuse some old input, renames included. */
  breakingInputChanges: number;
  /** Decisions both versions made and on which they differ, by transition. */
  decisions: { evaluated: number; changed: number; transitions: Array<{ from: string; to: string; count: number }> };
  /** Inputs the old version accepted and the new one refuses. */
  becameInvalid: number;
  outputs: Array<{ output: string; changed: number }>;
  scoreChanged: number;
  /** Decisions (both versions made them) whose `compliant` differs. */
  complianceChanged: number;
  /** With tests run: the new versions' failing tests, and those that passed before. */
  tests: { failing: number; regressions: number } | null;
}
