import type { CommandIO } from '../io.ts';

export const serveUsage = 'verdict serve';

/**
 * `verdict serve`: the HTTP server arrives with the store and API work
 * (issue #5). Until then it says so and points at what works today.
 */
export async function runServe(_argv: string[], io: CommandIO): Promise<number> {
  io.stderr(
    'verdict serve: the HTTP server (store, API, editor) is not built yet (issue #5).\n' +
      'Today you can: pnpm verdict check rulesets | pnpm verdict fmt --check rulesets | pnpm verdict schema rulesets --ruleset NAME\n',
  );
  return 1;
}
