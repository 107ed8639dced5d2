/** Printing a whole ruleset: the header, declarations, blocks and their comments. */
import type * as A from '../ast.ts';
import { CommentQueue, commentText, suffixComments } from './comments.ts';
import { flat, group, indent, join, line, render, type Doc } from './doc.ts';
import { ExprPrinter, LEVEL, type Item } from './expr.ts';

export const WIDTH = 100;

/** Declarations that usually fit on one line; the author may stack them without an empty line between. */
const STACKABLE = new Set<string>(['Const', 'Param', 'Let', 'Output', 'Decision', 'Weights', 'ErrorPolicy']);

interface Printed {
  kind: string;
  lead: string;
  body: string;
  firstThing: number;
  end: number;
}

/** `q`: the comment queue of `text` (one whose tokens the caller already has), untouched so far. */
export function printRuleset(ast: A.Ruleset, text: string, q = new CommentQueue(text, ast.comments)): string {
  const p = new DeclPrinter(q);
  const headerToken = q.tokenBefore(ast.name.span.start);
  const headerStart = headerToken?.image === 'ruleset' ? headerToken.startOffset : ast.name.span.start;
  const items: Array<{ kind: string; start: number; end: number; print: () => Doc }> = [
    { kind: 'Header', start: headerStart, end: ast.name.span.end, print: () => ['ruleset ', ast.name.name] },
    ...ast.decls.map((d) => ({ kind: d.kind, start: d.span.start, end: d.span.end, print: () => p.decl(d) })),
  ];
  // Comments left inside a declaration: the first stays at the end of its line; the others become
  // leading comments of the next declaration (where a second formatting pass would put them), so
  // formatting stays idempotent.
  let deferred: A.Comment[] = [];
  const printed: Printed[] = items.map((item, i) => {
    const limit = items[i + 1]?.start ?? text.length;
    const movedLast = deferred[deferred.length - 1];
    const leading = [...deferred, ...q.takeBefore(item.start)];
    const body = item.print();
    const leftovers = q.takeBefore(item.end);
    const realEnd = Math.max(item.end, ...leftovers.map((c) => c.span.end));
    const trailing = q.takeSameLine(realEnd, limit);
    const after = trailing ? [...leftovers, trailing] : leftovers;
    deferred = after.slice(1);
    return {
      kind: item.kind,
      // An empty line after moved comments, so they do not become the declaration's doc comment.
      lead: leading.length > 0 ? render(q.leadingLines(leading, item.start, movedLast), WIDTH) : '',
      body: render([body, suffixComments(after.slice(0, 1))], WIDTH),
      firstThing: leading[0]?.span.start ?? item.start,
      end: after[0]?.span.end ?? realEnd,
    };
  });
  let out = '';
  printed.forEach((item, i) => {
    const prev = printed[i - 1];
    if (prev !== undefined) {
      const stacked =
        STACKABLE.has(prev.kind) && STACKABLE.has(item.kind) && !prev.body.includes('\n') && !item.body.includes('\n');
      out += stacked && !q.blankBetween(prev.end, item.firstThing) ? '\n' : '\n\n';
    }
    out += item.lead + item.body;
  });
  let lastEnd = printed[printed.length - 1]?.end ?? 0;
  for (const c of [...deferred, ...q.takeBefore(Number.POSITIVE_INFINITY)]) {
    out += (out === '' ? '' : q.blankBetween(lastEnd, c.span.start) ? '\n\n' : '\n') + commentText(c);
    lastEnd = c.span.end;
  }
  return out + '\n';
}

function endsWithName(result: A.Expr, printed: string): boolean {
  return result.kind !== 'Number' && /[A-Za-z_][A-Za-z0-9_]*$/.test(printed);
}

class DeclPrinter {
  private readonly x: ExprPrinter;

  constructor(private readonly q: CommentQueue) {
    this.x = new ExprPrinter(q);
  }

