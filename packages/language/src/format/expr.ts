/**
 * Printing expressions and types. Parentheses are not in the AST; they are
 * printed where precedence requires them, plus a few clarifying ones (see the
 * rules at the top of `format/index.ts`).
 */
import type * as A from '../ast.ts';
import { CommentQueue, commentText, suffixComments, type Slot } from './comments.ts';
import { group, hardline, ifBreak, indent, join, line, softline, type Doc } from './doc.ts';
import { fieldNameText } from '../names.ts';

/** Binding strength, loosest first: `? :` < `||` < `&&` < comparison < `??` < `+ -` < `* / %` < unary < postfix. */
const PREC: Record<A.BinaryOperator, number> = {
  '||': 2,
  '&&': 3,
  '==': 4,
  '!=': 4,
  '<': 4,
  '<=': 4,
  '>': 4,
  '>=': 4,
  in: 4,
  '??': 5,
  '+': 6,
  '-': 6,
  '*': 7,
  '/': 7,
  '%': 7,
};

/** Precedence levels: the context an expression is printed in requires at least this level. */
export const LEVEL = { any: 0, conditional: 1, or: 2, and: 3, relation: 4, coalesce: 5, additive: 6, multiplicative: 7, unary: 8, postfix: 9 } as const;

function precedence(e: A.Expr): number {
  switch (e.kind) {
    case 'Conditional':
      return LEVEL.conditional;
    case 'Binary':
      return PREC[e.op];
    case 'Unary':
      return LEVEL.unary;
    case 'Number':
      // `-1` is folded into the literal, so it binds like a unary minus.
      return e.raw.startsWith('-') ? LEVEL.unary : LEVEL.postfix;
    default:
      return LEVEL.postfix;
  }
}

/** Parentheses kept for the reader although precedence does not need them. */
function clarifying(parent: A.BinaryOperator, child: A.Expr): boolean {
  if (child.kind !== 'Binary') return false;
  // `(a ?? false) && b`: without them it reads as `a ?? (false && b)`
  if (child.op === '??' && (parent === '&&' || parent === '||')) return true;
  if (parent === '||') return child.op === '&&';
  // `(a ?? 0) < 3`: `??` binds tighter than comparison, which readers from C# or JavaScript do not expect.
  if (PREC[parent] === LEVEL.relation) return child.op === '??';
  return false;
}

const CHAIN_OPS = new Set<A.BinaryOperator>(['&&', '||', '??']);

export class ExprPrinter {
  constructor(readonly q: CommentQueue) {}

  /** `e` in a context that needs at least precedence `level`. */
  expr(e: A.Expr, level: number = LEVEL.any): Doc {
    if (precedence(e) < level) return this.parenthesized(e);
    return this.bare(e);
  }

  private parenthesized(e: A.Expr): Doc {
    if (e.kind === 'Binary' && CHAIN_OPS.has(e.op)) {
      const body = this.chainBody(e);
      return group(['(', indent([softline, body, this.beforeClose(e)]), softline, ')']);
    }
    // `(m < 10 ? "0" : "")` that does not fit opens on its own lines, so `?` and `:` stay inside the parentheses
    if (e.kind === 'Conditional') return group(['(', indent([softline, this.bare(e)]), softline, ')']);
    return ['(', this.bare(e), ')'];
  }

  /**
   * Comments after a chain's last operand but still inside its span (before the source's `)`:
   * a parenthesized expression's span includes its parentheses) stay inside the parentheses, the
   * first at the end of the last line if it was there. Left to the enclosing slot, they would move
   * out one level per formatting pass, and deep nesting would outrun the fixed-point loop.
   */
  private beforeClose(e: A.Expr): Doc {
    const comments = this.q.takeBefore(e.span.end);
    return comments.map((c, i) => (i === 0 && !this.q.isFullLine(c) ? suffixComments([c]) : [hardline, commentText(c)]));
  }

