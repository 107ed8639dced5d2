/**
 * The Verdict language service: editor-independent language features as pure
 * functions over one version of a ruleset's text (`SourceFile`), with LSP
 * types. The web editor (Monaco) and the language server both call these.
 */
export { SourceFile, spanRange } from './source.ts';
export { completion, usableAsMethod } from './completion.ts';
export { cursorContext, mapPath, type CursorContext, type Frame } from './context.ts';
export { hover, hoverAt } from './hover.ts';
export { signatureHelp } from './signature-help.ts';
export { definition, references, prepareRename, rename, RenameError } from './navigation.ts';
export { diagnostics, toLspDiagnostic, DIAGNOSTIC_SOURCE } from './diagnostics.ts';
export { codeActions } from './code-actions.ts';
export { formatting, type FormatOutcome } from './formatting.ts';
export { documentSymbols, SYMBOL_KINDS } from './symbols.ts';
export { outlineOf, type OutlineItem, type OutlineKind } from './outline.ts';
export { foldingRanges } from './folding.ts';
export { semanticTokens, SEMANTIC_TOKENS_LEGEND } from './semantic-tokens.ts';
export { occurrences, type Occurrence, type OccurrenceIndex, type OccurrenceKind } from './occurrences.ts';
export { testsOf } from './tests.ts';
export { expressionAt } from './ast-walk.ts';
export { callBefore, dottedPathBefore, ruleLocals, typeOfPath } from './paths.ts';
