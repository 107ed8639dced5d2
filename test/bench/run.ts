/**
 * `pnpm bench`: every benchmark suite in one run. Speed is measured here,
 * never in unit tests.
 */
import { languageBenchmarks } from './language.ts';
import { formatResults } from './measure.ts';

const only = process.argv.slice(2);
const want = (suite: string) => only.length === 0 || only.includes(suite);

if (want('language')) process.stdout.write(formatResults('language: parse + check', languageBenchmarks()));
