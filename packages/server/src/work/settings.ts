/** What the server compiles rulesets with, from its config. */
import { isolationOf, type ServerConfig } from '../config.ts';
import type { CompileSettings } from './tasks.ts';

/** The evaluation and size limits rulesets are compiled with on this server. */
export function compileSettings(config: ServerConfig): CompileSettings {
  const limits = isolationOf(config);
  return {
    limits: { maxSteps: limits.maxSteps },
    sizes: { maxConstSize: limits.maxConstSize, maxTableRows: limits.maxTableRows, maxProgramSize: limits.maxProgramSize },
  };
}
