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
  change: 'added' | 'removed' | 'type' | 'optionality' | 'constraint' | 'sensitivity';
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
}

export interface TableRowChanges {
  name: string;
  added: string[];
  removed: string[];
  changed: Array<{ from: string; to: string }>;
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
  decision: { from: string[]; to: string[] } | null;
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
  examples: Array<{ source: string; index: number; input: unknown; from: string; to: string; rules: string[] }>;
}

export interface DiffReport {
  rulesets: RulesetDiff[];
  impact: Record<string, ImpactReport>;
}
