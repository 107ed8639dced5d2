import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { takeDirectory } from '../src/main.ts';
import { startingDirectory } from '../src/io.ts';
import { renameFields } from '../src/commands/diff.ts';
import { reviewRepository } from './repository.ts';
import { runCli, tempProject, type RunResult } from './helpers.ts';

const VERDICT_CHECKOUT = join(import.meta.dirname, '../../..');

let repo: string;
beforeAll(() => {
  repo = reviewRepository();
});

describe('the repository a command works on', () => {
  it('-C names it, from anywhere (here the Verdict checkout, whose own history has no such commits)', async () => {
    const run = await runCli(['-C', repo, 'diff', 'main~3..main~2', '--', 'rulesets/'], VERDICT_CHECKOUT);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('insurance.auto_quote (rulesets/auto_quote.policy): 1 param changed');
    expect(run.stdout).not.toContain('marketplace.admission');
  });

  it('a single revision is compared with the working tree of that repository', async () => {
    const run = await runCli(['diff', 'main~1', '--', 'rulesets/'], repo);
    expect(run.stdout).toContain('applicant.years_licensed renamed to applicant.licensed_years');
    const same = await runCli(['diff', 'main', '--exit-code'], repo);
    expect([same.code, same.stdout.split('\n')[0]]).toEqual([0, 'Summary: no semantic change']);
  });

  it('`pnpm verdict` runs in the workspace root, so the directory the user was in (INIT_CWD) is used', () => {
    expect(startingDirectory({ npm_lifecycle_event: 'verdict', INIT_CWD: '/home/me/policies' }, '/work/verdict')).toBe('/home/me/policies');
    expect(startingDirectory({ npm_lifecycle_event: 'start', INIT_CWD: '/home/me/policies' }, '/work/verdict')).toBe('/work/verdict');
    expect(startingDirectory({}, '/home/me/policies')).toBe('/home/me/policies');
  });

  it('-C is taken anywhere before --, relative to the last, and never after --', () => {
    expect(takeDirectory(['-C', 'a', 'diff', '-Cb', 'x', '--', '-C', 'c'], '/r')).toEqual({ argv: ['diff', 'x', '--', '-C', 'c'], cwd: '/r/a/b' });
  });
});

describe('options and paths', () => {
  it('options after -- are paths, and one spelled like a known option gets a warning', async () => {
    const run = await runCli(['diff', 'main~3..main', '--', 'rulesets/', '--inputs', 'traffic.jsonl', '--tests'], repo);
    expect(run.stderr).toContain('warning: `--inputs` comes after `--`, so it is read as a path, not as the option --inputs');
    expect(run.stderr).toContain('warning: `--tests` comes after `--`');
    expect(run.stderr).not.toContain('`traffic.jsonl`');
    expect(run.stdout).not.toContain('Decision impact');
  });

  it('options are read anywhere before --', async () => {
    const run = await runCli(['diff', '--tests', 'main~3..main', '--inputs', 'traffic.jsonl', '--', 'rulesets/'], repo);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('Decision impact');
  });
});