  private bare(e: A.Expr): Doc {
    switch (e.kind) {
      case 'Null':
        return 'null';
      case 'Bool':
        return e.value ? 'true' : 'false';
      case 'Number':
      case 'String':
      case 'Template':
        return e.raw;
      case 'Ident':
        return e.name;
      case 'List':
        return this.container('[', ']', e.items.map((item) => this.item(item, () => this.expr(item))), e.span.end, { spaced: false });
      case 'Map':
        return this.map(e);
      case 'Member':
        // A property that is not an identifier is written quoted: `m.\`content-type\``.
        return [this.expr(e.object, LEVEL.postfix), e.optional ? '?.' : '.', fieldNameText(e.property)];
      case 'Index':
        return [this.expr(e.object, LEVEL.postfix), e.optional ? '?.[' : '[', this.expr(e.index), ']'];
      case 'Call': {
        const target: Doc = e.target === null ? '' : [this.expr(e.target, LEVEL.postfix), '.'];
        const args = e.args.map((a) => this.item(a, () => this.expr(a)));
        return [target, e.callee, this.container('(', ')', args, e.span.end, { spaced: false })];
      }
      case 'Macro': {
        const target = this.expr(e.target, LEVEL.postfix);
        const args: Item[] = [{ start: e.variableSpan.start, end: e.variableSpan.end, print: () => e.variable }];
        const value = e.valueVariable;
        if (value !== null && e.valueVariableSpan !== null) args.push({ start: e.valueVariableSpan.start, end: e.valueVariableSpan.end, print: () => value });
        if (e.filter !== null) args.push(this.item(e.filter, () => this.expr(e.filter!)));
        args.push(this.item(e.body, () => this.expr(e.body)));
        return [target, '.', e.macro, this.container('(', ')', args, e.span.end, { spaced: false })];
      }
      case 'Has':
        return ['has(', this.expr(e.target), ')'];
      case 'Unary':
        return [e.op, this.expr(e.operand, LEVEL.unary)];
      case 'Binary':
        if (CHAIN_OPS.has(e.op)) return group(indent(this.chainBody(e)));
        return [this.operand(e.op, e.left, PREC[e.op]), ' ', e.op, ' ', this.operand(e.op, e.right, PREC[e.op] + 1)];
      case 'Conditional':
        return this.conditional(e);
      case 'ErrorExpr':
        throw new Error('cannot format an expression with syntax errors');
    }
  }

  /**
   * `a ? b : c` breaks before `?` and `:`; an else-if chain `a ? b : c ? d : e`
   * breaks into one `: test ? value` line per case.
   */
  private conditional(e: A.ConditionalExpr): Doc {
    const consequent = (c: A.Expr): Doc => (c.kind === 'Conditional' ? ['(', this.expr(c), ')'] : this.expr(c));
    if (e.alternate.kind !== 'Conditional') {
      return group([
        this.expr(e.test, LEVEL.or),
        indent([line, '? ', consequent(e.consequent), line, ': ', this.expr(e.alternate, LEVEL.conditional)]),
      ]);
    }
    const cases: Doc[] = [];
    let current: A.Expr = e;
    let first = true;
    while (current.kind === 'Conditional') {
      const head: Doc = [this.expr(current.test, LEVEL.or), ' ? ', consequent(current.consequent)];
      cases.push(first ? head : [line, ': ', head]);
      first = false;
      current = current.alternate;
    }
    cases.push(line, ': ', this.expr(current, LEVEL.conditional));
    return group([cases[0]!, indent(cases.slice(1))]);
  }

  private operand(parent: A.BinaryOperator, child: A.Expr, level: number): Doc {
    return clarifying(parent, child) ? this.parenthesized(child) : this.expr(child, level);
  }

  /** `a && b && c` as operands on lines of their own when the group breaks, operator first. */
  private chainBody(e: A.BinaryExpr): Doc {
    const op = e.op;
    const operands: A.Expr[] = [];
    let current: A.Expr = e;
    while (current.kind === 'Binary' && current.op === op) {
      operands.unshift(current.right);
      current = current.left;
    }
    operands.unshift(current);
    const parts: Doc[] = [];
    let carried: A.Comment[] = [];
    operands.forEach((operand, i) => {
      const limit = operands[i + 1]?.span.start ?? operand.span.end;
      const slot = this.q.slot(
        operand.span.start,
        operand.span.end,
        limit,
        () => this.operand(op, operand, i === 0 ? PREC[op] : PREC[op] + 1),
        carried,
      );
      if (i > 0) parts.push(line);
      // Comments before an operand stand before its operator.
      const operator = i > 0 ? this.q.tokenBefore(operand.span.start)?.startOffset : undefined;
      parts.push(slot.leading.length === 0 ? '' : this.q.leadingLines(slot.leading, operator ?? slot.start));
      if (i > 0) parts.push(op, ' ');
      parts.push(slot.body, slot.trailing);
      carried = slot.extra;
    });
    if (carried.length > 0) parts.push(suffixComments(carried));
    return parts;
  }

