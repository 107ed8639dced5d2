/**
 * The Verdict AST. Every node has a `kind` discriminant and a `span`.
 * Expression nodes also carry a numeric `id`, unique within one parse, so
 * later stages (checker types, engine traces, runtime errors) can key side
 * tables by id without mutating the tree.
 *
 * The JSON form of this tree (JSON.stringify of a parse result) is stable and
 * documented in grammar/ast.md; spans are left out of structural equality
 * (see `stripSpans`).
 */

/** A source range. Offsets are 0-based UTF-16 indexes; lines and columns are 1-based. */
export interface Span {
  start: number;
  end: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface Node {
  span: Span;
}

// ---------------------------------------------------------------- expressions

export type BinaryOperator =
  | '||'
  | '&&'
  | '??'
  | '=='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='
  | 'in'
  | '+'
  | '-'
  | '*'
  | '/'
  | '%';

export type UnaryOperator = '!' | '-';

export type MacroName = 'all' | 'exists' | 'exists_one' | 'map' | 'filter' | 'existsOne' | 'transformList' | 'transformMap' | 'transformMapEntry';

interface ExprBase extends Node {
  /** Unique within one parse result; stable for a given source text. */
  id: number;
}

export interface NullLiteral extends ExprBase {
  kind: 'Null';
}
export interface BoolLiteral extends ExprBase {
  kind: 'Bool';
  value: boolean;
}
export interface NumberLiteral extends ExprBase {
  kind: 'Number';
  value: number;
  /** The literal as written (the formatter prints it back unchanged). */
  raw: string;
}
export interface StringLiteral extends ExprBase {
  kind: 'String';
  value: string;
  /** The literal as written, quotes included. */
  raw: string;
}
/** A double-quoted string with `{expr}` holes; only in `because` messages. */
export interface TemplateLiteral extends ExprBase {
  kind: 'Template';
  /** Alternating text and expressions; text parts are already unescaped. */
  parts: Array<string | Expr>;
  raw: string;
}
export interface Identifier extends ExprBase {
  kind: 'Ident';
  name: string;
}
export interface ListExpr extends ExprBase {
  kind: 'List';
  items: Expr[];
}
export interface MapEntry extends Node {
  /** An identifier key is written `{ name: 1 }` and stored as a String key. */
  key: Expr;
  value: Expr;
}
export interface MapExpr extends ExprBase {
  kind: 'Map';
  entries: MapEntry[];
}
export interface MemberExpr extends ExprBase {
  kind: 'Member';
  object: Expr;
  property: string;
  propertySpan: Span;
  /** `a?.b`: absent or null `a` yields null instead of an error. */
  optional: boolean;
}
export interface IndexExpr extends ExprBase {
  kind: 'Index';
  object: Expr;
  index: Expr;
  optional: boolean;
}
/** `f(a, b)` (target absent) or `x.f(a, b)` (method form, target = x). */
export interface CallExpr extends ExprBase {
  kind: 'Call';
  callee: string;
  calleeSpan: Span;
  target: Expr | null;
  args: Expr[];
}
/**
 * `list.all(x, body)`, `list.map(x, body)`, `list.map(x, filter, body)`, ... and CEL's two-variable
 * forms `list.all(i, v, body)`, `map.transformMap(k, v, filter, body)`, ...
 */
export interface MacroExpr extends ExprBase {
  kind: 'Macro';
  macro: MacroName;
  target: Expr;
  /** The item; in a two-variable form, the index (list) or key (map). */
  variable: string;
  variableSpan: Span;
  /** In a two-variable form, the value's name (`v` of `all(i, v, ...)`); otherwise null. */
  valueVariable: string | null;
  valueVariableSpan: Span | null;
  /** For `map(x, filter, transform)` and `transformList(i, v, filter, transform)`, ...: the filter; otherwise null. */
  filter: Expr | null;
  body: Expr;
}
/** `has(a.b)`: true when field `b` is present in `a`. */
export interface HasExpr extends ExprBase {
  kind: 'Has';
  target: MemberExpr;
}
export interface UnaryExpr extends ExprBase {
  kind: 'Unary';
  op: UnaryOperator;
  operand: Expr;
}
export interface BinaryExpr extends ExprBase {
  kind: 'Binary';
  op: BinaryOperator;
  left: Expr;
  right: Expr;
}
export interface ConditionalExpr extends ExprBase {
  kind: 'Conditional';
  test: Expr;
  consequent: Expr;
  alternate: Expr;
}
/** Stands where the parser could not read an expression (error recovery). */
export interface ErrorExpr extends ExprBase {
  kind: 'ErrorExpr';
}

export type Expr =
  | NullLiteral
  | BoolLiteral
  | NumberLiteral
  | StringLiteral
  | TemplateLiteral
  | Identifier
  | ListExpr
  | MapExpr
  | MemberExpr
  | IndexExpr
  | CallExpr
  | MacroExpr
  | HasExpr
  | UnaryExpr
  | BinaryExpr
  | ConditionalExpr
  | ErrorExpr;

// ---------------------------------------------------------------- types

export type PrimitiveTypeName = 'string' | 'number' | 'boolean' | 'timestamp' | 'duration' | 'decimal' | 'any';


export interface PrimitiveType extends Node {
  kind: 'PrimitiveType';
  name: PrimitiveTypeName;
}
/** `"free" | "standard" | "enterprise"` (string, number or boolean literals). */
export interface LiteralUnionType extends Node {
  kind: 'LiteralUnionType';
  values: Array<string | number | boolean>;
  raws: string[];
}
export interface ListType extends Node {
  kind: 'ListType';
  element: TypeExpr;
}
/** `map<T>`: an object with string keys and values of T. */
export interface MapType extends Node {
  kind: 'MapType';
  value: TypeExpr;
}
export interface FieldDecl extends Node {
  kind: 'Field';
  name: string;
  nameSpan: Span;
  optional: boolean;
  /** Redacted in the decision log. */
  sensitive: boolean;
  type: TypeExpr;
  /** A constraint on `value`, translated to JSON Schema (`value > 0`, `size(value) == 2`, `value.matches("...")`). */
  where: Expr | null;
  doc: string | null;
}
export interface RecordType extends Node {
  kind: 'RecordType';
  fields: FieldDecl[];
  /** The span of a trailing `...` (other fields are allowed and ignored); null for a closed record. */
  rest: Span | null;
}
/**
 * The name of a `type` alias. `target` is the aliased type, filled in by `parse()` after the whole
 * file is read (aliases may be used before they are declared); null when the name is unknown
 * (VD1008) or the alias refers to itself (VD3050). It is not enumerable: the JSON form of the tree
 * and generic walks see each type once, where it is written.
 */
export interface TypeRef extends Node {
  kind: 'TypeRef';
  name: string;
  readonly target: TypeExpr | null;
}

/** A TypeRef node (its `target` set later by `setTypeRefTarget`). */
export function typeRef(name: string, span: Span): TypeRef {
  const ref = { kind: 'TypeRef' as const, name, span };
  Object.defineProperty(ref, 'target', { value: null, enumerable: false, writable: true, configurable: true });
  return ref as TypeRef;
}

export function setTypeRefTarget(ref: TypeRef, target: TypeExpr): void {
  (ref as { target: TypeExpr | null }).target = target;
}
/** Stands where the parser could not read a type. */
export interface ErrorType extends Node {
  kind: 'ErrorType';
}

export type TypeExpr = PrimitiveType | LiteralUnionType | ListType | MapType | RecordType | TypeRef | ErrorType;

/** How many alias steps `resolveType` follows at most (a cycle is VD3050; this only guards against one). */
const MAX_ALIAS_DEPTH = 64;

/** The type an alias names, through aliases of aliases; ErrorType for an unresolved name. */
export function resolveType(t: TypeExpr): Exclude<TypeExpr, TypeRef> {
  let current: TypeExpr = t;
  for (let i = 0; i < MAX_ALIAS_DEPTH && current.kind === 'TypeRef'; i++) {
    if (current.target === null) return { kind: 'ErrorType', span: current.span };
    current = current.target;
  }
  return current.kind === 'TypeRef' ? { kind: 'ErrorType', span: current.span } : current;
}

// ---------------------------------------------------------------- declarations

export interface Name extends Node {
  name: string;
}

export interface InputDecl extends Node {
  kind: 'Input';
  fields: FieldDecl[];
  /** The span of a trailing `...`: the input may carry fields the ruleset does not declare. */
  rest: Span | null;
  doc: string | null;
}

/** `type Container = { name: string, image: string }`: a name for a type. */
export interface TypeAliasDecl extends Node {
  kind: 'TypeAlias';
  name: Name;
  type: TypeExpr;
  doc: string | null;
}

/** `decision deny > refer > allow`: highest precedence first; the last is the default. */
export interface DecisionDecl extends Node {
  kind: 'Decision';
  outcomes: Name[];
  /**
   * `compliant permit`: the outcomes that count as compliant (grants). Absent: only the default,
   * the last outcome, is compliant.
   */
  compliant?: Name[];
  doc: string | null;
}

export type Severity = 'critical' | 'high' | 'medium' | 'low';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

/** `weights { critical: 8, high: 3 }`: score weights, overriding the defaults per severity. */
export interface WeightsDecl extends Node {
  kind: 'Weights';
  entries: Array<{ severity: Name; value: NumberLiteral; span: Span }>;
  doc: string | null;
}

/** `on error fire` (fail closed, the default) or `on error skip` (fail open). */
export interface ErrorPolicyDecl extends Node {
  kind: 'ErrorPolicy';
  policy: Name;
  doc: string | null;
}

export interface ConstDecl extends Node {
  kind: 'Const';
  name: Name;
  type: TypeExpr | null;
  value: Expr;
  doc: string | null;
}

export interface ParamDecl extends Node {
  kind: 'Param';
  name: Name;
  type: TypeExpr;
  default: Expr;
  /** A predicate over `value` that every override must satisfy. */
  where: Expr | null;
  doc: string | null;
}

export interface LetDecl extends Node {
  kind: 'Let';
  name: Name;
  type: TypeExpr | null;
  value: Expr;
  doc: string | null;
}

export interface OutputDecl extends Node {
  kind: 'Output';
  name: Name;
  type: TypeExpr | null;
  value: Expr;
  doc: string | null;
}

export interface TableParam extends Node {
  name: Name;
  type: TypeExpr;
}

export type TablePattern =
  | { kind: 'Wildcard'; span: Span }
  /** A value that the column must equal. */
  | { kind: 'EqualsPattern'; value: Expr; span: Span }
  /** `< 25`, `>= 70`, `!= "x"`. */
  | { kind: 'ComparePattern'; op: '<' | '<=' | '>' | '>=' | '!='; value: Expr; span: Span }
  /** `in ["CA", "MA"]`. */
  | { kind: 'InPattern'; value: Expr; span: Span }
  /**
   * A pattern that is a test of the column: a range `[10, 20)`, several comparisons `>= 10 && != 15`,
   * `contains "x"`, or a call `.startsWith("x")`. `value` is that test as a boolean expression over
   * the column's parameter (`columnReads` are its reads of the column); the other fields say how it
   * was written.
   */
  | {
      kind: 'TestPattern';
      value: Expr;
      columnReads: Identifier[];
      range?: { low: Expr; high: Expr; lowInclusive: boolean; highInclusive: boolean };
      comparisons?: Array<{ op: '<' | '<=' | '>' | '>=' | '!='; value: Expr }>;
      contains?: Expr;
      call?: { callee: string; args: Expr[] };
      span: Span;
    };

export interface TableRow extends Node {
  /** One pattern per table parameter; empty for the `else` row. */
  patterns: TablePattern[];
  guard: Expr | null;
  result: Expr;
  isElse: boolean;
}

/** `table f(a: T, b: U) -> R { rows }`: the first matching row wins. */
export interface TableDecl extends Node {
  kind: 'Table';
  name: Name;
  params: TableParam[];
  returnType: TypeExpr;
  rows: TableRow[];
  doc: string | null;
}

export interface SuggestEntry extends Node {
  name: Name;
  value: Expr;
}

export interface RuleDecl extends Node {
  kind: 'Rule';
  name: Name;
  severity: Name | null;
  lets: LetDecl[];
  /** The outcome this rule produces when its condition holds. */
  outcome: Name | null;
  condition: Expr | null;
  message: Expr | null;
  suggestions: SuggestEntry[];
  /** Statement order as written (the formatter keeps it). */
  order: Array<'severity' | 'let' | 'when' | 'because' | 'suggest'>;
  doc: string | null;
}

export type Expectation =
  /** `expect deny` or `expect deny by [rule_a, rule_b]` (exactly those rules fired). */
  | { kind: 'ExpectDecision'; outcome: Name; rules: Name[] | null; span: Span }
  /** `expect outputs { premium: 812.5 }`: the named outputs equal these values; `exactly`: and there are no others. */
  | { kind: 'ExpectOutputs'; value: MapExpr; exact?: boolean; /** `within 0.005`: the tolerance for numbers; null: exact. */ within: NumberLiteral | null; span: Span }
  /** `expect suggest position_limit { quantity: 40 }`; `exactly`: and the suggestion has no other fields. */
  | { kind: 'ExpectSuggestion'; rule: Name; value: MapExpr; exact?: boolean; span: Span }
  /** `expect score 0.75`. */
  | { kind: 'ExpectScore'; value: Expr; span: Span }
  /** `expect invalid`: the input must fail schema validation; `at "a.b"`: at (at least) these paths. */
  | { kind: 'ExpectInvalid'; paths?: StringLiteral[]; span: Span }
  /** `expect message r "text"` (the whole message) or `expect message r contains "text"`. */
  | { kind: 'ExpectMessage'; rule: Name; text: StringLiteral; contains: boolean; span: Span }
  /** `expect error r division_by_zero`: rule r's evaluation fails with this error code. */
  | { kind: 'ExpectError'; rule: Name; code: Name; span: Span };

/** `cases { rows }`: from `cases` to its `}`. */
export interface TestCases {
  rows: TestCase[];
  span: Span;
}

/** One row of `cases { { ... } -> outcome by [rules] }`: the test's input with these fields merged in. */
export interface TestCase {
  input: MapExpr;
  outcome: Name;
  rules: Name[] | null;
  span: Span;
}

export interface TestDecl extends Node {
  kind: 'Test';
  name: StringLiteral;
  input: MapExpr | null;
  params: MapExpr | null;
  expectations: Expectation[];
  /** `cases { ... }` blocks, in order; absent without one. */
  cases?: TestCases[];
  doc: string | null;
}

export type Decl =
  | InputDecl
  | TypeAliasDecl
  | DecisionDecl
  | WeightsDecl
  | ErrorPolicyDecl
  | ConstDecl
  | ParamDecl
  | LetDecl
  | OutputDecl
  | TableDecl
  | RuleDecl
  | TestDecl;

export interface Comment {
  text: string;
  span: Span;
}

export interface Ruleset extends Node {
  kind: 'Ruleset';
  /** Dotted name, e.g. `marketplace.admission`; empty when the header is missing. */
  name: Name;
  doc: string | null;
  decls: Decl[];
  /** Every comment in the file, in order (the formatter re-attaches them). */
  comments: Comment[];
}
