/** Redaction lives in the engine, so an embedded evaluator (`@verdict/client`) redacts exactly as the server does. */
export { REDACTED, redact, scrubberFor, sensitivePaths, type Scrubber } from '@verdict/engine';