  leading(slot: Slot): Doc {
    return slot.leading.length === 0 ? '' : this.q.leadingLines(slot.leading, slot.start);
  }

  item(e: A.Expr | A.MapEntry, print: () => Doc): Item {
    return { start: e.span.start, end: e.span.end, print };
  }

  private map(e: A.MapExpr): Doc {
    const entries = e.entries.map((entry) => this.item(entry, () => [this.mapKey(entry.key), ': ', this.expr(entry.value)]));
    return this.container('{', '}', entries, e.span.end, { spaced: true });
  }

  private mapKey(key: A.Expr): Doc {
    // A bare name (or `true`, `null`) before `:` reads as a string key: keep parentheses around such expressions.
    if (key.kind === 'Ident' || key.kind === 'Bool' || key.kind === 'Null' || key.kind === 'Conditional') {
      return ['(', this.bare(key), ')'];
    }
    return this.expr(key);
  }

  /**
   * `[a, b]`, `{ k: v }`, `f(a, b)`: on one line when it fits, otherwise one
   * item per line with a trailing comma. Comments inside force the broken form.
   */
  container(open: string, close: string, items: Item[], end: number, options: { spaced: boolean; trailingComma?: boolean }): Doc {
    const edge = options.spaced ? line : softline;
    const trailingComma = options.trailingComma ?? true;
    const braceComment = this.braceComment(items[0]?.start ?? end);
    const inner: Doc[] = [];
    let carried: A.Comment[] = [];
    items.forEach((item, i) => {
      const limit = items[i + 1]?.start ?? end;
      const slot = this.q.slot(item.start, item.end, limit, item.print, carried);
      carried = slot.extra;
      inner.push(i === 0 ? edge : line);
      inner.push(this.leading(slot), slot.body);
      if (i < items.length - 1) inner.push(',');
      else if (trailingComma) inner.push(ifBreak(','));
      inner.push(slot.trailing);
    });
    const dangling = [...carried, ...this.q.takeBefore(end)];
    for (const c of dangling) inner.push(hardline, commentText(c));
    if (items.length === 0 && dangling.length === 0) return [open, braceComment, close];
    return group([open, braceComment, indent(inner), items.length === 0 ? hardline : edge, close]);
  }

  /** A comment right after an opening bracket, on its line: stays there. */
  braceComment(before: number): Doc {
    const c = this.q.peek();
    if (c === undefined || c.span.start >= before || this.q.isFullLine(c)) return '';
    return suffixComments(this.q.takeBefore(c.span.end));
  }

  // ------------------------------------------------------------ types

  type(t: A.TypeExpr): Doc {
    switch (t.kind) {
      case 'PrimitiveType':
        return t.name;
      case 'LiteralUnionType':
        return group([t.raws[0] ?? '', indent(t.raws.slice(1).map((raw) => [line, '| ', raw]))]);
      case 'ListType':
        return ['list<', this.type(t.element), '>'];
      case 'MapType':
        return ['map<', this.type(t.value), '>'];
      case 'RecordType':
        return this.recordType(t);
      case 'TypeRef':
        return t.name;
      case 'ErrorType':
        throw new Error('cannot format a type with syntax errors');
    }
  }

  /**
   * A record type inside a type: `{ id: string, owner?: string }` on one line when it fits, else one
   * field per line (without commas). A record written with a line break after `{` keeps the block
   * form (as Prettier keeps such objects expanded), and so do open records (`...`) and comments,
   * docs or `where` clauses inside.
   */
  private recordType(t: A.RecordType): Doc {
    const first = t.fields[0];
    const plain =
      first !== undefined &&
      t.rest === null &&
      !this.q.text.slice(t.span.start, first.span.start).includes('\n') &&
      t.fields.every((f) => f.where === null && f.doc === null) &&
      !this.q.hasCommentIn(t.span.start, t.span.end);
    if (!plain) return this.fieldBlock(t.fields, t.span.end - 1, t.rest);
    const fields = t.fields.map((f, i) => this.field(f, t.fields[i + 1]));
    return group(['{', indent([line, join([ifBreak('', ','), line], fields)]), line, '}']);
  }