  decl(d: A.Decl): Doc {
    const x = this.x;
    switch (d.kind) {
      case 'Input':
        return ['input ', x.fieldBlock(d.fields, d.span.end - 1, d.rest)];
      case 'TypeAlias':
        return ['type ', d.name.name, ' = ', x.type(d.type)];
      case 'Decision':
        return ['decision ', join(' > ', d.outcomes.map((o) => o.name)), d.compliant === undefined ? '' : [' compliant ', join(', ', d.compliant.map((o) => o.name))]];
      case 'Weights': {
        const entries: Item[] = d.entries.map((e) => ({
          start: e.span.start,
          end: e.span.end,
          print: () => [e.severity.name, ': ', e.value.raw],
        }));
        return ['weights ', x.container('{', '}', entries, d.span.end, { spaced: true })];
      }
      case 'ErrorPolicy':
        return ['on error ', d.policy.name];
      case 'Const':
        return ['const ', d.name.name, this.annotation(d.type), ' = ', x.expr(d.value)];
      case 'Let':
        return this.let(d);
      case 'Output':
        return ['output ', d.name.name, this.annotation(d.type), ' = ', x.expr(d.value)];
      case 'Param':
        return ['param ', d.name.name, ': ', x.type(d.type), ' = ', x.expr(d.default), this.where(d.where)];
      case 'Table':
        return this.table(d);
      case 'Rule':
        return ['rule ', d.name.name, ' ', x.block(this.ruleStatements(d), d.span.end - 1)];
      case 'Test':
        return ['test ', d.name.raw, ' ', x.block(this.testStatements(d), d.span.end - 1)];
    }
  }

  private annotation(type: A.TypeExpr | null): Doc {
    return type === null ? '' : [': ', this.x.type(type)];
  }

  private where(where: A.Expr | null): Doc {
    return where === null ? '' : group(indent([line, 'where ', this.x.expr(where)]));
  }

  private let(d: A.LetDecl): Doc {
    return ['let ', d.name.name, this.annotation(d.type), ' = ', this.x.expr(d.value)];
  }