describe('verdict diff for review', () => {
  let rate: RunResult;
  let all: RunResult;
  beforeAll(async () => {
    rate = await runCli(['diff', 'main~3..main~2', '--tests'], repo);
    all = await runCli(['diff', 'main~3..main', '--inputs', join(repo, 'traffic.jsonl'), '--tests', '--examples', '20', '--', 'rulesets/'], repo);
  }, 60_000);

  it('a rate only an output reads: the output, its numeric change and the tests that now fail', () => {
    expect(rate.stdout).toContain('~ param base_rate: default (used by output premium)');
    expect(rate.stdout).toContain('~ output premium changes on 23 of 27 (+3.7%)');
    expect(rate.stdout).toContain('· test "standard California sedan is approved": premium 691.2 -> 716.8, +3.7%');
    expect(rate.stdout).toContain('0 of 27 decisions change');
    // Failing tests by name, an `expect score` among them.
    // (a decimal output is a JSON string of its digits)
    expect(rate.stdout).toMatch(/! test "standard California sedan is approved" \(line \d+\): passed before, fails now: expected output premium = 691\.2, got "716\.8"/);
    expect(rate.stdout).toContain('! 15 of 27 tests pass (before: 27 of 27)');
    // With the new rule the score moves too: a broken `expect score` is listed by name.
    expect(all.stdout).toMatch(/! test "Florida senior EV driver with two claims is referred" \(line \d+\): passed before, fails now: .*expected score 0\.92, got 0\.928/);
  });

  it('starts with a summary line', () => {
    expect(all.stdout.split('\n')[0]).toBe(
      'Summary: rulesets: 1 changed; rules: 1 added, 0 removed, 1 changed; 1 breaking input change; 2 of 27 decisions change (approve -> decline: 1, refer -> decline: 1); 3 inputs become invalid; output premium changes on 23; compliance changes on 1; score changes on 10; 15 tests fail (15 passed before)',
    );
  });

  it('a renamed field is one rename; tests pair by name and no test input counts as invalid', () => {
    expect(all.stdout).toContain('! applicant.years_licensed renamed to applicant.licensed_years');
    expect(all.stdout).not.toMatch(/applicant\.(years_licensed|licensed_years): (added|removed)/);
    expect(all.stdout).not.toContain('(invalid)');
  });

  it('caller inputs that become invalid are counted apart, with the failing path, and named by a shareable path', () => {
    expect(all.stdout).toContain('! 3 inputs the old version accepted are refused');
    for (const line of [1, 2, 3]) expect(all.stdout).toContain(`· traffic.jsonl#${line}: applicant.licensed_years is required`);
    expect(all.stdout).not.toContain(repo);
  });

  it('--examples sets how many examples each list keeps', async () => {
    const few = await runCli(['diff', 'main~3..main~2', '--tests', '--examples', '1'], repo);
    expect(few.stdout.match(/: premium [\d.]+ -> [\d.]+/g)).toHaveLength(1);
    expect(all.stdout.match(/: premium [\d.]+ -> [\d.]+/g)?.length).toBe(20);
    expect((await runCli(['diff', 'main~1..main', '--examples', 'many'], repo)).code).toBe(2);
  });

  it('markdown: the summary, collapsible details, repository-relative paths only', async () => {
    const md = await runCli(['diff', 'main~3..main', '--inputs', join(repo, 'traffic.jsonl'), '--tests', '--format', 'markdown'], repo);
    expect(md.stdout.split('\n').slice(0, 3)).toEqual(['## Verdict policy review', '', expect.stringMatching(/^\*\*Summary: rulesets: 1 changed; /) as string]);
    expect(md.stdout).toContain('<details open><summary><code>insurance.auto_quote</code> (<code>rulesets/auto_quote.policy</code>)');
    expect(md.stdout).toContain('</details>');
    expect(md.stdout).toContain('traffic.jsonl#1');
    expect(md.stdout).not.toContain(repo);
    expect(md.stdout).not.toMatch(/\/tmp\//);
  });

  it('JSON: the summary and the report', async () => {
    const run = await runCli(['diff', 'main~3..main', '--inputs', 'traffic.jsonl', '--tests', '--format', 'json'], repo);
    const json = JSON.parse(run.stdout) as {
      summary: { decisions: { changed: number }; becameInvalid: number; tests: { failing: number; regressions: number } };
      rulesets: Array<{ input: Array<{ change: string; from: string; to: string }> }>;
      impact: Record<string, { outputs: Array<{ output: string; changed: number }> }>;
      tests: Record<string, { failing: Array<{ name: string; was: string }> }>;
      paths: Record<string, string>;
    };
    expect(json.summary.decisions.changed).toBe(2);
    expect(json.summary.becameInvalid).toBe(3);
    expect(json.summary.tests).toEqual({ failing: 15, regressions: 15 });
    expect(json.rulesets[0]?.input).toEqual([{ path: 'applicant.licensed_years', change: 'renamed', from: 'applicant.years_licensed', to: 'applicant.licensed_years', breaking: true }]);
    expect(json.impact['insurance.auto_quote']?.outputs.map((o) => o.output)).toEqual(['premium']);
    expect(json.tests['insurance.auto_quote']?.failing.map((f) => f.name)).toContain('decline outranks refer when both fire');
    expect(json.paths).toEqual({ 'insurance.auto_quote': 'rulesets/auto_quote.policy' });
  });
});

describe('exit codes for CI', () => {
  it('--exit-code: 0 without a semantic change, 2 with one, 1 on an error', async () => {
    const file = join(repo, 'rulesets/auto_quote.policy');
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(file, 'utf8');
    try {
      writeFileSync(file, '# reformatted\n' + text.replace(/\n\n/g, '\n\n\n'));
      expect((await runCli(['diff', 'main', '--exit-code'], repo)).code).toBe(0);
    } finally {
      writeFileSync(file, text);
    }
    expect((await runCli(['diff', 'main~1..main', '--exit-code'], repo)).code).toBe(2);
    const bad = await runCli(['diff', 'nope..main', '--exit-code'], repo);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('not a git revision: nope');
    expect((await runCli(['diff', 'main~1..main', '--exit-code', '--format', 'yaml'], repo)).code).toBe(1);
    expect((await runCli(['diff', 'main~1..main'], repo)).code).toBe(0);
  });

  it('--fail-on names what fails the run', async () => {
    // The rate change: no decision changes, no breaking change, but tests fail.
    expect((await runCli(['diff', 'main~3..main~2', '--fail-on', 'decision-change'], repo)).code).toBe(0);
    expect((await runCli(['diff', 'main~3..main~2', '--fail-on', 'breaking'], repo)).code).toBe(0);
    expect((await runCli(['diff', 'main~3..main~2', '--fail-on', 'test-failure'], repo)).code).toBe(2);
    // The new rule changes decisions on the tests; the rename breaks callers.
    expect((await runCli(['diff', 'main~2..main~1', '--fail-on', 'decision-change', '--tests'], repo)).code).toBe(2);
    expect((await runCli(['diff', 'main~1..main', '--fail-on', 'breaking'], repo)).code).toBe(2);
    expect((await runCli(['diff', 'main~2..main~1', '--fail-on', 'breaking,decision-change'], repo)).code).toBe(0);
    const wrong = await runCli(['diff', 'main~1..main', '--fail-on', 'typos'], repo);
    expect([wrong.code, wrong.stderr]).toEqual([1, expect.stringContaining('--fail-on is breaking, decision-change, test-failure') as string]);
  }, 30_000);
});

describe('a change of the decision model', () => {
  it('is described, counted in the summary, and a compliance change on an input fails --fail-on decision-change', async () => {
    const ruleset = (decision: string) =>
      `ruleset d.model\n\ninput {\n  amount: number\n}\n\n${decision}\n\nrule big {\n  severity high\n  warn when amount > 100\n  because "big"\n}\n`;
    const dir = tempProject({
      'old/m.policy': ruleset('decision deny > warn > allow'),
      'new/m.policy': ruleset('decision deny > warn > allow compliant warn, allow'),
      'inputs.jsonl': '{"amount": 5}\n{"amount": 500}\n',
    });
    const text = await runCli(['diff', 'old', 'new', '--inputs', 'inputs.jsonl', '--fail-on', 'decision-change'], dir);
    expect(text.code).toBe(2);
    expect(text.stdout).toContain('d.model (new/m.policy): decision model changed (compliant outcomes)');
    expect(text.stdout).toContain('    ~ compliant outcomes\n        - allow\n        + warn, allow');
    expect(text.stdout).toContain('inputs.jsonl#2: warn (non-compliant) -> warn (compliant)');
    const json = JSON.parse((await runCli(['diff', 'old', 'new', '--inputs', 'inputs.jsonl', '--format', 'json'], dir)).stdout) as {
      summary: { decisionModelChanges: number; complianceChanged: number; decisions: { changed: number } };
    };
    expect(json.summary).toMatchObject({ decisionModelChanges: 1, complianceChanged: 1, decisions: { changed: 0 } });
    expect((await runCli(['diff', 'old', 'new', '--format', 'markdown'], dir)).stdout).toContain('**Decision model**');
  });
});

describe('renameFields', () => {
  it('moves a nested field to its new name in a copy', () => {
    const input = { a: { b: 1, c: 2 }, d: 3 };
    expect(renameFields(input, [['a.b', 'a.e'], ['d', 'f'], ['x.y', 'x.z']])).toEqual({ a: { e: 1, c: 2 }, f: 3 });
    expect(input).toEqual({ a: { b: 1, c: 2 }, d: 3 });
  });
});


describe('verdict diff-driver (git diff.<driver>.command)', () => {
  it('prints the semantic diff of the two files git passes, a new file against /dev/null, and exits 0 even on text that does not parse', async () => {
    const dir = tempProject({
      'old.policy': 'ruleset d.x\n\ninput {\n  a: number\n}\n\ndecision deny > allow\n\nconst LIMIT = 5\n\nrule big {\n  severity high\n  deny when a > LIMIT\n  because "big"\n}\n',
      'new.policy': 'ruleset d.x\n\ninput {\n  a: number\n}\n\ndecision deny > allow\n\nconst LIMIT = 7\n\nrule big {\n  severity high\n  deny when a > LIMIT\n  because "big"\n}\n',
      'broken.policy': 'ruleset d.x\nrule {{{\n',
    });
    const changed = await runCli(['diff-driver', 'rules/x.policy', 'old.policy', 'aaaa', '100644', 'new.policy', 'bbbb', '100644'], dir);
    expect(changed).toEqual({ code: 0, stderr: '', stdout: 'verdict diff rules/x.policy\nd.x: 1 const changed\n  Declarations\n    ~ const LIMIT: value (used by big)\n        - 5\n        + 7\n' });
    const added = await runCli(['diff-driver', 'x.policy', '/dev/null', '0000', '100644', 'new.policy', 'bbbb', '100644'], dir);
    expect(added.stdout).toContain('d.x: new ruleset');
    const broken = await runCli(['diff-driver', 'x.policy', 'old.policy', 'aaaa', '100644', 'broken.policy', 'bbbb', '100644'], dir);
    expect(broken.code).toBe(0);
    expect(broken.stdout.startsWith('verdict diff x.policy\n')).toBe(true);
    // Not as git calls it: a usage error.
    expect((await runCli(['diff-driver', 'old.policy', 'new.policy'], dir)).code).toBe(2);
  });
});
