/**
 * Registers the `verdict` language with Monaco: tokens, brackets, comments, and the features of
 * @verdict/language-service (formatting, completion, hover, definitions, references, rename, quick fixes,
 * outline, folding, signature help), adapted to Monaco's types.
 */
import type { Diagnostic } from '@verdict/language';
import { SourceFile, formatting, type OutlineItem } from '@verdict/language-service';
import { monaco } from '../monaco.ts';
import { registerCompletion } from './completion.ts';
import { registerNavigation } from './definition.ts';
import { toMonacoRange } from './lsp-monaco.ts';
import { registerHover } from './hover.ts';
import { registerQuickFixes } from './quick-fix.ts';
import { registerSignatureHelp } from './signature-help.ts';
import { registerSymbols } from './symbols.ts';
import { INITIAL_LINE_STATE, sameLineState, tokenizeLine, type LineState } from './tokenize.ts';

export const LANGUAGE_ID = 'verdict';

class State implements monaco.languages.IState {
  constructor(readonly line: LineState) {}
  clone(): State {
    return new State(this.line);
  }
  equals(other: monaco.languages.IState): boolean {
    return other instanceof State && sameLineState(this.line, other.line);
  }
}

/** Called with a message when the formatter refuses (syntax errors). */
export type FormatRefused = (diagnostics: Diagnostic[]) => void;

let registered = false;

export interface VerdictOptions {
  diagnostics: () => Diagnostic[];
  /** The worker's outline of `model`, or null when it has none (the provider then analyzes on the main thread). */
  outline: (model: monaco.editor.ITextModel) => OutlineItem[] | null;
  onFormatRefused: FormatRefused;
}

export function registerVerdict(options: VerdictOptions): void {
  if (registered) return;
  registered = true;
  monaco.languages.register({ id: LANGUAGE_ID, extensions: ['.policy'], aliases: ['Verdict'] });
  monaco.languages.setLanguageConfiguration(LANGUAGE_ID, {
    comments: { lineComment: '#' },
    brackets: [
      ['{', '}'],
      ['[', ']'],
      ['(', ')'],
    ],
    autoClosingPairs: [
      { open: '{', close: '}' },
      { open: '[', close: ']' },
      { open: '(', close: ')' },
      { open: '"', close: '"', notIn: ['string', 'comment'] },
      { open: "'", close: "'", notIn: ['string', 'comment'] },
    ],
    surroundingPairs: [
      { open: '{', close: '}' },
      { open: '[', close: ']' },
      { open: '(', close: ')' },
      { open: '"', close: '"' },
    ],
    indentationRules: { increaseIndentPattern: /[{[(]\s*(#.*)?$/, decreaseIndentPattern: /^\s*[}\])]/ },
    // Names only: numbers are not words, so typing digits does not pop completion up.
    wordPattern: /[A-Za-z_][A-Za-z0-9_]*/,
  });
  monaco.languages.setTokensProvider(LANGUAGE_ID, {
    getInitialState: () => new State(INITIAL_LINE_STATE),
    tokenize(line, state) {
      const result = tokenizeLine(line, (state as State).line);
      return { tokens: result.tokens, endState: new State(result.state) };
    },
  });
  monaco.languages.registerDocumentFormattingEditProvider(LANGUAGE_ID, {
    provideDocumentFormattingEdits(model) {
      const result = formatting(new SourceFile(model.getValue()));
      if ('refused' in result) {
        options.onFormatRefused(result.refused);
        return [];
      }
      return result.edits.map((e) => ({ range: toMonacoRange(e.range), text: e.newText }));
    },
  });
  registerCompletion(LANGUAGE_ID);
  registerHover(LANGUAGE_ID);
  registerNavigation(LANGUAGE_ID);
  registerQuickFixes(LANGUAGE_ID, options.diagnostics);
  registerSymbols(LANGUAGE_ID, options.outline);
  registerSignatureHelp(LANGUAGE_ID);
}