  /** `rest`: the trailing `...` of an open record, printed on its own line after the fields. */
  fieldBlock(fields: A.FieldDecl[], closeOffset: number, rest: A.Span | null = null): Doc {
    const items: Item[] = fields.map((f, i) => ({
      start: f.span.start,
      end: f.span.end,
      print: () => this.field(f, fields[i + 1]),
    }));
    if (rest !== null) items.push({ start: rest.start, end: rest.end, print: () => '...' });
    return this.block(items, closeOffset);
  }

  private field(f: A.FieldDecl, next: A.FieldDecl | undefined): Doc {
    const head: Doc[] = [fieldNameText(f.name), f.optional ? '?' : '', ': ', this.type(f.type), f.sensitive ? ' sensitive' : ''];
    if (f.where !== null) head.push(group(indent([line, 'where ', this.expr(f.where)])));
    // A `where` expression would read a following field named `in` as the operator.
    if (f.where !== null && next?.name === 'in') head.push(',');
    return head;
  }

  /**
   * A `{ ... }` block of statements, one per line; one empty line is kept
   * where the author left at least one between two items. Each line holds at
   * most one end-of-line comment: a comment that cannot stay at the end of its
   * line (a second one, or one left inside an item) moves to its own line
   * before the next item, followed by an empty line so that it does not
   * become that item's doc comment.
   */
  block(items: Item[], closeOffset: number): Doc {
    const q = this.q;
    const head: Doc[] = [];
    const body: Doc[] = [];
    let lineSuffix: Doc[] = head;
    let lineHasComment = false;
    let moved: A.Comment[] = [];
    let lastEnd: number | null = null;
    const endOfLine = (c: A.Comment): void => {
      if (lineHasComment) moved.push(c);
      else {
        lineSuffix.push(suffixComments([c]));
        lineHasComment = true;
      }
    };
    items.forEach((item, i) => {
      const limit = items[i + 1]?.start ?? closeOffset;
      const own: A.Comment[] = [];
      for (const c of q.takeBefore(item.start)) {
        if (q.isFullLine(c)) own.push(c);
        else if (own.length === 0 && moved.length === 0) endOfLine(c);
        else moved.push(c);
      }
      body.push(hardline);
      const firstThing = moved[0]?.span.start ?? own[0]?.span.start ?? item.start;
      if (lastEnd !== null && q.blankBetween(lastEnd, firstThing)) body.push(hardline);
      if (moved.length > 0) body.push(q.leadingLines(moved, own[0]?.span.start ?? item.start, moved[moved.length - 1]));
      if (own.length > 0) body.push(q.leadingLines(own, item.start));
      moved = [];
      const doc = item.print();
      const leftovers = q.takeBefore(item.end);
      const realEnd = Math.max(item.end, ...leftovers.map((c) => c.span.end));
      const trailing = q.takeSameLine(realEnd, limit);
      lineSuffix = [];
      lineHasComment = false;
      body.push(doc, lineSuffix);
      for (const c of trailing ? [...leftovers, trailing] : leftovers) endOfLine(c);
      lastEnd = trailing?.span.end ?? realEnd;
    });
    const dangling = [...moved, ...q.takeBefore(closeOffset)];
    dangling.forEach((c, i) => {
      if (items.length === 0 && i === 0 && !q.isFullLine(c)) {
        endOfLine(c);
        return;
      }
      body.push(hardline);
      if (lastEnd !== null && q.blankBetween(lastEnd, c.span.start)) body.push(hardline);
      body.push(commentText(c));
      lastEnd = Math.max(lastEnd ?? 0, c.span.end);
    });
    if (body.length === 0) return ['{', head, '}'];
    return ['{', head, indent(body), hardline, '}'];
  }
}

export interface Item {
  start: number;
  end: number;
  print: () => Doc;
}
