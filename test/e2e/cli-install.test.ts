/**
 * The standalone CLI as a reviewer gets it: packed (`pnpm pack`, which builds the bundle),
 * installed from the tarball into a directory outside the workspace without a registry
 * (`npm install --offline`), and used in a scratch git repository with three commits (a rate
 * change, a new rule, a renamed input field) set up as the README says: textconv and the diff
 * driver for `git diff`, `verdict diff` in text, markdown and JSON, and the exit codes CI reads;
 * and `verdict serve` from the installed bundle, its embedded database on its worker thread.
 */
import { execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { reviewRepository } from '../../packages/cli/test/repository.ts';
import { REPO } from './harness.ts';

let bin: string;
let repo: string;
let env: NodeJS.ProcessEnv;

// Asynchronous throughout: a synchronous child would block the test worker for many seconds.
const exec = promisify(execFile);

/** Runs a command in the scratch repository with the installed `verdict` on the PATH. */
async function run(command: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(command, args, { cwd: repo, env, encoding: 'utf8', timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number | string; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}
const verdict = (...args: string[]) => run('verdict', args);
const git = (...args: string[]) => run('git', args);

describe('the packed CLI installed outside the workspace', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'verdict-install-'));
    await exec('npx', ['-y', 'pnpm@10', 'pack', '--pack-destination', dir], { cwd: join(REPO, 'packages/cli') });
    const tarball = readdirSync(dir).find((f) => /^verdict-cli-.*\.tgz$/.test(f));
    expect(tarball).toBeDefined();
    const prefix = join(dir, 'install');
    await exec('npm', ['install', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, join(dir, tarball!)]);
    bin = join(prefix, 'node_modules/.bin');
    // Nothing of the workspace is reachable: no pnpm, no tsx, just node, git and the installed bin.
    env = { PATH: [bin, ...(process.env['PATH'] ?? '').split(delimiter)].join(delimiter), HOME: dir, GIT_CONFIG_NOSYSTEM: '1' };
    repo = reviewRepository();
    writeFileSync(join(repo, '.gitattributes'), '*.policy diff=verdict\n');
    await git('config', 'diff.verdict.textconv', 'verdict fmt --stdout');
    await git('config', 'diff.verdict.cachetextconv', 'true');
    await git('config', 'diff.verdict.command', 'verdict diff-driver');
  }, 120_000);

  it('is one bundled program that needs none of the workspace', async () => {
    const help = await verdict('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('verdict diff <old> <new>');
    const installed = JSON.parse(readFileSync(join(bin, '../@verdict/cli/package.json'), 'utf8')) as { dependencies?: Record<string, string>; bin: Record<string, string> };
    expect(installed.dependencies ?? {}).toEqual({});
    expect(installed.bin).toEqual({ verdict: './dist/bin/verdict.js' });
  });

  it('git diff shows each commit by meaning through the diff driver', async () => {
    const rate = await git('diff', 'main~3', 'main~2');
    expect(rate.code).toBe(0);
    expect(rate.stdout).toContain('verdict diff rulesets/auto_quote.policy\ninsurance.auto_quote: 1 param changed');
    expect(rate.stdout).toContain('~ param base_rate: default (used by output premium)');
    expect((await git('diff', 'main~2', 'main~1')).stdout).toContain('+ rule exotic_vehicle (high): decline when vehicle.value > 120000');
    expect((await git('diff', 'main~1', 'main')).stdout).toContain('! applicant.years_licensed renamed to applicant.licensed_years');
  });

  it('textconv shows canonical text: a formatting-only edit leaves no diff', async () => {
    const file = join(repo, 'rulesets/auto_quote.policy');
    const text = readFileSync(file, 'utf8');
    try {
      writeFileSync(file, text.replace('param base_rate: decimal = 560 where value > 0', 'param   base_rate :decimal=560   where value>0'));
      expect((await git('diff', '--no-textconv', '--no-ext-diff')).stdout).toContain('param   base_rate');
      expect((await git('diff', '--no-ext-diff')).stdout).toBe('');
      expect((await git('diff')).stdout).toContain('no semantic change');
      expect((await verdict('diff', 'main', '--exit-code')).code).toBe(0);
    } finally {
      writeFileSync(file, text);
    }
    expect((await git('log', '-p', '-1', '--format=', 'main~2')).stdout).toContain('+param base_rate: decimal = 560 where value > 0');
  });

  it('verdict diff A..B --inputs FILE --tests: text, markdown and JSON', async () => {
    const text = await verdict('diff', 'main~3..main', '--inputs', 'traffic.jsonl', '--tests', '--exit-code', '--', 'rulesets/');
    expect(text.code).toBe(2);
    expect(text.stdout.split('\n')[0]).toBe(
      'Summary: rulesets: 1 changed; rules: 1 added, 0 removed, 1 changed; 1 breaking input change; 2 of 27 decisions change (approve -> decline: 1, refer -> decline: 1); 3 inputs become invalid; output premium changes on 23; compliance changes on 1; score changes on 10; 15 tests fail (15 passed before)',
    );
    expect(text.stdout).toContain('~ output premium changes on 23 of 27 (+3.7%)');
    expect(text.stdout).toContain('· test "standard California sedan is approved": premium 691.2 -> 716.8, +3.7%');
    expect(text.stdout).toContain('! test "decline outranks refer when both fire"');
    expect(text.stdout).toContain('· traffic.jsonl#2: applicant.licensed_years is required');

    const md = await verdict('diff', 'main~3..main', '--inputs', join(repo, 'traffic.jsonl'), '--tests', '--format', 'markdown');
    expect(md.stdout).toMatch(/^## Verdict policy review\n\n\*\*Summary: /);
    expect(md.stdout).toContain('<details open><summary><code>insurance.auto_quote</code> (<code>rulesets/auto_quote.policy</code>)');
    expect(md.stdout).not.toContain(repo);

    const json = JSON.parse((await verdict('diff', 'main~3..main', '--inputs', 'traffic.jsonl', '--tests', '--format', 'json')).stdout) as {
      summary: { rules: { added: number }; decisions: { changed: number }; becameInvalid: number; tests: { regressions: number } };
    };
    expect(json.summary).toMatchObject({ rules: { added: 1 }, decisions: { changed: 2 }, becameInvalid: 3, tests: { regressions: 15 } });
  });

  it('exit codes: --exit-code and --fail-on', async () => {
    expect((await verdict('diff', 'main..main', '--exit-code')).code).toBe(0);
    expect((await verdict('diff', 'v9..main', '--exit-code')).code).toBe(1);
    expect((await verdict('diff', 'main~3..main~2', '--fail-on', 'breaking')).code).toBe(0);
    expect((await verdict('diff', 'main~3..main~2', '--fail-on', 'test-failure')).code).toBe(2);
    expect((await verdict('diff', 'main~1..main', '--fail-on', 'breaking', '--inputs', 'traffic.jsonl')).code).toBe(2);
    const misplaced = await verdict('diff', 'main~3..main', '--', 'rulesets/', '--tests');
    expect(misplaced.stderr).toContain('`--tests` comes after `--`');
  });

  it('verdict serve runs the embedded database on its worker thread, logs every decision and drains on SIGTERM', async () => {
    const home = mkdtempSync(join(tmpdir(), 'verdict-serve-'));
    mkdirSync(join(home, 'rulesets'));
    copyFileSync(join(REPO, 'rulesets/marketplace/admission.policy'), join(home, 'rulesets/admission.policy'));
    const key = 'vk_cli_install_admin_0123456789';
    const server = spawn('verdict', ['serve', '--port', '0', '--data-dir', 'data', '--rulesets', 'rulesets'], { cwd: home, env: { ...env, VERDICT_ADMIN_KEY: key, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    server.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((done) => server.once('exit', (code) => done(code)));
    try {
      const url = await new Promise<string>((done, fail) => {
        createInterface({ input: server.stdout! }).on('line', (line) => {
          const found = /listening on (\S+)/.exec(line);
          if (found) done(found[1]!);
        });
        void exited.then((code) => fail(new Error(`verdict serve exited (${code}): ${stderr}`)));
      });
      const answers = [];
      for (const id of ['svc-a', 'svc-b']) {
        const service = { id, tier: 'free', environment: 'staging', endpoint: 'https://a.example.com', data_classification: 'public', data_residency: ['US'], certifications: ['SOC2'], authentication: 'mtls' };
        const response = await fetch(`${url}/v1/rulesets/marketplace.admission/evaluate`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ input: { service } }) });
        answers.push(response.status);
      }
      expect(answers).toEqual([200, 200]);
      // Linux: the PGlite worker is the one thread of the process running at a lower priority (nice 10)
      if (existsSync(`/proc/${server.pid}/task`)) {
        const nices = readdirSync(`/proc/${server.pid}/task`).map((tid) => {
          const stat = readFileSync(`/proc/${server.pid}/task/${tid}/stat`, 'utf8');
          return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
        });
        expect(nices.filter((n) => n === 10)).toHaveLength(1);
      }
    } finally {
      server.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stderr).toBe('');
    const verify = await run('verdict', ['audit', 'verify', '--data-dir', join(home, 'data')]);
    expect(verify.stdout).toBe('decision log intact: 2 rows verified\n');
    expect(verify.code).toBe(0);
  });
});