  private table(d: A.TableDecl): Doc {
    const x = this.x;
    const arrow = this.q.tokenBefore(d.returnType.span.start);
    const params: Item[] = d.params.map((param) => ({
      start: param.span.start,
      end: param.span.end,
      print: () => [param.name.name, ': ', x.type(param.type)],
    }));
    const head: Doc = [
      'table ',
      d.name.name,
      x.container('(', ')', params, arrow?.startOffset ?? d.returnType.span.start, { spaced: false, trailingComma: false }),
      ' -> ',
      x.type(d.returnType),
      ' ',
    ];
    let previous: { row: A.TableRow; result: Doc[] } | null = null;
    const rows: Item[] = d.rows.map((row) => ({
      start: row.span.start,
      end: row.span.end,
      print: () => {
        const printed = this.row(row, previous !== null);
        // `x` then a row starting with `(` would read as the call `x(...)`: keep the result in parentheses.
        if (previous !== null && /^\(/.test(flat(printed.doc)) && endsWithName(previous.row.result, flat(previous.result))) {
          previous.result.unshift('(');
          previous.result.push(')');
        }
        previous = { row, result: printed.result };
        return printed.doc;
      },
    }));
    return [head, x.block(rows, d.span.end - 1)];
  }

  private row(row: A.TableRow, afterRow: boolean): { doc: Doc; result: Doc[] } {
    const x = this.x;
    const patterns = row.isElse ? null : this.patterns(row, afterRow);
    const result: Doc[] = [x.expr(row.result, LEVEL.additive)];
    return { doc: patterns === null ? ['else -> ', result] : [patterns, ' -> ', result], result };
  }

  private patterns(row: A.TableRow, afterRow: boolean): Doc {
    const x = this.x;
    const patterns = row.patterns.map((pattern, i): Doc => {
      switch (pattern.kind) {
        case 'Wildcard':
          return '_';
        case 'ComparePattern':
          return [pattern.op, ' ', x.expr(pattern.value, LEVEL.additive)];
        case 'InPattern':
          return ['in ', x.expr(pattern.value, LEVEL.additive)];
        case 'TestPattern': {
          const { range, comparisons, contains, call } = pattern;
          if (range !== undefined) return [range.lowInclusive ? '[' : '(', x.expr(range.low, LEVEL.additive), ', ', x.expr(range.high, LEVEL.additive), range.highInclusive ? ']' : ')'];
          if (comparisons !== undefined) return join(' && ', comparisons.map((c) => [c.op, ' ', x.expr(c.value, LEVEL.additive)]));
          if (contains !== undefined) return ['contains ', x.expr(contains, LEVEL.additive)];
          return ['.', call!.callee, '(', join(', ', call!.args.map((a) => x.expr(a))), ')'];
        }
        case 'EqualsPattern': {
          const value = x.expr(pattern.value, LEVEL.additive);
          const text = flat(value);
          // A value printed as `_...` would read as the wildcard; one starting with `-` or `[` would
          // continue the previous row's result (`1 - 1`, `x[0]`).
          // A value starting with `[` could read as a range (`[1, 2]`).
          const parens = /^_(?![A-Za-z0-9_])/.test(text) || /^\[/.test(text) || (afterRow && i === 0 && /^-/.test(text));
          return parens ? ['(', value, ')'] : value;
        }
      }
    });
    const guard: Doc = row.guard === null ? '' : [' when ', x.expr(row.guard)];
    return [join(', ', patterns), guard];
  }

  private ruleStatements(d: A.RuleDecl): Item[] {
    const x = this.x;
    const items: Item[] = [];
    const keywordStart = (offset: number): number => this.q.tokenBefore(offset)?.startOffset ?? offset;
    if (d.severity !== null) {
      const severity = d.severity;
      items.push({ start: keywordStart(severity.span.start), end: severity.span.end, print: () => ['severity ', severity.name] });
    }
    for (const l of d.lets) items.push({ start: l.span.start, end: l.span.end, print: () => this.let(l) });
    if (d.outcome !== null && d.condition !== null) {
      const outcome = d.outcome;
      const condition = d.condition;
      items.push({ start: outcome.span.start, end: condition.span.end, print: () => [outcome.name, ' when ', x.expr(condition)] });
    }
    if (d.message !== null) {
      const message = d.message;
      items.push({
        start: keywordStart(message.span.start),
        end: message.span.end,
        print: () => {
          const doc = x.expr(message);
          // After `because`, a double-quoted string is read as a template: keep other expressions apart.
          const quoted = message.kind !== 'Template' && flat(doc).startsWith('"');
          return ['because ', quoted ? ['(', doc, ')'] : doc];
        },
      });
    }
    for (const s of d.suggestions) {
      items.push({ start: s.span.start, end: s.span.end, print: () => ['suggest ', s.name.name, ' = ', x.expr(s.value)] });
    }
    // Spans give the order the author wrote the statements in (the same as `rule.order`).
    return items.sort((a, b) => a.start - b.start);
  }

  private testStatements(d: A.TestDecl): Item[] {
    const x = this.x;
    const items: Item[] = [];
    const keywordStart = (offset: number): number => this.q.tokenBefore(offset)?.startOffset ?? offset;
    if (d.input !== null) {
      const input = d.input;
      items.push({ start: keywordStart(input.span.start), end: input.span.end, print: () => ['input ', x.expr(input)] });
    }
    if (d.params !== null) {
      const params = d.params;
      items.push({ start: keywordStart(params.span.start), end: params.span.end, print: () => ['params ', x.expr(params)] });
    }
    for (const e of d.expectations) items.push({ start: e.span.start, end: e.span.end, print: () => this.expectation(e) });
    for (const block of d.cases ?? []) {
      const rows: Item[] = block.rows.map((c) => ({
        start: c.span.start,
        end: c.span.end,
        print: () => [x.expr(c.input), ' -> ', c.outcome.name, c.rules === null ? '' : [' by [', join(', ', c.rules.map((r) => r.name)), ']']],
      }));
      items.push({ start: block.span.start, end: block.span.end, print: () => ['cases ', x.block(rows, block.span.end - 1)] });
    }
    return items.sort((a, b) => a.start - b.start);
  }

  private expectation(e: A.Expectation): Doc {
    const x = this.x;
    switch (e.kind) {
      case 'ExpectDecision':
        return ['expect ', e.outcome.name, e.rules === null ? '' : [' by [', join(', ', e.rules.map((r) => r.name)), ']']];
      case 'ExpectOutputs':
        return ['expect outputs ', e.exact === true ? 'exactly ' : '', x.expr(e.value), e.within === null ? '' : [' within ', e.within.raw]];
      case 'ExpectSuggestion':
        return ['expect suggest ', e.rule.name, ' ', e.exact === true ? 'exactly ' : '', x.expr(e.value)];
      case 'ExpectScore':
        return ['expect score ', x.expr(e.value)];
      case 'ExpectInvalid':
        return e.paths === undefined ? 'expect invalid' : ['expect invalid at ', join(', ', e.paths.map((p) => p.raw))];
      case 'ExpectMessage':
        return ['expect message ', e.rule.name, e.contains ? ' contains ' : ' ', e.text.raw];
      case 'ExpectError':
        return ['expect error ', e.rule.name, ' ', e.code.name];
    }
  }
}
