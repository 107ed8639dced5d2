import type { CommandIO } from './io.ts';

type Run = (argv: string[], io: CommandIO) => Promise<number>;

export interface Command {
  usage: string;
  summary: string;
  /** Loaded on use only: `verdict fmt` must not pay for the server's modules (git runs it once per file version). */
  load: () => Promise<Run>;
  /**
   * Whether these arguments make a run so short (git's `textconv`, once per file version) that
   * V8's optimizing compiler costs more than it saves: it is turned off for the process.
   */
  brief?: (argv: string[]) => boolean;
}

export const COMMANDS: Record<string, Command> = {
  check: {
    usage: 'verdict check <files|dirs> [--format text|json]',
    summary: 'parse and type-check rulesets',
    load: async () => (await import('./commands/check.ts')).runCheck,
  },
  fmt: {
    usage: 'verdict fmt [--check | --stdout] <files|dirs>',
    summary: 'format rulesets canonically',
    load: async () => (await import('./commands/fmt.ts')).runFmt,
    brief: (argv) => argv.includes('--stdout'),
  },
  schema: {
    usage: 'verdict schema <file|dir> [--ruleset NAME] [--output]',
    summary: "print a ruleset's input JSON Schema",
    load: async () => (await import('./commands/schema.ts')).runSchema,
  },
  diff: {
    usage:
      'verdict diff <old> <new> | <rev>[..<rev>] [--inputs FILE.jsonl]... [--tests] [--examples N] [--format text|markdown|json] [--exit-code] [--fail-on breaking|decision-change|test-failure] [-- <paths>]',
    summary: 'semantic diff of rulesets: files, directories or git revisions',
    load: async () => (await import('./commands/diff.ts')).runDiff,
  },
  'diff-driver': {
    usage: 'verdict diff-driver <git external diff arguments>',
    summary: "git's diff command for .policy files (diff.verdict.command): `git diff` by meaning",
    load: async () => (await import('./commands/diff-driver.ts')).runDiffDriver,
  },
  test: {
    usage: 'verdict test <files|dirs> [--coverage] [--min-coverage PCT] [--format text|json]',
    summary: "run the rulesets' tests, with rule and condition coverage",
    load: async () => (await import('./commands/test.ts')).runTest,
  },
  eval: {
    usage: 'verdict eval <file|dir> [--ruleset NAME] --input <file.json|file.jsonl|-> [--params FILE] [--explain]',
    summary: 'evaluate inputs (JSON, JSONL or stdin); one decision per line',
    load: async () => (await import('./commands/eval.ts')).runEval,
  },
  import: {
    usage: 'verdict import --from json-rules-engine <rules.json|-> [--conditions FILE] [--name NAME] [-o out.policy] [--records] [--rename-facts] [--help]',
    summary: 'convert json-rules-engine rules into Verdict source (an open input; --records closes it)',
    load: async () => (await import('./commands/import.ts')).runImport,
  },
  serve: {
    usage: 'verdict serve [--port N] [--host H] [--rulesets DIR] [--data-dir DIR] [--database-url URL] [--editor DIR]',
    summary: 'run the HTTP API and editor',
    load: async () => (await import('./commands/serve.ts')).runServe,
  },
  publish: {
    usage: 'verdict publish <file> --server URL --key KEY [--message M] [--expected-parent N] [--channel NAME] [--force REASON]',
    summary: 'publish a ruleset version to a server',
    load: async () => (await import('./commands/publish.ts')).runPublish,
  },
  promote: {
    usage: 'verdict promote <ruleset> <version> --channel NAME --server URL --key KEY [--reason TEXT]',
    summary: 'point a channel at a version',
    load: async () => (await import('./commands/promote.ts')).runPromote,
  },
  audit: {
    usage: 'verdict audit verify [--database-url URL | --data-dir DIR]',
    summary: "verify the decision log's hash chain",
    load: async () => (await import('./commands/audit.ts')).runAudit,
  },
  lsp: {
    usage: 'verdict lsp --stdio',
    summary: 'run the language server for editors (LSP over stdio)',
    load: async () => (await import('./commands/lsp.ts')).runLsp,
  },
};
